"""A narrow, fast ELF reader: the exported symbols and the dynamic-linking metadata.

It reads only the ELF header, the program and section headers, the symbol tables with
their string tables, and the dynamic section -- nothing else. Symbol tables are decoded
in bulk with ``array`` (one copy, optional byte swap) and filtered on packed integer
fields, so a 74k-symbol ``.dynsym`` is a single Python-level pass. ELF32/ELF64, little
and big endian. Every offset is checked against the bytes actually there.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import cast

from sffi_lsp.index.natives.table import SymbolTable

ELF_MAGIC = b"\x7fELF"

ET_REL, ET_EXEC, ET_DYN = 1, 2, 3
SHT_SYMTAB, SHT_DYNAMIC, SHT_DYNSYM = 2, 6, 11
SHT_GNU_VERDEF, SHT_GNU_VERSYM = 0x6FFFFFFD, 0x6FFFFFFF
VER_FLG_BASE, VERSYM_HIDDEN = 1, 0x8000
PT_INTERP = 3
DT_NULL, DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH = 0, 1, 14, 15, 29
SHN_UNDEF, SHN_ABS, SHN_XINDEX = 0, 0xFFF1, 0xFFFF

STB_GLOBAL, STB_WEAK, STB_GNU_UNIQUE = 1, 2, 10
STT_NOTYPE, STT_OBJECT, STT_FUNC, STT_COMMON, STT_TLS, STT_GNU_IFUNC = 0, 1, 2, 5, 6, 10
STV_DEFAULT, STV_PROTECTED = 0, 3

# What the dynamic linker binds a name to (glibc ``dl-lookup.c``: ``ALLOWED_STT`` and the
# binding switch of ``do_lookup_x``): GLOBAL, WEAK and GNU_UNIQUE bindings; NOTYPE
# (assembly labels, ``_end``), OBJECT, FUNC, COMMON, TLS (``thread_local``) and GNU_IFUNC
# types; defined (``st_shndx != SHN_UNDEF``); default or protected visibility. This is
# also exactly what ``nm -D --defined-only`` prints, except LOCAL entries of ``.dynsym``
# and the version-definition symbols (``A VERS_1.0``), which we leave out.
BINDINGS = (STB_GLOBAL, STB_WEAK, STB_GNU_UNIQUE)
TYPES = (STT_NOTYPE, STT_OBJECT, STT_FUNC, STT_COMMON, STT_TLS, STT_GNU_IFUNC)

_HOST_LITTLE = sys.byteorder == "little"


class ElfError(ValueError):
    """The bytes are not a readable ELF file; the message is the reason."""


@dataclass(frozen=True, slots=True)
class ElfContents:
    elf_type: int  # ET_REL, ET_EXEC, ET_DYN
    is_executable: bool  # ET_EXEC, or ET_DYN with an interpreter (PIE)
    symbols: SymbolTable
    soname: str | None
    needed: tuple[str, ...]
    runpath: tuple[str, ...]
    rpath: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Section:
    type: int
    offset: int
    size: int
    link: int
    entsize: int


@cache
def _exported_keys() -> frozenset[int]:
    """Every 16-bit (st_info | st_other << 8) value of an exported symbol (``BINDINGS``,
    ``TYPES``, default or protected visibility)."""
    keys = set()
    for info in range(256):
        if info >> 4 not in BINDINGS or info & 0xF not in TYPES:
            continue
        for other in range(256):
            if other & 3 in (STV_DEFAULT, STV_PROTECTED):
                keys.add(info | other << 8)
    return frozenset(keys)


class _Reader:
    """Bounded reads of ``buf[base : base + length]`` in one byte order."""

    def __init__(self, buf: object, base: int, length: int, little: bool, is64: bool) -> None:
        self.buf = buf
        self.base = base
        self.length = length
        self.little = little
        self.is64 = is64
        self.prefix = "<" if little else ">"

    def take(self, offset: int, size: int, what: str) -> bytes:
        if offset < 0 or size < 0 or offset + size > self.length:
            raise ElfError(
                f"truncated ELF: {what} at offset {offset} (+{size} bytes) lies beyond "
                f"the end of the file ({self.length} bytes)"
            )
        start = self.base + offset
        return bytes(self.buf[start : start + size])  # type: ignore[index]

    def words(self, data: bytes, code: str) -> array:
        values = array(code)
        usable = len(data) - len(data) % values.itemsize
        values.frombytes(data[:usable])
        if self.little != _HOST_LITTLE:
            values.byteswap()
        return values


def _string(table: bytes, offset: int) -> str:
    end = table.find(b"\0", offset)
    if end < 0:
        end = len(table)
    return table[offset:end].decode("utf-8", "surrogateescape")


def parse_elf(buf: object, path: Path, base: int = 0, length: int | None = None) -> ElfContents:
    """Exported symbols and metadata of the ELF image in ``buf[base : base + length]``.

    ``buf`` is anything sliceable to bytes (``bytes``, ``mmap``); only the headers and
    the tables needed are copied out of it. Raises ``ElfError`` with the reason.
    """
    if length is None:
        length = len(buf) - base  # type: ignore[arg-type]
    ident = bytes(buf[base : base + 16])  # type: ignore[index]
    if ident[:4] != ELF_MAGIC:
        raise ElfError("not an ELF file (bad magic)")
    if len(ident) < 16 or length < 16:
        raise ElfError(f"truncated ELF header ({min(len(ident), length)} bytes)")
    if ident[4] not in (1, 2):
        raise ElfError(f"unsupported ELF class {ident[4]}")
    if ident[5] not in (1, 2):
        raise ElfError(f"unsupported ELF data encoding {ident[5]}")
    is64 = ident[4] == 2
    reader = _Reader(buf, base, length, ident[5] == 1, is64)
    p = reader.prefix
    if is64:
        header = reader.take(16, 48, "the ELF header")
        (e_type, _machine, _version, _entry, e_phoff, e_shoff, _flags, _ehsize,
         e_phentsize, e_phnum, e_shentsize, e_shnum, _shstrndx) = struct.unpack(p + "HHIQQQIHHHHHH", header)
    else:
        header = reader.take(16, 36, "the ELF header")
        (e_type, _machine, _version, _entry, e_phoff, e_shoff, _flags, _ehsize,
         e_phentsize, e_phnum, e_shentsize, e_shnum, _shstrndx) = struct.unpack(p + "HHIIIIIHHHHHH", header)
    if e_type not in (ET_REL, ET_EXEC, ET_DYN):
        raise ElfError(f"unsupported ELF type {e_type} (not an object, executable or shared object)")

    sections = _section_headers(reader, e_shoff, e_shentsize, e_shnum)
    has_interp = e_type == ET_DYN and _has_interpreter(reader, e_phoff, e_phentsize, e_phnum)
    is_executable = e_type == ET_EXEC or has_interp

    dynsyms = [s for s in sections if s.type == SHT_DYNSYM]
    symtabs = [s for s in sections if s.type == SHT_SYMTAB]
    if e_type == ET_REL:
        tables = symtabs
    elif is_executable:
        tables = dynsyms + symtabs  # a binary's own functions live in .symtab unless -rdynamic
    else:
        tables = dynsyms or symtabs

    seen: set[str] | None = set() if len(tables) > 1 else None
    parts = [_exported_symbols(reader, sections, table, path, seen) for table in tables]
    symbols = parts[0] if len(parts) == 1 else SymbolTable.concat(path, parts)

    soname: str | None = None
    needed: list[str] = []
    runpath: list[str] = []
    rpath: list[str] = []
    for dynamic in (s for s in sections if s.type == SHT_DYNAMIC):
        soname, needed, runpath, rpath = _dynamic_entries(reader, sections, dynamic)
    return ElfContents(e_type, is_executable, symbols, soname, tuple(needed), tuple(runpath), tuple(rpath))


def _section_headers(reader: _Reader, shoff: int, entsize: int, count: int) -> list[_Section]:
    if shoff == 0:
        return []
    expected = 64 if reader.is64 else 40
    if entsize < expected:
        raise ElfError(f"bad section header size {entsize}")
    fmt = reader.prefix + ("IIQQQQIIQQ" if reader.is64 else "IIIIIIIIII")
    if count == 0:  # more than 0xff00 sections: the real count is in section 0's sh_size
        first = struct.unpack(fmt, reader.take(shoff, expected, "the section header table"))
        count = first[5]
    if count > 1_000_000:
        raise ElfError(f"implausible section count {count}")
    raw = reader.take(shoff, entsize * count, "the section header table")
    sections = []
    for i in range(count):
        (_name, sh_type, _flags, _addr, sh_offset, sh_size, sh_link, _info, _align,
         sh_entsize) = struct.unpack_from(fmt, raw, i * entsize)
        sections.append(_Section(sh_type, sh_offset, sh_size, sh_link, sh_entsize))
    return sections


def _has_interpreter(reader: _Reader, phoff: int, entsize: int, count: int) -> bool:
    if phoff == 0 or count == 0 or count == 0xFFFF:
        return False
    raw = reader.take(phoff, entsize * count, "the program header table")
    fmt = reader.prefix + "I"
    return any(struct.unpack_from(fmt, raw, i * entsize)[0] == PT_INTERP for i in range(count))


def _linked_strings(reader: _Reader, sections: list[_Section], table: _Section, what: str) -> bytes:
    if not 0 < table.link < len(sections):
        raise ElfError(f"{what} links to a missing string table (section {table.link})")
    strings = sections[table.link]
    return reader.take(strings.offset, strings.size, f"the string table of {what}")


def _exported_symbols(
    reader: _Reader, sections: list[_Section], table: _Section, path: Path, seen: set[str] | None
) -> SymbolTable:
    what = ".dynsym" if table.type == SHT_DYNSYM else ".symtab"
    entsize = 24 if reader.is64 else 16
    if table.entsize not in (0, entsize):
        raise ElfError(f"{what} has entry size {table.entsize}, expected {entsize}")
    data = reader.take(table.offset, table.size, what)
    strings = _linked_strings(reader, sections, table, what)
    keys = _exported_keys()
    if reader.is64:
        words = reader.words(data, "Q")
        heads, values, sizes = words[0::3], words[1::3], words[2::3]
        if reader.little:  # st_name | st_info << 32 | st_other << 40 | st_shndx << 48
            kept = [i for i, w in enumerate(heads) if (w >> 32) & 0xFFFF in keys and w >> 48]
            name_of = [heads[i] & 0xFFFFFFFF for i in kept]
            info_of = [(heads[i] >> 32) & 0xFF for i in kept]
        else:  # st_name << 32 | st_info << 24 | st_other << 16 | st_shndx
            kept = [i for i, w in enumerate(heads)
                    if ((w >> 24) & 0xFF | (w >> 8) & 0xFF00) in keys and w & 0xFFFF]
            name_of = [heads[i] >> 32 for i in kept]
            info_of = [(heads[i] >> 24) & 0xFF for i in kept]
    else:
        words = reader.words(data, "I")
        name_words, values, sizes, tails = words[0::4], words[1::4], words[2::4], words[3::4]
        if reader.little:  # st_info | st_other << 8 | st_shndx << 16
            kept = [i for i, w in enumerate(tails) if w & 0xFFFF in keys and w >> 16]
            info_of = [tails[i] & 0xFF for i in kept]
        else:  # st_info << 24 | st_other << 16 | st_shndx
            kept = [i for i, w in enumerate(tails)
                    if ((w >> 24) & 0xFF | (w >> 8) & 0xFF00) in keys and w & 0xFFFF]
            info_of = [tails[i] >> 24 for i in kept]
        name_of = [name_words[i] for i in kept]

    if seen is None and not kept:
        return SymbolTable(path, [], [], [], b"")
    names = _names_at(strings, name_of)
    table_values = [values[i] for i in kept]
    table_sizes = [sizes[i] for i in kept]
    drop: set[int] = set()
    if table.type == SHT_DYNSYM:
        if reader.is64:
            shndx_of = (lambda i: heads[i] >> 48) if reader.little else (lambda i: heads[i] & 0xFFFF)
        else:
            shndx_of = (lambda i: tails[i] >> 16) if reader.little else (lambda i: tails[i] & 0xFFFF)
        drop = _versioning_drops(reader, sections, table, kept, names, shndx_of)
    if seen is not None or drop or "" in names:  # unnamed, versioned, or de-duplication across tables
        rows = []
        for k, row in enumerate(zip(names, table_values, table_sizes, info_of, strict=True)):
            name = row[0]
            if not name or k in drop or (seen is not None and name in seen):
                continue
            if seen is not None:
                seen.add(name)
            rows.append(row)
        names = [r[0] for r in rows]
        table_values = [r[1] for r in rows]
        table_sizes = [r[2] for r in rows]
        info_of = [r[3] for r in rows]
    return SymbolTable(path, names, table_values, table_sizes, bytes(info_of))


def _versioning_drops(
    reader: _Reader, sections: list[_Section], table: _Section, kept: list[int], names: list[str],
    shndx_of: Callable[[int], int],
) -> set[int]:
    """Positions in ``kept`` that symbol versioning makes not a name of their own.

    * version-definition symbols: ``ld`` puts each version node of a version script
      (``VERS_1.0``) in ``.dynsym`` as an absolute OBJECT; ``nm -D`` prints them as ``A``.
    * a name exported in several versions (``name@VERS_1.0`` and ``name@@VERS_2.0``,
      which ``.gnu.version`` tells apart by its hidden bit): one row per name is kept,
      the default version's, else the first.
    """
    index = next((j for j, s in enumerate(sections) if s is table), -1)
    drop: set[int] = set()
    definitions = _version_definitions(reader, sections)
    if definitions:
        drop.update(k for k, name in enumerate(names) if name in definitions and shndx_of(kept[k]) == SHN_ABS)
    versym = next((s for s in sections if s.type == SHT_GNU_VERSYM and s.link == index), None)
    if versym is None:
        return drop
    data = reader.take(versym.offset, versym.size, ".gnu.version")
    high = data[1::2] if reader.little else data[0::2]  # the byte holding the hidden bit
    if not high or max(high) < VERSYM_HIDDEN >> 8:
        return drop  # no hidden (non-default) versions: the common case, no per-symbol work
    versions = reader.words(data, "H")
    count = len(versions)
    hidden = [k for k, i in enumerate(kept) if i < count and versions[i] & VERSYM_HIDDEN and k not in drop]
    if not hidden:
        return drop
    hidden_set = set(hidden)
    defaults = {name for k, name in enumerate(names) if k not in hidden_set and k not in drop}
    chosen: set[str] = set()
    for k in hidden:
        name = names[k]
        if name in defaults or name in chosen:
            drop.add(k)
        else:
            chosen.add(name)
    return drop


def _version_definitions(reader: _Reader, sections: list[_Section]) -> set[str]:
    """The names of the version nodes a library defines (``.gnu.version_d``), except
    the base one (the soname); an unreadable section gives none."""
    found: set[str] = set()
    fmt = reader.prefix + "HHHHIII"
    for section in sections:
        if section.type != SHT_GNU_VERDEF:
            continue
        try:
            data = reader.take(section.offset, section.size, ".gnu.version_d")
            strings = _linked_strings(reader, sections, section, ".gnu.version_d")
        except ElfError:
            continue
        pos = 0
        while pos + 20 <= len(data):
            _version, flags, _ndx, count, _hash, aux, following = struct.unpack_from(fmt, data, pos)
            if not flags & VER_FLG_BASE and count and pos + aux + 8 <= len(data):
                (name,) = struct.unpack_from(reader.prefix + "I", data, pos + aux)
                if name < len(strings):
                    found.add(_string(strings, name))
            if following == 0:
                break
            pos += following
    return found


def _names_at(strings: bytes, offsets: list[int]) -> list[str]:
    """The NUL-terminated names at ``offsets`` of a string table.

    The table is decoded once as latin-1 (one character per byte, so offsets stay
    valid) and split at NULs; offsets into the middle of a string (suffix sharing)
    fall back to a search. Non-ASCII names are re-decoded as UTF-8.
    """
    text = strings.decode("latin-1")
    parts = text.split("\0")
    starts = {}
    offset = 0
    for part in parts:
        starts[offset] = part
        offset += len(part) + 1
    get = starts.get
    found = [get(o) for o in offsets]
    if None in found:
        find = text.find
        for i, name in enumerate(found):
            if name is None:
                o = offsets[i]
                end = find("\0", o)
                found[i] = text[o : end if end >= 0 else None]
    names = cast("list[str]", found)
    if not text.isascii():
        names = [n if n.isascii() else n.encode("latin-1").decode("utf-8", "surrogateescape") for n in names]
    return names


def _dynamic_entries(
    reader: _Reader, sections: list[_Section], dynamic: _Section
) -> tuple[str | None, list[str], list[str], list[str]]:
    data = reader.take(dynamic.offset, dynamic.size, ".dynamic")
    strings = _linked_strings(reader, sections, dynamic, ".dynamic")
    words = reader.words(data, "Q" if reader.is64 else "I")
    soname: str | None = None
    needed: list[str] = []
    runpath: list[str] = []
    rpath: list[str] = []
    for i in range(0, len(words) - 1, 2):
        tag, value = words[i], words[i + 1]
        if tag == DT_NULL:
            break
        if tag not in (DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH):
            continue
        if value >= len(strings):
            raise ElfError(f".dynamic entry {tag} points outside the dynamic string table")
        text = _string(strings, value)
        if tag == DT_NEEDED:
            needed.append(text)
        elif tag == DT_SONAME:
            soname = text
        elif tag == DT_RUNPATH:
            runpath.extend(p for p in text.split(":") if p)
        else:
            rpath.extend(p for p in text.split(":") if p)
    return soname, needed, runpath, rpath
