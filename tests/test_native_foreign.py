"""Mach-O and PE exports through LIEF, on two small vendored binaries (MarkupSafe 3.0.4's
compiled extension, BSD-3-Clause; see tests/data/markupsafe/README.md)."""

from __future__ import annotations

from pathlib import Path

from sffi_lsp.index.natives import read_library, read_library_report

DATA = Path(__file__).parent / "data" / "markupsafe"



def test_macho_exports_without_the_leading_underscore() -> None:
    path = DATA / "speedups-macos-arm64.dylib"
    info = read_library(path)
    assert info.format == "macho"
    # the export trie holds "_PyInit__speedups"; dlsym("PyInit__speedups") finds it
    assert [(s.name, s.symbol_type, s.binding, s.path) for s in info.symbols] == [
        ("PyInit__speedups", "FUNC", "GLOBAL", path)]
    assert info.symbols[0].address > 0
    assert info.needed == ("/usr/lib/libSystem.B.dylib",)
    assert info.rpath == ()


def test_pe_exports_and_imported_dlls() -> None:
    path = DATA / "speedups-win-amd64.pyd"
    report = read_library_report(path)
    assert report.problems == ()
    info = report.info
    assert info is not None and info.format == "pe"
    # export RVA as printed by `objdump -p` ("[   0] +base[   1] 16e0 Export RVA")
    assert [(s.name, s.address, s.symbol_type) for s in info.symbols] == [("PyInit__speedups", 0x16E0, "FUNC")]
    assert info.needed == ("python311.dll", "KERNEL32.dll", "VCRUNTIME140.dll", "api-ms-win-crt-runtime-l1-1-0.dll")


def test_truncated_images_do_not_crash(tmp_path: Path) -> None:
    pe = tmp_path / "broken.dll"
    pe.write_bytes((DATA / "speedups-win-amd64.pyd").read_bytes()[:200])
    report = read_library_report(pe)
    assert report.info is None
    assert [p.reason for p in report.problems] == ["not a readable PE file"]
    macho = tmp_path / "broken.dylib"
    macho.write_bytes((DATA / "speedups-macos-arm64.dylib").read_bytes()[:100])
    report = read_library_report(macho)  # LIEF is lenient here: headers only, no exports
    assert report.info is not None and len(report.info.symbols) == 0
