"""Sources, runtime tables, crates, manifests, the index, its cache, and records."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from native_fixtures import TOOLCHAIN_SYMBOLS, build_rust_cdylib, compile_c_shared

import sffi_lsp.index.natives.index as index_module
from sffi_lsp.index.cache import FileStamp, SymbolCache
from sffi_lsp.index.natives import (
    NativeIndex,
    add_or_update_entry,
    demangle,
    native_symbol_records,
    parse_manifest,
    problem_records,
    read_crate,
    read_library,
    render_manifest_entry,
    source_symbols,
)
from sffi_lsp.model import NativeKind, NativeParam
from sffi_lsp.workspace.settings import Settings

TIER1_RS = b'''// Auto-generated Rust wrapper for torch using cxx
use std::ffi::{c_char, CString};

#[repr(C)]
pub struct SimpleTorchTensor { _private: [u8; 0] }

#[no_mangle]
pub extern "C" fn rt_torch_available() -> bool { false }

/// Zeros with the given dims.
#[no_mangle]
pub extern "C" fn rt_torch_tensor_zeros(dims: *const i64, dims_len: usize) -> *mut SimpleTorchTensor {
    std::ptr::null_mut()
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn rt_torch_torchtensor_add(
    handle: *const SimpleTorchTensor,
    other: *const SimpleTorchTensor,
) -> *mut SimpleTorchTensor { std::ptr::null_mut() }

#[no_mangle]
pub extern "C" fn rt_torch_version() -> *mut c_char { CString::new("x").unwrap().into_raw() }

pub extern "C" fn rt_torch_not_no_mangle() {}
#[no_mangle]
extern "C" fn rt_torch_not_pub() {}
#[no_mangle]
pub fn rt_torch_not_extern_c() {}
#[no_mangle]
pub extern "system" fn rt_torch_other_abi() {}
'''

RUNTIME_TABLE_RS = b'''
pub static RUNTIME_FUNCS: &[RuntimeFuncSpec] = &[
    RuntimeFuncSpec::new("rt_array_new", &[I64], &[I64]),
    RuntimeFuncSpec::new("rt_void", &[I64, F64], &[]),
    RuntimeFuncSpec::new("rt_five", &[I64; 5], &[I8]),
];
fn init_dispatch_table() {
    insert_simple!("rt_array_new", sffi_array::rt_array_new_fn);
    insert_simple!("rt_pty_open", pty::rt_pty_open);
}
'''

C_HEADER = b'''#pragma once
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif
const char *rt_regex_version(void);
int64_t rt_regex_new(const char *pattern, size_t len);
static inline int helper(void) { return 0; }
#ifdef __cplusplus
}
#endif
'''


def test_rust_tier1_exports_with_signatures_and_spans() -> None:
    found = {s.name: s for s in source_symbols(Path("lib.rs"), TIER1_RS, "rust")}
    assert list(found) == ["rt_torch_available", "rt_torch_tensor_zeros", "rt_torch_torchtensor_add", "rt_torch_version"]
    zeros = found["rt_torch_tensor_zeros"]
    assert zeros.kind is NativeKind.RUST_SOURCE and zeros.language == "rust"
    assert zeros.params == (NativeParam("dims", "*const i64"), NativeParam("dims_len", "usize"))
    assert zeros.returns == "*mut SimpleTorchTensor"
    assert zeros.name_span.start.line == 11 and zeros.name_span.start.character == 18
    assert zeros.span.start.line == 11 and zeros.span.end.line == 13
    assert found["rt_torch_version"].returns == "*mut c_char"
    assert found["rt_torch_available"].params == () and found["rt_torch_available"].returns == "bool"
    assert found["rt_torch_torchtensor_add"].params[0] == NativeParam("handle", "*const SimpleTorchTensor")


def test_runtime_table_rows() -> None:
    rows = source_symbols(Path("runtime_sffi.rs"), RUNTIME_TABLE_RS, "rust")
    got = [(r.name, r.table, r.params, r.returns) for r in rows]
    assert got == [
        ("rt_array_new", "codegen", (NativeParam("", "I64"),), "I64"),
        ("rt_void", "codegen", (NativeParam("", "I64"), NativeParam("", "F64")), None),
        ("rt_five", "codegen", (NativeParam("", "I64"),) * 5, "I8"),
        ("rt_array_new", "interpreter", None, None),
        ("rt_pty_open", "interpreter", None, None),
    ]
    assert all(r.kind is NativeKind.RUNTIME_TABLE for r in rows)


def test_c_header_functions_with_c_linkage() -> None:
    found = {s.name: s for s in source_symbols(Path("bridge.h"), C_HEADER, "c")}
    assert set(found) == {"rt_regex_version", "rt_regex_new"}
    assert found["rt_regex_version"].returns == "const char *" and found["rt_regex_version"].params == ()
    assert found["rt_regex_new"].params == (NativeParam("pattern", "const char *"), NativeParam("len", "size_t"))


def test_cpp_only_extern_c_functions() -> None:
    src = b'namespace t { int mangled(int a); }\nextern "C" { int rt_cpp_a(int a); }\nextern "C" long rt_cpp_b(void) { return 0; }\nint also_mangled() { return 1; }\n'
    assert [s.name for s in source_symbols(Path("bridge.cpp"), src, "cpp")] == ["rt_cpp_a", "rt_cpp_b"]


def test_crate_metadata(tmp_path: Path) -> None:
    crate = tmp_path / "ffi_torch"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(
        '[package]\nname = "simple-torch"\nversion = "0.1.0"\n[lib]\nname = "simple_torch"\n'
        'crate-type = ["cdylib", "staticlib"]\n[dependencies]\ncxx = "1"\n[build-dependencies]\ncxx-build = "1"\n'
        '[features]\ndefault = ["stub"]\nstub = []\n')
    (crate / "src" / "lib.rs").write_text("")
    (crate / "src" / "bridge.cpp").write_text("")
    info = read_crate(crate / "Cargo.toml")
    assert (info.package, info.lib_name, info.crate_types, info.backend) == (
        "simple-torch", "simple_torch", ("cdylib", "staticlib"), "cpp")
    assert info.stub_by_default and info.output_names == ("libsimple_torch.so", "libsimple_torch.a")
    assert {p.name for p in info.sources} == {"lib.rs", "bridge.cpp"}


def test_demangle_known_names() -> None:
    assert demangle("_ZN3foo3barEv") == "foo::bar()"
    assert demangle("_ZN4core3fmt9Formatter3pad17h0123456789abcdefE") == "core::fmt::Formatter::pad::h0123456789abcdef"
    assert demangle("_RNvCs1234_7mycrate3foo") == "mycrate::foo"
    assert demangle("rt_plain") is None


def test_library_json_text_equals_the_records_for_plain_and_awkward_names() -> None:
    import json

    from sffi_lsp.index.natives.records import library_json_text, library_records
    from sffi_lsp.index.natives.table import SymbolTable

    plain = [f"_ZN2ns1fE{'l' * (i % 3)}" for i in range(70)] + ["rt_plain", "_ZN4core3fmt9Formatter3pad17h0123456789abcdefE",
                                                                 "__ZN2ns1gEv", "_RNvCs1234_7mycrate3foo"]
    awkward = [*plain, 'quo"te', "back\\slash", "caf\u00e9", "tab\there", "new\nline", "per%cent%s"]
    for names, path in ((plain, "lib/libx.so"), (awkward, 'odd "100%" dir/libx.so')):
        table = SymbolTable(Path("/w") / path, names, range(0x1000, 0x1000 + 16 * len(names), 16),
                            [8] * len(names), bytes([0x12, 0x11, 0x22] * len(names))[: len(names)])
        records = library_records(table, path)
        text = library_json_text(table, path)
        assert text == json.dumps(records, separators=(",", ":"))[1:-1]
        assert json.loads("[" + text + "]") == records
    assert records[1]["demangled"] == "ns::f(long)" and records[70]["demangled"] is None
    assert records[71]["demangled"] == "core::fmt::Formatter::pad::h0123456789abcdef"
    assert [r["demangled"] for r in records[72:74]] == ["ns::g()", "mycrate::foo"]
    assert [r["name"] for r in records[74:]] == awkward[74:]
    assert [r["type"] for r in records[:3]] == ["FUNC", "OBJECT", "FUNC"]


# --------------------------------------------------------------------------- manifests

MANIFEST = """plugins:
    -
        name: regex
        library: lib/libsimple_regex_ffi.so
        functions: [rt_regex_new, rt_regex_missing]
        version: 0.1.0
    -
        name: broken
        oops
"""


def test_manifest_parse_with_spans_and_problems(tmp_path: Path) -> None:
    manifest = parse_manifest(MANIFEST, tmp_path / "manifest.sdn")
    regex = manifest.entries[0]
    assert regex.name == "regex" and regex.library == tmp_path / "lib" / "libsimple_regex_ffi.so"
    assert regex.functions == ("rt_regex_new", "rt_regex_missing") and regex.version == "0.1.0"
    assert regex.function_spans[0].start.line == 4 and regex.function_spans[0].start.character == 20
    assert [p.reason for p in manifest.problems()] == [
        "line 7: plugin entry broken without 'library'", "line 9: cannot read this line: 'oops'"]


def test_manifest_render_round_trip(tmp_path: Path) -> None:
    text = add_or_update_entry("", "regex", "/abs/libsimple_regex_ffi.so", ["rt_regex_new", "rt_regex_destroy"])
    assert text == ("plugins:\n    -\n        name: regex\n        library: /abs/libsimple_regex_ffi.so\n"
                    "        functions: [rt_regex_new, rt_regex_destroy]\n")
    text = add_or_update_entry(text, "torch", "/abs/libspl_torch.so", ["rt_torch_available"])
    text = add_or_update_entry(text, "regex", "/new/libr.so", ["rt_regex_new"])
    parsed = parse_manifest(text, tmp_path / "m.sdn")
    assert not parsed.issues
    assert [(e.name, str(e.library), e.functions) for e in parsed.entries] == [
        ("regex", "/new/libr.so", ("rt_regex_new",)), ("torch", "/abs/libspl_torch.so", ("rt_torch_available",))]
    assert render_manifest_entry("a", "/l.so", ["rt_a"], version="1") in text + render_manifest_entry("a", "/l.so", ["rt_a"], version="1")


# --------------------------------------------------------------------------- index

@pytest.fixture(scope="module")
def rust_crate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_rust_cdylib(tmp_path_factory.mktemp("cargo"))


def test_rust_cdylib_exports_exactly_the_no_mangle_functions(rust_crate: Path) -> None:
    info = read_library(rust_crate / "target" / "release" / "libsimple_demo_ffi.so")
    rt = {s.name for s in info.symbols if s.name.startswith("rt_")}
    assert rt == {"rt_demo_add", "rt_demo_strlen"}
    # a Rust cdylib exports only its #[no_mangle] items (plus nothing of std)
    assert {s.name for s in info.symbols} - TOOLCHAIN_SYMBOLS == rt
    archive = read_library(rust_crate / "target" / "release" / "libsimple_demo_ffi.a")
    assert {"rt_demo_add", "rt_demo_strlen"} <= {s.name for s in archive.symbols}


def _workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    release = root / "target" / "release"
    release.mkdir(parents=True)
    compile_c_shared(release, name="libsimple_runtime.so")
    (release / "libbroken.so").write_text("not a library\n")
    src = root / "src" / "runtime"
    src.mkdir(parents=True)
    (src / "tier1.rs").write_bytes(TIER1_RS)
    (src / "bridge.h").write_bytes(C_HEADER)
    tables = root / "src" / "compiler_rust" / "compiler" / "src" / "codegen"
    tables.mkdir(parents=True)
    (tables / "runtime_sffi.rs").write_bytes(RUNTIME_TABLE_RS)
    (root / "manifest.sdn").write_text(
        "plugins:\n    -\n        name: demo\n        library: target/release/libsimple_runtime.so\n"
        "        functions: [rt_demo_exported, rt_demo_absent]\n")
    return root


def _settings(tmp_path: Path) -> Settings:
    return Settings(plugin_manifest="manifest.sdn", cache_dir=str(tmp_path / "cache"))


def test_index_build_lookup_records_and_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SIMPLE_PLUGIN_MANIFEST", raising=False)
    root = _workspace(tmp_path)
    index = NativeIndex(root, _settings(tmp_path), jobs=1)
    index.build()
    kinds = {s.kind for s in index.lookup("rt_demo_exported")}
    assert kinds == {NativeKind.LIBRARY, NativeKind.MANIFEST}
    assert {(s.kind, s.table) for s in index.lookup("rt_array_new")} == {
        (NativeKind.RUNTIME_TABLE, "codegen"), (NativeKind.RUNTIME_TABLE, "interpreter")}
    assert [s.kind for s in index.lookup("rt_regex_new")] == [NativeKind.C_SOURCE]
    assert index.lookup("rt_nothing") == []
    assert [(p["path"], p["reason"].split(":")[0]) for p in problem_records(index, root)] == [
        ("target/release/libbroken.so", "not a library")]
    checks = {c.function: c.exported for c in index.manifest_checks()}
    assert checks == {"rt_demo_exported": True, "rt_demo_absent": False}
    records = native_symbol_records(index, root)
    lib = next(r for r in records if r["name"] == "rt_demo_exported" and r["kind"] == "library")
    assert lib["path"] == "target/release/libsimple_runtime.so" and lib["type"] == "FUNC" and isinstance(lib["address"], int)
    zeros = next(r for r in records if r["name"] == "rt_torch_tensor_zeros")
    assert (zeros["kind"], zeros["path"], zeros["line"], zeros["column"]) == ("rust-source", "src/runtime/tier1.rs", 12, 19)
    assert {r["kind"] for r in records} == {"library", "rust-source", "c-source", "runtime-table", "manifest"}


def test_cache_second_build_reads_nothing_and_changes_are_reread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SIMPLE_PLUGIN_MANIFEST", raising=False)
    root = _workspace(tmp_path)
    settings = _settings(tmp_path)
    NativeIndex(root, settings, SymbolCache.for_settings(settings), jobs=1).build()
    reads: list[str] = []
    real_library, real_source = index_module.read_library_report, index_module.read_source
    monkeypatch.setattr(index_module, "read_library_report", lambda p: reads.append(p.name) or real_library(p))
    monkeypatch.setattr(index_module, "read_source", lambda p, lang: reads.append(p.name) or real_source(p, lang))
    again = NativeIndex(root, settings, SymbolCache.for_settings(settings), jobs=1)
    again.build()
    assert reads == []
    assert again.lookup("rt_torch_available")
    tier1 = root / "src" / "runtime" / "tier1.rs"
    tier1.write_bytes(TIER1_RS.replace(b"rt_torch_available", b"rt_torch_is_available"))
    again.update([tier1])
    assert reads == ["tier1.rs"]
    assert again.lookup("rt_torch_available") == [] and again.lookup("rt_torch_is_available")
    tier1.unlink()
    again.update([tier1])
    assert again.lookup("rt_torch_is_available") == []


def test_corrupt_cache_entry_is_ignored(tmp_path: Path) -> None:
    cache = SymbolCache(tmp_path / "c")
    target = tmp_path / "f"
    target.write_text("x")
    stamp = FileStamp.of(target)
    cache.put("ns", stamp, {"v": 1})
    for entry in (tmp_path / "c").rglob("*.pickle"):
        entry.write_bytes(b"\x80\x05garbage")
    assert cache.get("ns", stamp) is None


def _hammer(directory: str, target: str, value: int) -> None:
    cache = SymbolCache(Path(directory))
    stamp = FileStamp.of(Path(target))
    for i in range(200):
        cache.put("ns", stamp, {"writer": value, "i": i, "payload": "x" * 5000})


def test_concurrent_writers_never_corrupt_an_entry(tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_text("x")
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_hammer, args=(str(tmp_path / "c"), str(target), n)) for n in (1, 2)]
    for w in writers:
        w.start()
    cache = SymbolCache(tmp_path / "c")
    stamp = FileStamp.of(target)
    seen = 0
    while any(w.is_alive() for w in writers):
        value = cache.get("ns", stamp)
        if value is not None:
            assert value["writer"] in (1, 2) and len(value["payload"]) == 5000
            seen += 1
    for w in writers:
        w.join()
        assert w.exitcode == 0
    assert cache.get("ns", stamp)["i"] == 199
    assert not list((tmp_path / "c").rglob("*.tmp"))


def test_parallel_build_matches_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    root = _workspace(tmp_path)
    for i in range(8):
        compile_c_shared(root / "target" / "release", name=f"libextra{i}.so")
    serial = NativeIndex(root, Settings(), SymbolCache.disabled(), jobs=1)
    serial.build()
    parallel = NativeIndex(root, Settings(), SymbolCache.disabled(), jobs=2)
    parallel.build()
    assert native_symbol_records(serial, root) == native_symbol_records(parallel, root)
    assert len(parallel.libraries) == 9


def test_symbol_table_rows_by_scan_then_by_name_index() -> None:
    from sffi_lsp.index.natives.table import SCANS_BEFORE_INDEX, SymbolTable

    # an archive can define one name in several members: every row, in order
    names = ["rt_a", "rt_dup", "rt_b", "rt_dup", "rt_c", "rt_dup"]
    table = SymbolTable(Path("/lib/libx.a"), names, range(6), [8] * 6, bytes([0x12]) * 6)
    expected = {"rt_a": [0], "rt_dup": [1, 3, 5], "rt_c": [4], "rt_missing": []}
    for _ in range(SCANS_BEFORE_INDEX):  # answered by scanning, no index yet
        assert {n: table.rows(n) for n in expected} == expected
    assert table._rows is not None  # the lookups past the threshold built it
    for _ in range(2):
        assert {n: table.rows(n) for n in expected} == expected
    assert list(table.name_set()) == ["rt_a", "rt_dup", "rt_b", "rt_c"]
    assert [table[i].address for i in table.rows("rt_dup")] == [1, 3, 5]


def test_lookup_orders_libraries_then_sources_and_names_are_unique(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SIMPLE_PLUGIN_MANIFEST", raising=False)
    root = _workspace(tmp_path)
    index = NativeIndex(root, _settings(tmp_path), SymbolCache.disabled(), jobs=1)
    index.build()
    names = list(index.names())
    assert len(names) == len(set(names))
    assert "rt_demo_exported" in names and "rt_regex_new" in names
    for name in names:
        kinds = [s.kind for s in index.lookup(name)]
        libraries = [k for k in kinds if k is NativeKind.LIBRARY]
        assert kinds[: len(libraries)] == libraries  # library providers come first


def test_bulk_demangling_in_several_cxxfilt_runs_keeps_the_order(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    demangle_module = importlib.import_module("sffi_lsp.index.natives.demangle")
    monkeypatch.setattr(demangle_module, "ARGUMENT_BYTES", 300)
    runs = []
    popen = demangle_module.subprocess.Popen

    def counted(argv: list[str], **kwargs: object) -> object:
        runs.append(len(argv) - 2)
        return popen(argv, **kwargs)

    monkeypatch.setattr(demangle_module.subprocess, "Popen", counted)
    names = [f"_ZN2ns{len(str(i)) + 1}f{i}Ev" for i in range(100)] + ["plain", "_RNvCs1234_7mycrate3foo", "_Z1fRSo"]
    assert demangle_module.demangle_many(names) == [f"ns::f{i}()" for i in range(100)] + [
        None, "mycrate::foo", "f(std::basic_ostream<char, std::char_traits<char> >&)"]  # nm -C's spelling
    assert len(runs) == 8 and sum(runs) == 101  # 14 names of 20-21 bytes (NUL, pointer) a run
