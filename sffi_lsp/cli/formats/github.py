"""``--format github``: GitHub Actions workflow commands, one annotation per finding."""

from __future__ import annotations

from typing import TextIO

from sffi_lsp.cli.formats import display_path
from sffi_lsp.model import Finding, Severity

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning",
            Severity.INFORMATION: "notice", Severity.HINT: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(f: Finding) -> str:
    start, end = f.span.start, f.span.end
    props = ",".join((
        f"title={_escape_property(f'sffi-lsp ({f.code})')}",
        f"file={_escape_property(display_path(f.path))}",
        f"line={start.line + 1}", f"col={start.character + 1}",
        f"endLine={end.line + 1}", f"endColumn={end.character + 1}",
    ))
    return f"::{_COMMAND[f.severity]} {props}::{_escape_data(f'{f.code} {f.message}')}"


def write_github(findings: list[Finding], out: TextIO) -> None:
    for f in findings:
        out.write(github_line(f) + "\n")
