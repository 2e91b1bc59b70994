"""Applying fixes to files: non-overlapping edits, never over a file changed since it was read."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sffi_lsp.model import Fix, TextEdit


def apply_edits(data: bytes, edits: Iterable[TextEdit]) -> bytes:
    """``data`` with ``edits`` applied (they must not overlap), last edit first."""
    out = data
    for edit in sorted(edits, key=lambda e: (e.span.start_byte, e.span.end_byte), reverse=True):
        out = out[: edit.span.start_byte] + edit.new_text.encode("utf-8") + out[edit.span.end_byte :]
    return out


def _overlaps(a: TextEdit, b: TextEdit) -> bool:
    if a.span.start_byte == a.span.end_byte == b.span.start_byte == b.span.end_byte:
        return True  # two insertions at one point: order would be ambiguous
    return a.span.start_byte < b.span.end_byte and b.span.start_byte < a.span.end_byte


@dataclass
class FixPlan:
    """The fixes chosen for one pass: per file the edits, and what was left for a later pass."""

    edits: dict[Path, list[TextEdit]] = field(default_factory=lambda: defaultdict(list))
    applied: list[Fix] = field(default_factory=list)
    deferred: list[Fix] = field(default_factory=list)


def plan(fixes: Iterable[Fix]) -> FixPlan:
    """Take fixes in order while their edits overlap none taken before."""
    result = FixPlan()
    for fix in fixes:
        if fix.command is not None or fix.creates:
            result.deferred.append(fix)
            continue
        conflict = any(
            _overlaps(edit, taken) for edit in fix.edits for taken in result.edits.get(edit.path, ())
        )
        if conflict:
            result.deferred.append(fix)
            continue
        for edit in fix.edits:
            result.edits[edit.path].append(edit)
        result.applied.append(fix)
    return result


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FileChanged(Exception):
    """A file changed on disk after it was read; its fixes are not applied."""


def write_if_unchanged(path: Path, expected_digest: str, new_data: bytes) -> None:
    """Atomically replace ``path`` with ``new_data`` unless its content is no longer what was read."""
    current = path.read_bytes()
    if digest(current) != expected_digest:
        raise FileChanged(str(path))
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".sffi-fix")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(new_data)
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
