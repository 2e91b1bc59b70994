"""``--format json``: one record per finding, fixes carried as data."""

from __future__ import annotations

from sffi_lsp.cli.formats import SEVERITY_WORD
from sffi_lsp.model import Finding
from sffi_lsp.workspace.project import Project


def finding_record(f: Finding, project: Project) -> dict[str, object]:
    return {
        "root": str(project.root),
        "code": f.code,
        "severity": SEVERITY_WORD[f.severity],
        "message": f.message,
        "path": project.relative(f.path),
        "line": f.span.start.line + 1,
        "column": f.span.start.character + 1,
        "end_line": f.span.end.line + 1,
        "end_column": f.span.end.character + 1,
        "related": [
            {"path": project.relative(r.path), "line": r.span.start.line + 1 if r.span else None,
             "message": r.message}
            for r in f.related
        ],
        "fixes": [
            {"title": fix.title, "safe": fix.safe,
             "edits": [{"path": project.relative(e.path), "start_byte": e.span.start_byte,
                        "end_byte": e.span.end_byte, "new_text": e.new_text} for e in fix.edits],
             "command": fix.command.command if fix.command else None}
            for fix in f.fixes
        ],
    }
