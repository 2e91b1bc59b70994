"""``--format text``: one line per finding, then a summary (the default)."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from sffi_lsp.cli.formats import SEVERITY_WORD, display_path
from sffi_lsp.model import Finding


def write_text(findings: list[Finding], out: TextIO) -> None:
    for f in findings:
        line = f.span.start.line + 1
        column = f.span.start.character + 1
        out.write(f"{display_path(f.path)}:{line}:{column}: {f.code} {f.message}\n")
    counts = Counter(SEVERITY_WORD[f.severity] for f in findings)
    fixable = sum(1 for f in findings if any(fix.safe and fix.edits for fix in f.fixes))
    if not findings:
        out.write("All checks passed.\n")
        return
    parts = ", ".join(f"{n} {word}{'s' if n != 1 else ''}" for word, n in sorted(counts.items()))
    out.write(f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} ({parts}).\n")
    if fixable:
        out.write(f"{fixable} fixable with --fix.\n")
