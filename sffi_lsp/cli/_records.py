"""JSON-ready records of what the index holds, for ``sffi-lsp symbols``."""

from __future__ import annotations

from pathlib import Path

from sffi_lsp.model import Declaration
from sffi_lsp.workspace.project import Project


def declaration_record(decl: Declaration, project: Project) -> dict[str, object]:
    start = decl.name_span.start
    return {
        "kind": decl.kind.value,
        "name": decl.name,
        "path": project.relative(decl.path),
        "line": start.line + 1,
        "column": start.character + 1,
        "params": [{"name": p.name, "type": p.type} for p in decl.params],
        "returns": decl.returns,
        "pub": decl.is_pub,
        "container": decl.container,
        "doc": decl.doc,
    }


def declaration_records(root: Path) -> tuple[list[dict[str, object]], list[dict[str, str]]]:
    project = Project.open(root, natives=False)
    records = [
        declaration_record(d, project)
        for path in sorted(project.declarations.files)
        for d in project.declarations.files[path].declarations
    ]
    problems = [
        {"path": project.relative(p.path), "reason": p.reason}
        for p in project.declarations.problems.values()
    ]
    return records, problems


def native_records(root: Path) -> tuple[list[dict[str, object]], list[dict[str, str]]]:
    from sffi_lsp.index.natives import native_symbol_records, problem_records

    project = Project.open(root)
    return (
        native_symbol_records(project.natives, project.root),
        problem_records(project.natives, project.root),
    )
