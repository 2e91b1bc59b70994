"""How ``sffi-lsp check`` prints its findings: one module per ``--format``."""

from __future__ import annotations

import os
from pathlib import Path

from sffi_lsp.model import Severity

SEVERITY_WORD = {Severity.ERROR: "error", Severity.WARNING: "warning",
                 Severity.INFORMATION: "information", Severity.HINT: "hint"}


def display_path(path: Path) -> str:
    """``path`` as a user would type it from the working directory."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
