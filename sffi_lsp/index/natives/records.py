"""JSON-ready records of the native index, for ``sffi-lsp symbols`` and tests."""

from __future__ import annotations

import json
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


def _json_strings(values: Sequence[str]) -> list[str]:
    """Each string as the inside of a JSON string literal, all escaped in one C call: in
    ``json.dumps`` output a raw ``","`` only ever separates two items (a quote inside a
    string is escaped), so splitting on it is exact."""
    if not values:
        return []
    return json.dumps(values, separators=(",", ":"))[2:-2].split('","')


# ELF st_info byte -> the "type" and "binding" members of a record, as JSON text.
_INFO_JSON = [f'"type":"{_TYPES.get(i & 0xF, "FUNC")}","binding":"{_BINDINGS.get(i >> 4, "GLOBAL")}"'
              for i in range(256)]


def library_json_items(table: SymbolTable, path: str) -> list[str]:
    """The compact JSON text of each record ``library_records`` would give, written
    straight from the columns (no dict per symbol; strings escaped by the C encoder in
    bulk), the demangling running in bulk meanwhile. ``json.loads`` of each equals the
    record."""
    finish = demangle_many_started(table.names)
    head = '{"kind":"library","name":"%s","path":' + json.dumps(path) + ',"address":%d,"size":%d,%s,"demangled":'
    info_json = _INFO_JSON
    heads = list(map(head.__mod__, zip(_json_strings(table.names), table.addresses, table.sizes,
                                       [info_json[i] for i in table.infos], strict=True)))
    demangled = _json_strings([d or "" for d in finish()])
    return [f'{h}"{d}"}}' if d else f"{h}null}}" for h, d in zip(heads, demangled, strict=True)]


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
