"""Document symbols (``.spl`` and ``.wrapper_spec``) and workspace symbols."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sffi_lsp.index.declarations import FileEntries
from sffi_lsp.model import Declaration, DeclKind, Span
from sffi_lsp.spec.abi import function_symbol, method_symbol
from sffi_lsp.spec.parser import WrapperSpec


class SymbolKind:
    """A subset of LSP's SymbolKind names (the server maps them)."""

    FUNCTION = "function"
    METHOD = "method"
    CLASS = "class"
    STRUCT = "struct"
    MODULE = "module"
    TYPE = "type"


_DECL_KINDS = {
    DeclKind.EXTERN_FN: SymbolKind.FUNCTION,
    DeclKind.FN: SymbolKind.FUNCTION,
    DeclKind.EXTERN_TYPE: SymbolKind.TYPE,
    DeclKind.EXTERN_CLASS: SymbolKind.CLASS,
    DeclKind.CLASS: SymbolKind.CLASS,
}


@dataclass
class SymbolEntry:
    name: str
    kind: str
    path: Path
    span: Span
    selection_span: Span
    detail: str = ""
    container: str | None = None
    children: list[SymbolEntry] = field(default_factory=list)


def _entry(decl: Declaration) -> SymbolEntry:
    kind = SymbolKind.METHOD if decl.kind is DeclKind.FN and decl.container else _DECL_KINDS[decl.kind]
    detail = decl.signature() if decl.kind in (DeclKind.EXTERN_FN, DeclKind.FN) else decl.kind.value
    return SymbolEntry(decl.name, kind, decl.path, decl.span, decl.name_span, detail, decl.container)


def spl_symbols(entries: FileEntries) -> list[SymbolEntry]:
    """Top-level declarations, with methods nested under their class."""
    top: list[SymbolEntry] = []
    classes: dict[str, SymbolEntry] = {}
    for decl in entries.declarations:
        entry = _entry(decl)
        parent = classes.get(decl.container) if decl.container else None
        if parent is not None and parent.span.start_byte <= decl.span.start_byte <= parent.span.end_byte:
            parent.children.append(entry)
            continue
        top.append(entry)
        if decl.kind in (DeclKind.CLASS, DeclKind.EXTERN_CLASS):
            classes[decl.name] = entry
    return top


def spec_symbols(path: Path, spec: WrapperSpec, whole: Span) -> list[SymbolEntry]:
    """The library, its handle types, functions and methods (with their generated names)."""
    out: list[SymbolEntry] = []
    lib_span = spec.spans.get("name")
    if spec.name and lib_span is not None:
        out.append(SymbolEntry(spec.name, SymbolKind.MODULE, path, lib_span, lib_span, f"wrapper_lib ({spec.backend})"))
    for handle in spec.handle_types:
        out.append(SymbolEntry(handle.name, SymbolKind.STRUCT, path, handle.name_span, handle.name_span, "handle type"))
    for fn in spec.functions:
        out.append(SymbolEntry(fn.name, SymbolKind.FUNCTION, path, fn.name_span, fn.name_span,
                               function_symbol(spec, fn.name)))
    for m in spec.methods:
        out.append(SymbolEntry(m.name, SymbolKind.METHOD, path, m.name_span, m.name_span,
                               method_symbol(spec, m.handle, m.name), container=m.handle))
    return out


def matches_query(name: str, query: str) -> bool:
    """Case-insensitive subsequence match, as editors do for workspace symbols."""
    if not query:
        return True
    it = iter(name.lower())
    return all(ch in it for ch in query.lower())


def workspace_symbols(declarations: Iterable[Declaration], query: str, limit: int = 500) -> list[SymbolEntry]:
    out = []
    for decl in declarations:
        if matches_query(decl.name, query):
            out.append(_entry(decl))
            if len(out) >= limit:
                break
    return out
