"""Where the backends keep their small state files, and how they write them safely."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from sffi_lsp.workspace.settings import Settings


def workspace_cache_dir(workspace: Path, settings: Settings) -> Path:
    """``settings.cache_dir`` (relative to the workspace) or the user cache for this workspace.

    The user cache is ``$XDG_CACHE_HOME/sffi-lsp/<hash of the workspace root>``,
    ``~/.cache/sffi-lsp/<hash>`` without ``XDG_CACHE_HOME``.
    """
    if settings.cache_dir:
        path = Path(os.path.expanduser(settings.cache_dir))
        return path if path.is_absolute() else workspace / path
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    digest = hashlib.sha256(str(workspace.resolve()).encode("utf-8")).hexdigest()[:16]
    return Path(base) / "sffi-lsp" / digest


def file_sha256(path: Path) -> str | None:
    """The file's sha256, or None when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``; empty when missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` to ``path`` through a temporary file and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=True)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
