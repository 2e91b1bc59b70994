"""A project's findings kept between runs, grouped by file, with what changed since the last run."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.registry import run_checks
from sffi_lsp.model import Finding, Position, Range


class ProjectFindings:
    """The last findings of one project, by path."""

    def __init__(self) -> None:
        self.by_path: dict[Path, list[Finding]] = {}

    def refresh(self, ctx: CheckContext) -> set[Path]:
        """Run the checks; return the paths whose findings differ from the last run."""
        grouped: dict[Path, list[Finding]] = defaultdict(list)
        for finding in run_checks(ctx):
            grouped[finding.path].append(finding)
        old = self.by_path
        changed = {p for p in grouped.keys() | old.keys() if grouped.get(p, []) != old.get(p, [])}
        self.by_path = dict(grouped)
        return changed

    def of(self, path: Path) -> list[Finding]:
        return self.by_path.get(path, [])

    def overlapping(self, path: Path, span: Range) -> list[Finding]:
        """Findings in ``path`` whose range touches ``span`` (an empty range at the cursor too)."""
        return [f for f in self.of(path) if _overlaps(f.span.range, span)]

    def with_code(self, code: str) -> list[Finding]:
        return [f for findings in self.by_path.values() for f in findings if f.code == code]


def _overlaps(a: Range, b: Range) -> bool:
    start: Position = max(a.start, b.start)
    end: Position = min(a.end, b.end)
    return start <= end
