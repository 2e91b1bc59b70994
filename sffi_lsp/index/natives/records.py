"""JSON-ready records of the native index, for ``sffi-lsp symbols`` and tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sffi_lsp.index.natives.demangle import demangle, demangle_many_started
from sffi_lsp.index.natives.index import NativeIndex
from sffi_lsp.index.natives.table import _BINDINGS, _TYPES, SymbolTable
from sffi_lsp.model import NativeKind, NativeSymbol
from sffi_lsp.workspace.discovery import relative_path


def symbol_record(symbol: NativeSymbol, root: Path) -> dict[str, Any]:
    record: dict[str, Any] = {"kind": symbol.kind.value, "name": symbol.name,
                              "path": relative_path(symbol.path, root)}
    if symbol.kind is NativeKind.LIBRARY:
        record.update(address=symbol.address, size=symbol.size, type=symbol.symbol_type,
                      binding=symbol.binding, demangled=symbol.demangled or demangle(symbol.name))
        return record
    span = symbol.name_span or symbol.span
    if span is not None:
        record.update(line=span.start.line + 1, column=span.start.character + 1)
    if symbol.table is not None:
        record["table" if symbol.kind is NativeKind.RUNTIME_TABLE else "plugin"] = symbol.table
    if symbol.params is not None:
        record["signature"] = symbol.signature()
    return record


def library_records(symbols: Sequence[NativeSymbol], path: str) -> list[dict[str, Any]]:
    """Records of one library's symbols: ``path`` computed once, names demangled in bulk
    (while the records are built), a symbol table read column by column."""
    if isinstance(symbols, SymbolTable):
        names = symbols.names
        finish = demangle_many_started(names)
        infos = symbols.infos
        records = [
            {"kind": "library", "name": name, "path": path, "address": address, "size": size,
             "type": _TYPES.get(info & 0xF, "FUNC"), "binding": _BINDINGS.get(info >> 4, "GLOBAL"),
             "demangled": None}
            for name, address, size, info in zip(names, symbols.addresses, symbols.sizes, infos, strict=True)
        ]
    else:
        names = [s.name for s in symbols]
        finish = demangle_many_started(names)
        records = [
            {"kind": s.kind.value, "name": s.name, "path": path, "address": s.address, "size": s.size,
             "type": s.symbol_type, "binding": s.binding, "demangled": s.demangled}
            for s in symbols
        ]
    for record, demangled in zip(records, finish(), strict=True):
        if record["demangled"] is None:
            record["demangled"] = demangled
    return records


def native_symbol_records(index: NativeIndex, root: Path) -> list[dict[str, Any]]:
    """Every symbol of the index as a dict: kind, name, path (relative, posix), and
    line/column (1-based) for source kinds or address/size/type/binding/demangled for
    binaries. Ordered by path, then position."""
    by_library: dict[Path, list[NativeSymbol]] = {}
    records = []
    for info in index.libraries.values():
        table = info.symbols
        if isinstance(table, SymbolTable):
            records += library_records(table, relative_path(table.path, root))
            continue
        for s in table:
            by_library.setdefault(s.path, []).append(s)
    for symbols in index.source_symbols.values():
        records += [symbol_record(s, root) for s in symbols]
    records += [symbol_record(s, root) for s in index._manifest_symbols()]
    for path, members in by_library.items():
        records += library_records(members, relative_path(path, root))
    records.sort(key=lambda r: (r["path"], r.get("line", 0), r.get("column", 0), r.get("address") or 0, r["name"]))
    return records


def problem_records(index: NativeIndex, root: Path) -> list[dict[str, Any]]:
    return sorted(({"path": relative_path(p.path, root), "reason": p.reason} for p in index.problems),
                  key=lambda r: (r["path"], r["reason"]))
