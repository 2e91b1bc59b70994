"""Read one compiled library: ELF shared objects, executables and objects, ``ar``
archives of objects, and (through LIEF) Mach-O and PE images.

``read_library(path)`` returns a ``LibraryInfo`` or raises ``LibraryReadError`` carrying
the reason; ``read_library_report(path)`` never raises and returns the info (or None)
with the problems found, so that an archive with one corrupt member still yields the
symbols of its other members. The file's magic is checked before anything else is
read, and ELF/archive files are memory-mapped, so a huge file is never read whole.
"""

from __future__ import annotations

import mmap
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sffi_lsp.index.natives.elf import ELF_MAGIC, ElfError, parse_elf
from sffi_lsp.index.natives.table import SymbolTable
from sffi_lsp.model import LibraryInfo, Problem

AR_MAGIC = b"!<arch>\n"
AR_THIN_MAGIC = b"!<thin>\n"
MACHO_MAGICS = {
    b"\xfe\xed\xfa\xce", b"\xce\xfa\xed\xfe", b"\xfe\xed\xfa\xcf", b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe", b"\xbe\xba\xfe\xca",
}
PE_MAGIC = b"MZ"


class LibraryReadError(Exception):
    """A library file that could not be read at all; ``reason`` says why."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def problem(self) -> Problem:
        return Problem(self.path, self.reason)


@dataclass(frozen=True, slots=True)
class LibraryReport:
    """What reading one library file gave: the info (None if unreadable) and problems."""

    info: LibraryInfo | None
    problems: tuple[Problem, ...] = ()


def read_library(path: Path) -> LibraryInfo:
    """The exported symbols and metadata of one library; raises ``LibraryReadError``.

    Problems with single archive members do not raise; use ``read_library_report``
    to see them.
    """
    report = read_library_report(path)
    if report.info is None:
        raise LibraryReadError(path, report.problems[0].reason if report.problems else "unreadable")
    return report.info


def read_library_report(path: Path) -> LibraryReport:
    """Like ``read_library`` but never raises (any failure becomes a ``Problem``)."""
    try:
        return _read(path)
    except LibraryReadError as exc:
        return LibraryReport(None, (exc.problem(),))
    except (ElfError, ValueError) as exc:
        return LibraryReport(None, (Problem(path, str(exc)),))
    except PermissionError:
        return LibraryReport(None, (Problem(path, "permission denied"),))
    except OSError as exc:
        return LibraryReport(None, (Problem(path, f"cannot read: {exc.strerror or exc}"),))
    except Exception as exc:  # a reader bug must not take the index down with it
        return LibraryReport(None, (Problem(path, f"cannot read: {type(exc).__name__}: {exc}"),))


def _read(path: Path) -> LibraryReport:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise LibraryReadError(path, f"dangling symlink to {os.readlink(path)}") from None
        raise LibraryReadError(path, "file not found") from None
    if stat.S_ISDIR(info.st_mode):
        raise LibraryReadError(path, "is a directory, not a library file")
    if not stat.S_ISREG(info.st_mode):
        raise LibraryReadError(path, "not a regular file")
    if info.st_size == 0:
        raise LibraryReadError(path, "empty file (0 bytes)")
    with open(path, "rb") as handle:
        magic = handle.read(8)
        if magic[:4] == ELF_MAGIC:
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
                return LibraryReport(_elf_library(view, path))
        if magic == AR_MAGIC:
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
                return _archive_library(view, path)
        if magic == AR_THIN_MAGIC:
            raise LibraryReadError(path, "thin archive (members live elsewhere): not supported")
    if magic[:4] in MACHO_MAGICS or magic[:2] == PE_MAGIC:
        from sffi_lsp.index.natives.foreign import read_with_lief

        return LibraryReport(read_with_lief(path, "macho" if magic[:4] in MACHO_MAGICS else "pe"))
    kind = "a text file" if _looks_like_text(magic) else "unrecognised format"
    raise LibraryReadError(path, f"not a library: {kind} (first bytes {magic[:4]!r})")


def _looks_like_text(prefix: bytes) -> bool:
    return all(32 <= b < 127 or b in b"\t\r\n" for b in prefix)


def _elf_library(buf: object, path: Path) -> LibraryInfo:
    contents = parse_elf(buf, path)
    fmt = "object" if contents.elf_type == 1 else "elf"
    symbols = contents.symbols  # a SymbolTable (a Sequence standing in for the tuple)
    return LibraryInfo(
        path, fmt, symbols, contents.soname, contents.needed, contents.runpath, contents.rpath  # type: ignore[arg-type]
    )


# --------------------------------------------------------------------------- ar archives


@dataclass(frozen=True, slots=True)
class ArMember:
    name: str
    offset: int  # of the member's data in the archive
    size: int


def iter_ar_members(buf: object, length: int) -> Iterator[ArMember | str]:
    """The members of an ``ar`` archive (GNU and BSD names); a string is an error that
    stops the walk (the header it names is unusable)."""
    pos = len(AR_MAGIC)
    long_names = b""
    while pos + 60 <= length:
        header = bytes(buf[pos : pos + 60])  # type: ignore[index]
        if header[58:60] != b"`\n":
            yield f"corrupt archive member header at offset {pos}"
            return
        raw_name = header[:16].decode("latin-1").rstrip()
        try:
            size = int(header[48:58].decode("latin-1").strip() or "0")
        except ValueError:
            yield f"corrupt archive member size at offset {pos}"
            return
        data = pos + 60
        if data + size > length:
            yield f"archive member {raw_name!r} at offset {pos} is truncated"
            return
        pos = data + size + (size & 1)
        if raw_name == "//":  # GNU long-name table
            long_names = bytes(buf[data : data + size])  # type: ignore[index]
            continue
        if raw_name in ("/", "/SYM64/", "__.SYMDEF", "__.SYMDEF SORTED"):
            continue  # symbol index
        name = raw_name
        offset = data
        if raw_name.startswith("#1/"):  # BSD: the name follows the header
            try:
                name_len = int(raw_name[3:])
            except ValueError:
                yield f"corrupt BSD member name {raw_name!r}"
                return
            name = bytes(buf[data : data + name_len]).rstrip(b"\0").decode("utf-8", "replace")  # type: ignore[index]
            offset = data + name_len
            size -= name_len
        elif raw_name.startswith("/") and raw_name[1:].isdigit():
            start = int(raw_name[1:])
            end = long_names.find(b"/\n", start)
            name = long_names[start : end if end >= 0 else None].decode("utf-8", "replace")
        elif raw_name.endswith("/"):
            name = raw_name[:-1]
        yield ArMember(name, offset, size)


def _archive_library(buf: mmap.mmap, path: Path) -> LibraryReport:
    tables: list[SymbolTable] = []
    problems: list[Problem] = []
    length = len(buf)
    for member in iter_ar_members(buf, length):
        if isinstance(member, str):
            problems.append(Problem(path, member))
            break
        head = bytes(buf[member.offset : member.offset + 4])
        if head != ELF_MAGIC:
            if member.name.endswith((".o", ".obj")):
                problems.append(Problem(path, f"archive member {member.name}: not an ELF object"))
            continue  # rmeta, symdefs and other non-object members
        try:
            contents = parse_elf(buf, path, member.offset, member.size)
        except ElfError as exc:
            problems.append(Problem(path, f"archive member {member.name}: {exc}"))
            continue
        tables.append(contents.symbols)
    symbols = SymbolTable.concat(path, tables)
    return LibraryReport(LibraryInfo(path, "archive", symbols), tuple(problems))  # type: ignore[arg-type]


