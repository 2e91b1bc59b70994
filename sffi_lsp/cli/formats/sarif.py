"""Findings as a SARIF 2.1.0 log (GitHub code scanning reads it)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sffi_lsp import __version__
from sffi_lsp.checks.registry import RULES, SPEC_RULES
from sffi_lsp.checks.spec_rules import SpecProblems
from sffi_lsp.model import Finding, Severity, Span

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFORMATION: "note", Severity.HINT: "note"}


def _rule_descriptors() -> list[dict[str, Any]]:
    descriptors = []
    for rule in RULES:
        if rule is SpecProblems:
            for code, (name, what) in SPEC_RULES.items():
                descriptors.append({
                    "id": code, "name": name,
                    "shortDescription": {"text": what},
                    "help": {"text": rule.documentation(), "markdown": rule.documentation()},
                    "defaultConfiguration": {"level": _LEVEL[rule.severity]},
                })
            continue
        descriptors.append({
            "id": rule.code, "name": rule.name,
            "shortDescription": {"text": rule.summary()},
            "fullDescription": {"text": rule.documentation()},
            "help": {"text": rule.documentation(), "markdown": rule.documentation()},
            "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        })
    return descriptors


def _region(span: Span) -> dict[str, int]:
    return {
        "startLine": span.start.line + 1,
        "startColumn": span.start.character + 1,
        "endLine": span.end.line + 1,
        "endColumn": span.end.character + 1,
    }


def _location(path: Path, span: Span | None, root: Path, message: str | None = None) -> dict[str, Any]:
    try:
        uri = quote(path.relative_to(root).as_posix())
        artifact: dict[str, Any] = {"uri": uri, "uriBaseId": "SRCROOT"}
    except ValueError:
        artifact = {"uri": file_uri(path)}
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if span is not None:
        physical["region"] = _region(span)
    location: dict[str, Any] = {"physicalLocation": physical}
    if message:
        location["message"] = {"text": message}
    return location


def file_uri(path: Path) -> str:
    """A ``file://`` URI with every character RFC 3986 reserves percent-encoded."""
    return "file://" + quote(path.as_posix())


def sarif_log(roots: Sequence[tuple[Path, Sequence[Finding]]]) -> dict[str, Any]:
    """One run per workspace root, each with its own ``SRCROOT``."""
    descriptors = _rule_descriptors()
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [_run(findings, root, descriptors) for root, findings in roots],
    }


def _run(findings: Sequence[Finding], root: Path, descriptors: list[dict[str, Any]]) -> dict[str, Any]:
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results = []
    for f in findings:
        result: dict[str, Any] = {
            "ruleId": f.code,
            "level": _LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [_location(f.path, f.span, root)],
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        if f.related:
            result["relatedLocations"] = [
                {"id": i, **_location(r.path, r.span, root, r.message)} for i, r in enumerate(f.related)
            ]
        results.append(result)
    return {
        "tool": {"driver": {
            "name": "sffi-lsp", "version": __version__, "semanticVersion": __version__,
            "rules": descriptors,
        }},
        "originalUriBaseIds": {"SRCROOT": {"uri": file_uri(root) + "/"}},
        "columnKind": "utf16CodeUnits",
        "results": results,
    }
