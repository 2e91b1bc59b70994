"""The ELF/archive reader on libraries compiled in the test, and on bad input."""

from __future__ import annotations

import builtins
import os
import struct
import subprocess
from pathlib import Path

import pytest
from native_fixtures import (
    C_IFUNC_TLS,
    C_VERSIONED,
    TOOLCHAIN_SYMBOLS,
    VERSION_SCRIPT,
    build_archive,
    compile_c_object,
    compile_c_shared,
    compile_cpp_shared,
    require,
    run,
)

from sffi_lsp.index.natives import LibraryReadError, read_library, read_library_report
from sffi_lsp.index.natives.elf import parse_elf


def exported(info) -> dict[str, tuple[str, str]]:
    return {s.name: (s.symbol_type, s.binding) for s in info.symbols if s.name not in TOOLCHAIN_SYMBOLS}


def test_shared_object_exports_only_global_weak_defined_default_visibility(tmp_path: Path) -> None:
    lib = compile_c_shared(tmp_path)
    info = read_library(lib)
    assert info.format == "elf"
    assert exported(info) == {
        "rt_demo_exported": ("FUNC", "GLOBAL"),
        "rt_demo_weak": ("FUNC", "WEAK"),
        "rt_demo_counter": ("OBJECT", "GLOBAL"),
    }
    by_name = {s.name: s for s in info.symbols}
    assert by_name["rt_demo_exported"].address > 0 and by_name["rt_demo_exported"].size > 0
    assert by_name["rt_demo_counter"].size == 8
    assert by_name["rt_demo_exported"].path == lib


def nm_defined_names(path: Path) -> set[str]:
    """``nm -D --defined-only`` names, without versions, version definitions and LOCALs."""
    nm = require("nm")
    out = subprocess.run([nm, "-D", "--defined-only", os.fspath(path)], capture_output=True, text=True,
                         check=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3 or parts[1] == "A" or (parts[1].islower() and parts[1] not in "uvwi"):
            continue
        names.add(parts[2].split("@")[0])
    return names


def test_gnu_unique_symbols_are_listed(tmp_path: Path) -> None:
    lib = compile_cpp_shared(tmp_path)
    got = exported(read_library(lib))
    assert got["_ZN3BoxIiE5valueE"] == ("OBJECT", "UNIQUE")  # Box<int>::value
    assert got["_ZZ17rt_inline_countervE1c"] == ("OBJECT", "UNIQUE")  # rt_inline_counter()::c
    assert got["_Z10rt_use_boxv"] == ("FUNC", "GLOBAL")
    assert set(got) == nm_defined_names(lib) - TOOLCHAIN_SYMBOLS


def test_ifunc_tls_and_notype_symbols_are_listed(tmp_path: Path) -> None:
    lib = compile_c_shared(tmp_path, C_IFUNC_TLS, name="libifunc.so")
    got = exported(read_library(lib))
    assert got == {"rt_ifunc": ("IFUNC", "GLOBAL"), "rt_tls": ("TLS", "GLOBAL"), "rt_label": ("NOTYPE", "GLOBAL")}
    assert set(got) == nm_defined_names(lib) - TOOLCHAIN_SYMBOLS


def test_symbol_versions_one_row_per_name_and_no_version_definitions(tmp_path: Path) -> None:
    script = tmp_path / "vers.map"
    script.write_text(VERSION_SCRIPT)
    lib = compile_c_shared(tmp_path, C_VERSIONED, name="libvers.so", extra=(f"-Wl,--version-script={script}",))
    info = read_library(lib)
    names = [s.name for s in info.symbols]
    assert sorted(names) == ["rt_plain", "rt_ver"]  # not VERS_1.0 / VERS_2.0 (nm: A)
    assert set(names) == nm_defined_names(lib)
    # rt_ver's row is the default version's (rt_ver@@VERS_2.0), not rt_ver@VERS_1.0
    nm = require("nm")
    out = subprocess.run([nm, "-D", "--defined-only", os.fspath(lib)], capture_output=True, text=True).stdout
    default = next(int(line.split()[0], 16) for line in out.splitlines() if line.endswith("rt_ver@@VERS_2.0"))
    assert next(s.address for s in info.symbols if s.name == "rt_ver") == default


def test_soname_needed_and_runpath(tmp_path: Path) -> None:
    lib = compile_c_shared(tmp_path, extra=("-Wl,-soname,libdemo.so.1", "-Wl,-rpath,/opt/simple/lib:$ORIGIN",
                                            "-Wl,--enable-new-dtags", "-lm", "-Wl,--no-as-needed"))
    info = read_library(lib)
    assert info.soname == "libdemo.so.1"
    assert "libc.so.6" in info.needed
    assert info.runpath == ("/opt/simple/lib", "$ORIGIN")


def test_rpath_with_old_dtags(tmp_path: Path) -> None:
    lib = compile_c_shared(tmp_path, extra=("-Wl,-rpath,/old/lib", "-Wl,--disable-new-dtags"))
    assert read_library(lib).rpath == ("/old/lib",)


def test_versioned_name_is_a_library(tmp_path: Path) -> None:
    lib = compile_c_shared(tmp_path, name="libdemo.so.1.2")
    assert "rt_demo_exported" in exported(read_library(lib))


def test_relocatable_object(tmp_path: Path) -> None:
    obj = compile_c_object(tmp_path, "long rt_obj(long x) { return x; }\nstatic long hidden_obj(void) { return 0; }\n", "x.o")
    info = read_library(obj)
    assert info.format == "object"
    assert exported(info) == {"rt_obj": ("FUNC", "GLOBAL")}


def test_static_archive_every_member(tmp_path: Path) -> None:
    info = read_library(build_archive(tmp_path))
    assert info.format == "archive"
    assert exported(info) == {
        "rt_arch_one": ("FUNC", "GLOBAL"),
        "rt_arch_two": ("FUNC", "GLOBAL"),
        "rt_arch_data": ("OBJECT", "GLOBAL"),
    }


def test_archive_with_long_member_names(tmp_path: Path) -> None:
    long_name = "a_member_with_a_name_longer_than_sixteen.o"
    obj = compile_c_object(tmp_path, "int rt_long_member(void) { return 1; }\n", long_name)
    out = tmp_path / "liblong.a"
    run("ar", "rcs", out, obj)
    assert exported(read_library(out)) == {"rt_long_member": ("FUNC", "GLOBAL")}


def test_executable_reads_symtab_too(tmp_path: Path) -> None:
    src = tmp_path / "main.c"
    src.write_text("long rt_in_binary(long x) { return x + 1; }\nint main(void) { return (int)rt_in_binary(0) - 1; }\n")
    exe = tmp_path / "simple"
    run("cc", "-O0", "-o", exe, src)
    names = {s.name for s in read_library(exe).symbols}
    assert {"rt_in_binary", "main"} <= names


def test_symbol_table_sequence_behaves_like_the_tuple(tmp_path: Path) -> None:
    info = read_library(compile_c_shared(tmp_path))
    as_tuple = tuple(info.symbols)
    assert info.symbols == as_tuple
    assert info.symbols[0] == as_tuple[0] and info.symbols[-1] == as_tuple[-1]
    assert as_tuple[0] in info.symbols
    import pickle

    assert pickle.loads(pickle.dumps(info)) == info


def _byteswapped_elf64_object(native: bytes) -> bytes:
    """A big-endian copy of a little-endian ELF64 relocatable object's headers and
    symbol table (enough for the reader: header, section headers, .symtab, .strtab)."""
    data = bytearray(native)
    data[5] = 2
    fields = "HHIQQQIHHHHHH"
    header = struct.unpack_from("<" + fields, native, 16)
    struct.pack_into(">" + fields, data, 16, *header)
    shoff, shentsize, shnum = header[5], header[10], header[11]
    for i in range(shnum):
        section = struct.unpack_from("<IIQQQQIIQQ", native, shoff + i * shentsize)
        struct.pack_into(">IIQQQQIIQQ", data, shoff + i * shentsize, *section)
        if section[1] == 2:  # SHT_SYMTAB
            for off in range(section[4], section[4] + section[5], 24):
                struct.pack_into(">IBBHQQ", data, off, *struct.unpack_from("<IBBHQQ", native, off))
    return bytes(data)


def test_big_endian_elf64(tmp_path: Path) -> None:
    obj = compile_c_object(tmp_path, "long rt_be(long x) { return x; }\nlong rt_be_data = 1;\n", "be.o")
    little = parse_elf(obj.read_bytes(), obj)
    big = parse_elf(_byteswapped_elf64_object(obj.read_bytes()), obj)
    assert [(s.name, s.symbol_type, s.size) for s in big.symbols] == [
        (s.name, s.symbol_type, s.size) for s in little.symbols]
    assert {s.name for s in big.symbols} == {"rt_be", "rt_be_data"}


def _elf32_object() -> bytes:
    """A minimal hand-built little-endian ELF32 relocatable object with two symbols."""
    strtab = b"\0rt_small\0rt_hidden\0"
    syms = struct.pack("<IIIBBH", 0, 0, 0, 0, 0, 0)
    syms += struct.pack("<IIIBBH", 1, 0x10, 4, (1 << 4) | 2, 0, 1)  # GLOBAL FUNC default
    syms += struct.pack("<IIIBBH", 10, 0x20, 4, (1 << 4) | 2, 2, 1)  # hidden
    body_off = 52
    strtab_off = body_off
    symtab_off = strtab_off + len(strtab)
    shoff = symtab_off + len(syms)
    sections = struct.pack("<10I", *([0] * 10))
    sections += struct.pack("<10I", 0, 3, 0, 0, strtab_off, len(strtab), 0, 0, 1, 0)
    sections += struct.pack("<10I", 0, 2, 0, 0, symtab_off, len(syms), 1, 1, 4, 16)
    header = b"\x7fELF" + bytes([1, 1, 1]) + bytes(9)
    header += struct.pack("<HHIIIIIHHHHHH", 1, 3, 1, 0, 0, shoff, 0, 52, 0, 0, 40, 3, 0)
    return header + strtab + syms + sections


def test_elf32_little_endian() -> None:
    contents = parse_elf(_elf32_object(), Path("small.o"))
    assert [(s.name, s.address, s.size) for s in contents.symbols] == [("rt_small", 0x10, 4)]


# --------------------------------------------------------------------------- bad input


def _problem(path: Path) -> str:
    report = read_library_report(path)
    assert report.info is None
    assert len(report.problems) == 1 and report.problems[0].path == path
    with pytest.raises(LibraryReadError) as error:
        read_library(path)
    assert error.value.reason == report.problems[0].reason
    return report.problems[0].reason


def test_truncated_elf(tmp_path: Path) -> None:
    lib = compile_c_shared(tmp_path)
    cut = tmp_path / "libcut.so"
    cut.write_bytes(lib.read_bytes()[:2000])
    assert "truncated ELF" in _problem(cut)


def test_truncated_header(tmp_path: Path) -> None:
    cut = tmp_path / "libtiny.so"
    cut.write_bytes(b"\x7fELF\x02\x01")
    assert "truncated" in _problem(cut)


def test_text_file_named_like_a_library(tmp_path: Path) -> None:
    text = tmp_path / "libx.so"
    text.write_text("INPUT(-lfoo)\n")  # a GNU ld script, as some distros ship
    assert "not a library: a text file" in _problem(text)


def test_zero_byte_file(tmp_path: Path) -> None:
    empty = tmp_path / "libempty.so"
    empty.write_bytes(b"")
    assert "empty file" in _problem(empty)


def test_dangling_symlink(tmp_path: Path) -> None:
    link = tmp_path / "libgone.so"
    link.symlink_to(tmp_path / "libnothere.so.1")
    assert "dangling symlink" in _problem(link)


def test_directory_named_like_a_library(tmp_path: Path) -> None:
    # Tests run as root, so chmod 000 does not make a file unreadable; a directory
    # with a library's name is the unreadable case that root also meets.
    directory = tmp_path / "libx.so"
    directory.mkdir()
    assert "is a directory" in _problem(directory)


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root ignores chmod 000, so open() is made to refuse as it would for a user.
    lib = compile_c_shared(tmp_path)
    real_open = builtins.open

    def refusing_open(file, *args, **kwargs):
        if os.fspath(file) == os.fspath(lib):
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    assert _problem(lib) == "permission denied"


def test_archive_with_a_corrupt_member_keeps_the_others(tmp_path: Path) -> None:
    good = compile_c_object(tmp_path, "int rt_good(void) { return 1; }\n", "good.o")
    bad = tmp_path / "bad.o"
    bad.write_bytes(good.read_bytes()[:100])  # ELF magic, truncated
    out = tmp_path / "libmixed.a"
    run("ar", "rcs", out, good, bad)
    report = read_library_report(out)
    assert report.info is not None
    assert {s.name for s in report.info.symbols} == {"rt_good"}
    assert len(report.problems) == 1
    assert "archive member bad.o" in report.problems[0].reason and "truncated" in report.problems[0].reason


def test_huge_sparse_file_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    huge = tmp_path / "libhuge.so"
    with open(huge, "wb") as handle:
        handle.truncate(2**31)
    reads: list[int] = []
    real_open = builtins.open

    class CountingFile:
        def __init__(self, inner):
            self.inner = inner

        def read(self, n=-1):
            reads.append(n)
            return self.inner.read(n)

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.inner.close()

    def counting_open(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        return CountingFile(handle) if os.fspath(file) == os.fspath(huge) else handle

    monkeypatch.setattr(builtins, "open", counting_open)
    assert "not a library" in _problem(huge)
    assert reads and all(0 < n <= 8 for n in reads)


def test_sparse_file_with_elf_magic_is_bounded(tmp_path: Path) -> None:
    huge = tmp_path / "libsparse.so"
    with open(huge, "wb") as handle:
        handle.write(b"\x7fELF\x02\x01\x01" + bytes(9) + struct.pack("<HH", 3, 62))
        handle.truncate(2**31)
    report = read_library_report(huge)  # no section headers: readable, exports nothing
    assert report.info is not None and len(report.info.symbols) == 0 and not report.problems

