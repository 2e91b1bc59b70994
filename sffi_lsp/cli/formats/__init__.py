"""How ``sffi-lsp check`` prints its findings: one module per ``--format``."""

from __future__ import annotations

import os
from pathlib import Path

from sffi_lsp.model import Finding, Fix, Severity

SEVERITY_WORD = {Severity.ERROR: "error", Severity.WARNING: "warning",
                 Severity.INFORMATION: "information", Severity.HINT: "hint"}


def display_path(path: Path) -> str:
    """``path`` as a user would type it from the working directory."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def fixable_by_cli(fix: Fix, unsafe: bool = False) -> bool:
    """Whether ``sffi-lsp check --fix`` (with ``--unsafe-fixes`` when ``unsafe``) applies ``fix``."""
    return (fix.safe or unsafe) and fix.command is None and not fix.creates and bool(fix.edits)


def is_fixable(finding: Finding, unsafe: bool = False) -> bool:
    return any(fixable_by_cli(fix, unsafe) for fix in finding.fixes)
