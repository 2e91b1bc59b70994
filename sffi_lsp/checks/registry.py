"""All rules, and running them: selection, per-file ignores and severity overrides."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.duplicates import DuplicateDeclaration
from sffi_lsp.checks.extern_type import ExternType
from sffi_lsp.checks.lanes import CapabilityGap, LaneGap
from sffi_lsp.checks.loading import NotLoadable, NotMarshallable
from sffi_lsp.checks.naming import MissingPrefix
from sffi_lsp.checks.rule import Rule
from sffi_lsp.checks.signature_drift import SignatureDrift
from sffi_lsp.checks.spec_rules import SPEC_RULES, SpecProblems
from sffi_lsp.checks.stale_wrapper import StaleWrapper
from sffi_lsp.checks.stub_build import StubBuild
from sffi_lsp.checks.undeclared import UndeclaredCall, UndeclaredExport
from sffi_lsp.checks.unresolved import MisnamedSymbol, UnresolvedExtern
from sffi_lsp.model import Finding, Severity

RULES: tuple[type[Rule], ...] = (
    UnresolvedExtern,
    MissingPrefix,
    MisnamedSymbol,
    ExternType,
    SignatureDrift,
    DuplicateDeclaration,
    NotLoadable,
    NotMarshallable,
    StubBuild,
    StaleWrapper,
    UndeclaredExport,
    UndeclaredCall,
    LaneGap,
    CapabilityGap,
    SpecProblems,
)

_SEVERITIES = {
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "information": Severity.INFORMATION,
    "hint": Severity.HINT,
}


def workspace_free_codes() -> tuple[str, ...]:
    """The codes of the rules that read one file only (``Rule.needs_workspace`` False)."""
    return tuple(r.code for r in RULES if not r.needs_workspace)


def all_codes() -> list[str]:
    return [r.code for r in RULES if r is not SpecProblems] + sorted(SPEC_RULES)


def rule_for(code: str) -> type[Rule] | None:
    for rule in RULES:
        if rule.code == code:
            return rule
    return SpecProblems if code in SPEC_RULES else None


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(code.startswith(p.upper()) for p in patterns if p)


def selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """ruff-like selection: codes or prefixes; an empty selection means every rule."""
    if select and not _matches(code, select):
        return False
    return not _matches(code, ignore)


def run_checks(
    ctx: CheckContext,
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    paths: Iterable[Path] | None = None,
) -> list[Finding]:
    """Every finding in the project (or only in ``paths``), settings applied, sorted."""
    select = tuple(select) or ctx.settings.select
    ignore = tuple(ignore) + ctx.settings.ignore
    raw = (f for rule_class in active_rules(select, ignore) for f in rule_class().check(ctx))
    return apply_settings(ctx, raw, select=select, ignore=ignore, paths=paths)


def rule_codes(rule_class: type[Rule]) -> tuple[str, ...]:
    return tuple(SPEC_RULES) if rule_class is SpecProblems else (rule_class.code,)


def active_rules(select: Sequence[str], ignore: Sequence[str]) -> list[type[Rule]]:
    """The rules with at least one code the selection keeps."""
    return [r for r in RULES if any(selected(code, select, ignore) for code in rule_codes(r))]


def apply_settings(
    ctx: CheckContext,
    findings: Iterable[Finding],
    *,
    select: Sequence[str],
    ignore: Sequence[str],
    paths: Iterable[Path] | None = None,
) -> list[Finding]:
    """Selection, per-file ignores and severity overrides applied; sorted by place."""
    settings = ctx.settings
    wanted = {Path(p) for p in paths} if paths is not None else None
    kept: list[Finding] = []
    for finding in findings:
        if not selected(finding.code, select, ignore):
            continue
        if wanted is not None and finding.path not in wanted:
            continue
        if _ignored_for_file(ctx, finding):
            continue
        override = settings.severity.get(finding.code)
        if override == "off":
            continue
        if override:
            finding = replace(finding, severity=_SEVERITIES[override])
        kept.append(finding)
    kept.sort(key=lambda f: (str(f.path), f.span.start, f.code))
    return kept


def _ignored_for_file(ctx: CheckContext, finding: Finding) -> bool:
    if not ctx.settings.per_file_ignores:
        return False
    rel = ctx.project.relative(finding.path)
    for pattern, codes in ctx.settings.per_file_ignores.items():
        if fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(rel, pattern.rstrip("/") + "/*"):
            if _matches(finding.code, codes):
                return True
    return False
