"""``--format text``: one line per finding (place, severity, code, ``[*]`` when ``--fix``
fixes it, message), then a summary. Coloured on a terminal unless ``NO_COLOR`` is set."""

from __future__ import annotations

import os
from collections import Counter
from typing import TextIO

from sffi_lsp.cli.formats import SEVERITY_WORD, display_path, is_fixable
from sffi_lsp.model import Finding, Severity

_COLOUR = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m",
           Severity.INFORMATION: "\x1b[1;34m", Severity.HINT: "\x1b[1;36m"}
_BOLD, _CYAN, _RESET = "\x1b[1m", "\x1b[36m", "\x1b[0m"


def use_colour(out: TextIO) -> bool:
    """Colour on a terminal; never when ``NO_COLOR`` is set to anything (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


def finding_line(f: Finding, *, colour: bool = False, unsafe: bool = False) -> str:
    where = f"{display_path(f.path)}:{f.span.start.line + 1}:{f.span.start.character + 1}:"
    severity = SEVERITY_WORD[f.severity]
    mark = " [*]" if is_fixable(f, unsafe) else ""
    if colour:
        return (f"{_BOLD}{where}{_RESET} {_COLOUR[f.severity]}{severity}{_RESET} "
                f"{_CYAN}{f.code}{_RESET}{mark} {f.message}")
    return f"{where} {severity} {f.code}{mark} {f.message}"


def write_text(findings: list[Finding], out: TextIO, *, unsafe: bool = False, checked: bool = True) -> None:
    colour = use_colour(out)
    for f in findings:
        out.write(finding_line(f, colour=colour, unsafe=unsafe) + "\n")
    if not findings:
        if checked:
            out.write("All checks passed.\n")
        return
    counts = Counter(SEVERITY_WORD[f.severity] for f in findings)
    parts = ", ".join(f"{n} {word}{'s' if n != 1 else ''}" for word, n in sorted(counts.items()))
    out.write(f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} ({parts}).\n")
    fixable = sum(1 for f in findings if is_fixable(f, unsafe))
    if fixable:
        out.write(f"[*] {fixable} fixable with --fix{' --unsafe-fixes' if unsafe else ''}.\n")
    hidden = 0 if unsafe else sum(1 for f in findings if is_fixable(f, True) and not is_fixable(f))
    if hidden:
        out.write(f"{hidden} more fixable with --fix --unsafe-fixes.\n")
