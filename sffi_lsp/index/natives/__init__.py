"""The native symbol index: compiled libraries, Tier 1 sources, runtime tables, manifests.

Public API::

    NativeIndex(root, settings, cache=None).build(); .update(paths); .lookup(name)
    read_library(path) -> LibraryInfo            # raises LibraryReadError(path, reason)
    read_library_report(path) -> LibraryReport   # never raises: info | None, problems
    parse_manifest / render_manifest_entry / add_or_update_entry
    native_symbol_records(index, root) / problem_records(index, root)
    demangle(name) -> str | None
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The function, not the submodule of the same name (imported eagerly: it is small).
from sffi_lsp.index.natives.demangle import demangle, display_name

if TYPE_CHECKING:
    from sffi_lsp.index.natives.crates import CrateInfo, read_crate
    from sffi_lsp.index.natives.index import ManifestCheck, NativeIndex, manifest_paths
    from sffi_lsp.index.natives.manifest import (
        Manifest,
        ManifestEntry,
        ManifestIssue,
        add_or_update_entry,
        parse_manifest,
        render_manifest_entry,
    )
    from sffi_lsp.index.natives.reader import LibraryReadError, LibraryReport, read_library, read_library_report
    from sffi_lsp.index.natives.records import native_symbol_records, problem_records
    from sffi_lsp.index.natives.sources import source_symbols
    from sffi_lsp.index.natives.table import SymbolTable

# Each public name -> the submodule defining it, imported on first use: reading one
# library (``symbols --native lib.so``) needs neither the index nor the crate reader.
_HOMES = {
    "CrateInfo": "crates", "read_crate": "crates",
    "ManifestCheck": "index", "NativeIndex": "index", "manifest_paths": "index",
    "Manifest": "manifest", "ManifestEntry": "manifest", "ManifestIssue": "manifest",
    "add_or_update_entry": "manifest", "parse_manifest": "manifest", "render_manifest_entry": "manifest",
    "LibraryReadError": "reader", "LibraryReport": "reader", "read_library": "reader",
    "read_library_report": "reader",
    "native_symbol_records": "records", "problem_records": "records",
    "source_symbols": "sources", "SymbolTable": "table",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "CrateInfo", "LibraryReadError", "LibraryReport", "Manifest", "ManifestCheck", "ManifestEntry",
    "ManifestIssue", "NativeIndex", "SymbolTable", "add_or_update_entry", "demangle", "display_name",
    "manifest_paths", "native_symbol_records", "parse_manifest", "problem_records", "read_crate",
    "read_library", "read_library_report", "render_manifest_entry", "source_symbols",
]
