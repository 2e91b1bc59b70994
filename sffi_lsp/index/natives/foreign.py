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
    kind = "Mach-O" if fmt == "macho" else "PE"
    parsed = lief.parse(str(path))
    if isinstance(parsed, lief.MachO.FatBinary):  # a universal binary: its first slice
        fat = parsed  # held: the slice lives inside it
        parsed = fat.at(0)
    binary = parsed
    if not isinstance(binary, (lief.MachO.Binary, lief.PE.Binary)):
        raise LibraryReadError(path, f"not a readable {kind} file")
    names: list[str] = []
    addresses: list[int] = []
    sizes: list[int] = []
    seen: set[str] = set()
    exported = binary.exported_functions
    for function in exported:
        raw = function.name
        name = raw.decode("utf-8", "surrogateescape") if isinstance(raw, bytes) else str(raw)
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
    if isinstance(binary, lief.MachO.Binary):
        rpath = tuple(str(r.path) for r in binary.rpaths)
    info = bytes([INFO_FUNC_GLOBAL]) * len(names)
    symbols = SymbolTable(path, names, addresses, sizes, info)
    return LibraryInfo(path, fmt, symbols, None, needed, (), rpath)  # type: ignore[arg-type]
