"""JSON-ready records of the native index, for ``sffi-lsp symbols`` and tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sffi_lsp.index.natives.demangle import demangle
from sffi_lsp.index.natives.index import NativeIndex
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


def native_symbol_records(index: NativeIndex, root: Path) -> list[dict[str, Any]]:
    """Every symbol of the index as a dict: kind, name, path (relative, posix), and
    line/column (1-based) for source kinds or address/size/type/binding/demangled for
    binaries. Ordered by path, then position."""
    records = [symbol_record(s, root) for s in index.symbols()]
    records.sort(key=lambda r: (r["path"], r.get("line", 0), r.get("column", 0), r.get("address") or 0, r["name"]))
    return records


def problem_records(index: NativeIndex, root: Path) -> list[dict[str, Any]]:
    return sorted(({"path": relative_path(p.path, root), "reason": p.reason} for p in index.problems),
                  key=lambda r: (r["path"], r["reason"]))
