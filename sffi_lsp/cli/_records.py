"""JSON-ready records of what the index holds, for ``sffi-lsp symbols``: of a workspace
(or a directory in it), or of files named directly (``.spl`` sources, libraries)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sffi_lsp.model import Declaration
from sffi_lsp.workspace.discovery import relative_path

Records = list[dict[str, Any]]
Problems = list[dict[str, str]]


def declaration_record(decl: Declaration, root: Path) -> dict[str, Any]:
    start = decl.name_span.start
    return {
        "kind": decl.kind.value,
        "name": decl.name,
        "path": relative_path(decl.path, root),
        "line": start.line + 1,
        "column": start.character + 1,
        "params": [{"name": p.name, "type": p.type} for p in decl.params],
        "returns": decl.returns,
        "pub": decl.is_pub,
        "container": decl.container,
        "doc": decl.doc,
    }


def _in_scope(path: Path, scope: Path | None) -> bool:
    return scope is None or path == scope or path.is_relative_to(scope)


def declaration_records(root: Path, scope: Path | None = None) -> tuple[Records, Problems, list[Path]]:
    """Declarations of the ``.spl`` files under ``scope`` (default: all of ``root``), the
    files that could not be read, and the non-regular files skipped."""
    from sffi_lsp.workspace.project import Project

    project = Project.open(root, natives=False)
    records = [
        declaration_record(d, root)
        for path in sorted(project.declarations.files) if _in_scope(path, scope)
        for d in project.declarations.files[path].declarations
    ]
    problems = [{"path": relative_path(p.path, root), "reason": p.reason}
                for p in project.declarations.problems.values() if _in_scope(p.path, scope)]
    skipped = [p for p in project.files.skipped if _in_scope(p, scope)] if project.files else []
    return records, problems, skipped


def source_file_records(path: Path, root: Path) -> tuple[Records, Problems]:
    """Declarations of one ``.spl`` file named directly."""
    from sffi_lsp.index.declarations import DeclarationIndex

    index = DeclarationIndex()
    index.build([path], workers=1)
    records = [declaration_record(d, root) for entries in index.files.values() for d in entries.declarations]
    problems = [{"path": relative_path(p.path, root), "reason": p.reason} for p in index.problems.values()]
    return records, problems


def library_file_records(path: Path, root: Path, json_items: list[str] | None = None) -> tuple[Records, Problems]:
    """Exported symbols of one library named directly (no workspace index, no cache).
    With ``json_items``, a plain shared library's records go there as compact JSON text
    (the fast path of ``symbols --format json``) instead of into the records returned."""
    from sffi_lsp.index.natives.reader import read_library_report
    from sffi_lsp.index.natives.records import library_json_items, library_records
    from sffi_lsp.index.natives.table import SymbolTable

    report = read_library_report(path)
    problems = [{"path": relative_path(p.path, root), "reason": p.reason} for p in report.problems]
    if report.info is None:
        return [], problems
    table = report.info.symbols
    if isinstance(table, SymbolTable) and table.path == path:
        if json_items is not None:
            json_items.extend(library_json_items(table, relative_path(path, root)))
            return [], problems
        return library_records(table, relative_path(path, root)), problems
    by_member: dict[Path, list[Any]] = {}
    for symbol in report.info.symbols:
        by_member.setdefault(symbol.path, []).append(symbol)
    records: Records = []
    for member, symbols in by_member.items():
        records += library_records(symbols, relative_path(member, root))
    return records, problems


def native_records(root: Path, scope: Path | None = None) -> tuple[Records, Problems, list[Path]]:
    from sffi_lsp.index.natives import native_symbol_records, problem_records
    from sffi_lsp.workspace.project import Project

    project = Project.open(root)
    records = native_symbol_records(project.natives, project.root)
    problems = problem_records(project.natives, project.root)
    if scope is not None:
        records = [r for r in records if _in_scope(root / r["path"], scope)]
        problems = [p for p in problems if _in_scope(root / p["path"], scope)]
    skipped = [p for p in project.files.skipped if _in_scope(p, scope)] if project.files else []
    return records, problems, skipped
