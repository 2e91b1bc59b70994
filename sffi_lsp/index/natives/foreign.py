"""Mach-O (``.dylib``) and PE (``.dll``) exports, read with LIEF.

These are rare in a Simple workspace (the runtime loads ``.so`` files), so the general
and slower LIEF parser is fine here. The parsed binary is held in a local for the whole
walk: iterating symbols of a temporary LIEF object crashes the interpreter.
"""

from __future__ import annotations

from pathlib import Path

from sffi_lsp.index.natives.table import INFO_FUNC_GLOBAL, SymbolTable
from sffi_lsp.model import LibraryInfo


def read_with_lief(path: Path, fmt: str) -> LibraryInfo:
    """Exported functions and linked libraries of a Mach-O or PE image."""
    import lief

    from sffi_lsp.index.natives.reader import LibraryReadError

    lief.logging.disable()
    binary = lief.parse(str(path))
    if binary is None:
        raise LibraryReadError(path, f"not a readable {'Mach-O' if fmt == 'macho' else 'PE'} file")
    if isinstance(binary, lief.MachO.FatBinary):  # a universal binary: its first slice
        fat = binary
        binary = fat.at(0)
    names: list[str] = []
    addresses: list[int] = []
    sizes: list[int] = []
    seen: set[str] = set()
    exported = binary.exported_functions
    for function in exported:
        name = function.name
        if fmt == "macho" and name.startswith("_"):
            name = name[1:]  # the C name: dlsym("rt_x") finds "_rt_x"
        if not name or name in seen:
            continue
        seen.add(name)
        names.append(name)
        addresses.append(int(function.address))
        sizes.append(int(function.size))
    needed = tuple(str(lib) if isinstance(lib, str) else str(getattr(lib, "name", lib)) for lib in binary.libraries)
    rpath: tuple[str, ...] = ()
    if fmt == "macho":
        rpath = tuple(str(r.path) for r in binary.rpaths)
    info = bytes([INFO_FUNC_GLOBAL]) * len(names)
    symbols = SymbolTable(path, names, addresses, sizes, info)
    return LibraryInfo(path, fmt, symbols, None, needed, (), rpath)  # type: ignore[arg-type]
