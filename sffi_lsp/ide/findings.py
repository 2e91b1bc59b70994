"""A project's findings kept between runs, grouped by file, with what changed since the last run."""

from __future__ import annotations

from pathlib import Path

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.incremental import FindingsStore
from sffi_lsp.model import Finding, Position, Range


class ProjectFindings:
    """The last findings of one project, by path (kept and updated by ``FindingsStore``)."""

    def __init__(self) -> None:
        self.store = FindingsStore()

    @property
    def by_path(self) -> dict[Path, list[Finding]]:
        return self.store.by_path

    def refresh(self, ctx: CheckContext, edited: set[Path] | None = None) -> set[Path]:
        """Run the checks (only what edits of the ``edited`` files can change, when given);
        return the paths whose findings differ from the last run."""
        if edited:
            return self.store.run_changed(ctx, edited)
        return self.store.run_all(ctx)

    def of(self, path: Path) -> list[Finding]:
        return self.store.of(path)

    def overlapping(self, path: Path, span: Range, ctx: CheckContext | None = None) -> list[Finding]:
        """Findings in ``path`` whose range touches ``span`` (an empty range at the cursor too);
        with ``ctx``, computed afresh so their fixes match every file's current text."""
        found = self.store.fresh(ctx, path) if ctx is not None else self.of(path)
        return [f for f in found if _overlaps(f.span.range, span)]

    def with_code(self, code: str) -> list[Finding]:
        return [f for findings in self.by_path.values() for f in findings if f.code == code]


def _overlaps(a: Range, b: Range) -> bool:
    start: Position = max(a.start, b.start)
    end: Position = min(a.end, b.end)
    return start <= end
