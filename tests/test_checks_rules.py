"""Each rule: a positive case, the correct twin that must stay silent, and its fix re-checked."""

from __future__ import annotations

from pathlib import Path

from check_fixtures import apply_fix, build_c_library, check, make_workspace, summary

RUNTIME = "lib/libsimple_runtime.so"  # a library the runtime always loads


def runtime_exports(*names: str, signature: str = "long {}(long a) {{ return a; }}") -> dict[str, str]:
    return {RUNTIME: "\n".join(signature.format(n) for n in names) + "\n"}


# ------------------------------------------------------------------ SFFI001


def test_unresolved_extern_says_where_it_looked(tmp_path: Path) -> None:
    root = make_workspace(
        tmp_path / "ws",
        {"src/a.spl": "extern fn rt_x_other(a: i64) -> i64\nextern fn rt_x_gone(a: i64) -> i64\n"},
        runtime_exports("rt_x_other"),
    )
    findings = check(root)
    assert summary(root, findings) == [("SFFI001", "src/a.spl", 2, 11)]
    assert findings[0].message == (
        "`rt_x_gone` is defined nowhere: looked in the runtime's dispatch tables; libsimple_runtime.so; "
        "plugin manifests (none found), workspace libraries and Tier 1 sources"
    )


def test_unresolved_extern_defined_in_tier1_needs_a_build(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", {
        "src/lib/x/ffi.spl": "extern fn rt_x_new(size: i64) -> i64\n",
        ".build/rust/ffi_x/Cargo.toml": '[package]\nname = "simple-x-ffi"\nversion = "0.1.0"\n'
                                        '[lib]\nname = "simple_x_ffi"\ncrate-type = ["cdylib"]\n',
        ".build/rust/ffi_x/src/lib.rs": '#[no_mangle]\npub extern "C" fn rt_x_new(size: i64) -> i64 { size }\n',
    })
    findings = check(root)
    assert summary(root, findings) == [("SFFI001", "src/lib/x/ffi.spl", 1, 11)]
    assert findings[0].message == (
        "`rt_x_new` is defined in Tier 1 source (.build/rust/ffi_x/src/lib.rs:2) but no built library "
        "exports it yet: build needed"
    )
    fix = findings[0].fixes[0]
    assert fix.command is not None and fix.command.command == "sffi.buildLibrary"
    assert fix.command.arguments == ({"crate": str(root / ".build/rust/ffi_x")},)


# ------------------------------------------------------------------ SFFI002


def test_missing_prefix_renames_declaration_calls_and_tier1(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", {
        "src/a.spl": "extern fn x_count(v: i64) -> i64\n\nfn f() -> i64:\n    x_count(3)\n",
        "src/b.spl": "extern fn rt_x_ok(v: i64) -> i64\n",
        ".build/rust/ffi_x/src/lib.rs": '#[no_mangle]\npub extern "C" fn x_count(v: i64) -> i64 { v }\n',
    }, runtime_exports("x_count", "rt_x_ok"))
    findings = check(root)
    assert summary(root, findings) == [("SFFI002", "src/a.spl", 1, 11)]
    fix = findings[0].fixes[0]
    assert not fix.safe
    apply_fix(fix)
    assert (root / "src/a.spl").read_text() == (
        "extern fn rt_x_count(v: i64) -> i64\n\nfn f() -> i64:\n    rt_x_count(3)\n"
    )
    assert "pub extern \"C\" fn rt_x_count(v: i64)" in (root / ".build/rust/ffi_x/src/lib.rs").read_text()
    build_c_library(root / RUNTIME, "long rt_x_count(long v) { return v; }\nlong rt_x_ok(long v) { return v; }\n")
    assert check(root) == []


def test_configured_prefixes_accept_bare_metal_names(tmp_path: Path) -> None:
    root = make_workspace(
        tmp_path / "ws", {"src/k.spl": "extern fn serial_println(v: i64)\n"}, runtime_exports("serial_println")
    )
    assert [f.code for f in check(root)] == ["SFFI002"]
    (root / "sffi-lsp.toml").write_text('extern-prefixes = ["rt_", "serial_"]\n')
    assert check(root) == []


def test_per_file_ignores_silence_a_folder(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", {
        "src/kernel/k.spl": "extern fn serial_println(v: i64)\n",
        "src/app/a.spl": "extern fn fat32_list_dir(v: i64)\n",
    }, runtime_exports("serial_println", "fat32_list_dir"))
    (root / "sffi-lsp.toml").write_text('[per-file-ignores]\n"src/kernel/*" = ["SFFI002"]\n')
    assert summary(root, check(root)) == [("SFFI002", "src/app/a.spl", 1, 11)]


# ------------------------------------------------------------------ SFFI003


def test_misnamed_symbol_finds_the_simple_prefixed_twin(tmp_path: Path) -> None:
    root = make_workspace(
        tmp_path / "ws",
        {"src/a.spl": "extern fn rt_x_flip(h: i64) -> i64\n\nfn g():\n    rt_x_flip(1)\n"},
        runtime_exports("simple_x_flip"),
    )
    findings = check(root)
    assert summary(root, findings) == [("SFFI003", "src/a.spl", 1, 11)]
    assert findings[0].message == (
        "`rt_x_flip` is not exported; did you mean `simple_x_flip` "
        "(exported by lib/libsimple_runtime.so; simple_ prefix)?"
    )
    # Renaming to `simple_x_flip` would trade this finding for SFFI002: no rename is offered.
    assert [fix.title for fix in findings[0].fixes] == []


def test_misnamed_symbol_generator_qualification_case_and_typos(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", {"src/a.spl": (
        "extern fn rt_cuda_cuda_malloc(n: i64) -> i64\n"
        "extern fn rt_torch_tensor_free(h: i64) -> i64\n"
        "extern fn rt_Regex_New(p: i64) -> i64\n"
        "extern fn rt_regex_destory(h: i64) -> i64\n"
    )}, runtime_exports("rt_cuda_malloc", "rt_torch_torchtensor_free", "rt_regex_new", "rt_regex_destroy"))
    findings = check(root)
    assert [(f.code, f.data["candidate"], f.data["reason"]) for f in findings] == [
        ("SFFI003", "rt_cuda_malloc", "generator qualification"),
        ("SFFI003", "rt_torch_torchtensor_free", "generator qualification"),
        ("SFFI003", "rt_regex_new", "different case"),
        ("SFFI003", "rt_regex_destroy", "edit distance 2"),
    ]
    for _ in findings:  # each rename shifts offsets: fix one, then check again
        apply_fix(check(root)[0].fixes[0])
    assert check(root) == []


def test_correct_name_is_not_a_near_miss(tmp_path: Path) -> None:
    root = make_workspace(
        tmp_path / "ws", {"src/a.spl": "extern fn rt_x_flip(h: i64) -> i64\n"},
        runtime_exports("rt_x_flip", "simple_x_flip", "rt_x_flips"),
    )
    assert check(root) == []


# ------------------------------------------------------------------ SFFI004


def test_extern_type_fix_rewrites_to_i64_in_one_edit(tmp_path: Path) -> None:
    source = (
        "# Opaque regex.\n"
        "extern type RegexHandle\n"
        "extern fn rt_re_new(p: i64) -> RegexHandle\n"
        "extern fn rt_re_free(h: RegexHandle)\n"
        "extern fn rt_re_all(hs: [RegexHandle]) -> RegexHandle?\n"
        "fn keep(h: RegexHandle) -> RegexHandle:\n    h\n"
    )
    root = make_workspace(tmp_path / "ws", {"src/re.spl": source},
                          runtime_exports("rt_re_new", "rt_re_free", "rt_re_all"))
    findings = check(root)
    assert summary(root, findings) == [("SFFI004", "src/re.spl", 2, 1)]
    apply_fix(findings[0].fixes[0])
    assert (root / "src/re.spl").read_text() == (
        "# Opaque regex.\n"
        "# RegexHandle: opaque handle (pointer cast to i64)\n"
        "extern fn rt_re_new(p: i64) -> i64\n"
        "extern fn rt_re_free(h: i64)\n"
        "extern fn rt_re_all(hs: [i64]) -> i64?\n"
        "fn keep(h: RegexHandle) -> RegexHandle:\n    h\n"
    )
    assert check(root) == []


# ------------------------------------------------------------------ SFFI005

CRATE = {
    ".build/rust/ffi_m/Cargo.toml": '[package]\nname = "simple-m-ffi"\nversion = "0.1.0"\n'
                                    '[lib]\nname = "simple_m_ffi"\ncrate-type = ["cdylib"]\n',
}


def test_signature_drift_arity_and_fix(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", {
        **CRATE,
        ".build/rust/ffi_m/src/lib.rs": (
            "use std::os::raw::c_char;\n"
            '#[no_mangle]\npub extern "C" fn rt_m_resize(handle: i64, size: i64) -> i64 { size }\n'
            '#[no_mangle]\npub extern "C" fn rt_m_name(h: i64, s: *const c_char) -> *mut c_char { std::ptr::null_mut() }\n'
        ),
        "src/m.spl": "extern fn rt_m_resize(handle: i64) -> i64\nextern fn rt_m_name(h: i64, s: text) -> text\n",
    }, runtime_exports("rt_m_resize", "rt_m_name"))
    findings = check(root)
    assert summary(root, findings) == [("SFFI005", "src/m.spl", 1, 22)]
    assert findings[0].message.startswith(
        "`rt_m_resize` takes 1 parameter at the C ABI here but 2 in Tier 1; native: "
        '`extern "C" fn rt_m_resize(handle: i64, size: i64) -> i64` (.build/rust/ffi_m/src/lib.rs:'
    )
    apply_fix(findings[0].fixes[0])
    assert (root / "src/m.spl").read_text().splitlines()[0] == "extern fn rt_m_resize(handle: i64, size: i64) -> i64"
    assert check(root) == []


def test_signature_drift_uses_the_cpp_backend_array_mapping(tmp_path: Path) -> None:
    cpp_crate = {
        ".build/rust/ffi_t/Cargo.toml": '[package]\nname = "simple-t"\nversion = "0.1.0"\n'
                                        '[lib]\nname = "simple_t"\ncrate-type = ["cdylib"]\n',
        ".build/rust/ffi_t/src/bridge.cpp": "// bridge\n",
    }
    rust_pair = '#[no_mangle]\npub extern "C" fn rt_t_zeros(dims: *const i64, dims_len: usize) -> i64 { 0 }\n'
    root = make_workspace(tmp_path / "ws", {
        **cpp_crate, ".build/rust/ffi_t/src/lib.rs": rust_pair,
        "src/t.spl": "extern fn rt_t_zeros(dims: [i64]) -> i64\n",
    }, runtime_exports("rt_t_zeros"))
    assert check(root) == []  # [i64] is pointer + length in the cpp backend
    (root / ".build/rust/ffi_t/src/bridge.cpp").unlink()  # now a rust-backend crate: pointer only
    findings = check(root)
    assert [f.code for f in findings] == ["SFFI005"]
    assert "takes 1 parameter at the C ABI here but 2 in Tier 1" in findings[0].message


def test_signature_drift_against_runtime_func_spec_rows(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", {
        "src/compiler_rust/compiler/src/codegen/runtime_sffi.rs": (
            "fn specs() -> Vec<RuntimeFuncSpec> { vec![\n"
            '    RuntimeFuncSpec::new("rt_arena_new", &[I64], &[I64]),\n'
            '    RuntimeFuncSpec::new("rt_math_scale", &[F64, I64], &[F64]),\n'
            "] }\n"
        ),
        "src/a.spl": "extern fn rt_arena_new(size: i64, align: i64) -> i64\nextern fn rt_math_scale(x: f64, n: i64) -> f64\n",
    })
    findings = check(root, select=("SFFI005",))  # (a codegen row alone defines nothing: SFFI001 too)
    assert summary(root, findings) == [("SFFI005", "src/a.spl", 1, 23)]
    assert "takes 2 parameters here but 1 in the runtime's RuntimeFuncSpec row" in findings[0].message


# ------------------------------------------------------------------ SFFI006


def test_duplicate_in_one_file_is_removed(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", {
        "src/a.spl": "extern fn rt_x_a() -> bool\nextern fn rt_x_a() -> bool\nextern fn rt_x_b() -> bool\n",
    }, runtime_exports("rt_x_a", "rt_x_b", signature="int {}(void) {{ return 1; }}"))
    findings = check(root)
    assert summary(root, findings) == [("SFFI006", "src/a.spl", 2, 1)]
    assert findings[0].severity == 2
    apply_fix(findings[0].fixes[0])
    assert (root / "src/a.spl").read_text() == "extern fn rt_x_a() -> bool\nextern fn rt_x_b() -> bool\n"
    assert check(root) == []


def test_conflicting_signatures_across_files_report_the_divergent_group_once(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", {
        "src/a.spl": "extern fn rt_x_a(v: i64) -> i64\n",
        "src/b.spl": "extern fn rt_x_a(v: f64) -> i64\n",
        "src/c.spl": "extern fn rt_x_a(v: i64) -> i64\n",
    }, runtime_exports("rt_x_a"))
    findings = check(root)
    assert summary(root, findings) == [("SFFI006", "src/b.spl", 1, 11)]
    assert findings[0].severity == 1
    assert findings[0].message == (
        "`rt_x_a` is declared with different signatures: `extern fn rt_x_a(v: f64) -> i64` here, "
        "`extern fn rt_x_a(v: i64) -> i64` in src/a.spl (2 files)"
    )
    assert [r.path.name for r in findings[0].related] == ["a.spl"]


def test_types_alone_decide_a_conflict_void_is_no_return_and_names_do_not_matter(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", {
        "src/a.spl": "extern fn rt_x_a(v: i64) -> void\nextern fn rt_x_b(count: i64)\n",
        "src/b.spl": "extern fn rt_x_a(value: i64)\nextern fn rt_x_b(n: i64) -> void\n",
        "src/c.spl": "extern fn rt_x_a(v: i64)\nextern fn rt_x_b(count: i64)\n",
    }, runtime_exports("rt_x_a", "rt_x_b"))
    assert check(root, select=("SFFI006",)) == []


def test_many_signatures_of_one_name_give_one_finding_per_divergent_group_with_bounded_related(
    tmp_path: Path,
) -> None:
    files = {f"src/same{i:02}.spl": "extern fn rt_x_a(v: i64) -> i64\n" for i in range(30)}
    files |= {f"src/odd{i}.spl": f"extern fn rt_x_a(v: i64, w{i}: i64) -> i{8 * (i + 1)}\n" for i in range(7)}
    root = make_workspace(tmp_path / "ws", files, runtime_exports("rt_x_a"))
    findings = check(root, select=("SFFI006",))
    assert [f.path.name for f in findings] == [f"odd{i}.spl" for i in range(7)]
    assert all(len(f.related) == 6 for f in findings)  # five listed, then "and N more"
    assert findings[0].related[-1].message == "and 2 more signatures"
    assert findings[0].message.endswith("in src/same00.spl (30 files); 8 signatures in all")


# ------------------------------------------------------------------ SFFI007 / SFFI008

PLAIN_LIB = ".build/rust/ffi_x/target/release/libsimple_x_ffi.so"


def test_not_loadable_and_the_manifest_fix(tmp_path: Path) -> None:
    root = make_workspace(
        tmp_path / "ws", {"src/x.spl": "extern fn rt_x_f(v: i64) -> i64\nextern fn rt_x_g(v: i64) -> i64\n"},
        {PLAIN_LIB: "long rt_x_f(long v) { return v; }\nlong rt_x_g(long v) { return v; }\n"},
    )
    (root / "sffi-lsp.toml").write_text('plugin-manifest = "plugins/manifest.sdn"\n')
    findings = check(root)
    assert summary(root, findings) == [("SFFI007", "src/x.spl", 1, 11), ("SFFI007", "src/x.spl", 2, 11)]
    assert findings[0].message == (
        "`rt_x_f` is exported only by .build/rust/ffi_x/target/release/libsimple_x_ffi.so, which the runtime "
        "never loads; it loads libsimple_runtime.so, and libraries a plugin manifest lists for this symbol"
    )
    fix = findings[0].fixes[0]
    assert fix.creates and fix.creates[0].path == root / "plugins/manifest.sdn"
    apply_fix(fix)
    assert (root / "plugins/manifest.sdn").read_text() == (
        "plugins:\n    -\n        name: x\n"
        f"        library: {root / PLAIN_LIB}\n"
        "        functions: [rt_x_f, rt_x_g]\n"
    )
    assert check(root) == []


def test_satellite_library_is_loadable_and_must_marshal_integers(tmp_path: Path) -> None:
    root = make_workspace(
        tmp_path / "ws",
        {"src/t.spl": "extern fn rt_torch_zeros(n: i64) -> i64\nextern fn rt_torch_name(h: i64) -> text\n"},
        {"build/libspl_torch.so": "long rt_torch_zeros(long n) { return n; }\nconst char* rt_torch_name(long h) { return 0; }\n"},
    )
    findings = check(root)
    assert summary(root, findings) == [("SFFI008", "src/t.spl", 2, 11)]
    assert findings[0].message == (
        "`rt_torch_name` loads dynamically (satellite: build/libspl_torch.so), which passes only integers: "
        "return type `text` fails with SFFI_UNSUPPORTED_CONVERSION"
    )


def test_library_under_the_wrong_satellite_name_is_not_loadable(tmp_path: Path) -> None:
    root = make_workspace(
        tmp_path / "ws", {"src/t.spl": "extern fn rt_torch_zeros(n: i64) -> i64\n"},
        {"build/libsimple_torch.so": "long rt_torch_zeros(long n) { return n; }\n"},
    )
    findings = check(root)
    assert [f.code for f in findings] == ["SFFI007"]
    assert "libspl_torch.so (executable dir, ../lib, target/*, build/, system path)" in findings[0].message
    assert [fix.command.command for fix in findings[0].fixes if fix.command] == ["sffi.registerLibrary"]


def test_too_many_parameters_for_the_dynamic_path(tmp_path: Path) -> None:
    params = ", ".join(f"a{i}: i64" for i in range(14))
    c_params = ", ".join(f"long a{i}" for i in range(14))
    root = make_workspace(tmp_path / "ws", {"src/t.spl": f"extern fn rt_vhdl_many({params}) -> i64\n"},
                          {"lib/libspl_vhdl.so": f"long rt_vhdl_many({c_params}) {{ return 0; }}\n"})
    findings = check(root)
    assert [f.code for f in findings] == ["SFFI008"]
    assert "14 parameters (at most 13)" in findings[0].message


# ------------------------------------------------------------------ SFFI009


def test_stub_build_without_the_wrapped_library(tmp_path: Path) -> None:
    spec = "wrapper_lib:\n    name: torch\n    link: [torch]\nfunctions:\n    - name: zeros\n      params: []\n      return: i64\n"
    cargo = ('[package]\nname = "simple-torch"\nversion = "0.1.0"\n[lib]\nname = "simple_torch"\n'
             'crate-type = ["cdylib"]\n[features]\ndefault = ["stub"]\nstub = []\n')
    root = make_workspace(tmp_path / "ws", {"torch.wrapper_spec": spec, ".build/rust/ffi_torch/Cargo.toml": cargo},
                          {".build/rust/ffi_torch/target/release/libsimple_torch.so": "long rt_torch_zeros(void) { return 0; }\n"})
    findings = check(root, select=("SFFI009",))
    assert summary(root, findings) == [("SFFI009", "torch.wrapper_spec", 2, 11)]
    assert findings[0].message == (
        "`simple-torch` is a stub build (the `stub` feature is on by default and "
        ".build/rust/ffi_torch/target/release/libsimple_torch.so links none of libtorch (DT_NEEDED: none)): "
        "every function returns a default value"
    )
    # Linked against the real library (here a stand-in libtorch.so), it is not a stub.
    build_c_library(root / "native/libtorch.so", "int torch_marker(void) { return 1; }\n")
    build_c_library(
        root / ".build/rust/ffi_torch/target/release/libsimple_torch.so", "long rt_torch_zeros(void) { return 0; }\n",
        extra=("-L", str(root / "native"), "-Wl,--no-as-needed", "-ltorch"),
    )
    assert check(root, select=("SFFI009",)) == []


# ------------------------------------------------------------------ SFFI010


def test_stale_tier2_is_reported_on_the_spec_and_the_file(tmp_path: Path) -> None:
    spec = ("wrapper_lib:\n    name: calc\n    lang: rust\nfunctions:\n    - name: add\n      params:\n"
            "          - name: a\n            type: i64\n      return: i64\n    - name: neg\n      params:\n"
            "          - name: a\n            type: i64\n      return: i64\n")
    tier2 = ("# calc SFFI Bindings (Tier 2)\n# Auto-generated extern fn declarations\n\n"
             "extern fn rt_calc_available() -> bool\nextern fn rt_calc_version() -> text\n"
             "extern fn rt_calc_add(a: i64) -> i64\n")
    root = make_workspace(tmp_path / "ws", {"calc.wrapper_spec": spec, "src/lib/calc/ffi.spl": tier2})
    findings = check(root, select=("SFFI010",))
    assert summary(root, findings) == [("SFFI010", "calc.wrapper_spec", 2, 11), ("SFFI010", "src/lib/calc/ffi.spl", 1, 1)]
    assert findings[1].message == "Tier 2 wrapper src/lib/calc/ffi.spl is stale: the spec has `rt_calc_neg` which this file lacks"
    assert findings[1].fixes[0].command.command == "sffi.regenerateWrapper"
    (root / "src/lib/calc/ffi.spl").write_text(tier2 + "extern fn rt_calc_neg(a: i64) -> i64\n")
    assert check(root, select=("SFFI010",)) == []


# ------------------------------------------------------------------ SFFI011 / SFFI012

DECLARED = "extern fn rt_x_f(v: i64) -> i64\n"
TIER1_FG = ('#[no_mangle]\npub extern "C" fn rt_x_f(v: i64) -> i64 { v }\n'
            '#[no_mangle]\npub extern "C" fn rt_x_g(h: i64, name: *const std::os::raw::c_char) -> bool { true }\n')


def test_undeclared_export_is_declared_from_tier1(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", {"src/lib/x/ffi.spl": DECLARED, ".build/rust/ffi_x/src/lib.rs": TIER1_FG},
                          runtime_exports("rt_x_f"))
    findings = check(root)
    assert summary(root, findings) == [("SFFI011", ".build/rust/ffi_x/src/lib.rs", 4, 19)]
    apply_fix(findings[0].fixes[0])
    assert (root / "src/lib/x/ffi.spl").read_text() == DECLARED + "extern fn rt_x_g(h: i64, name: text) -> bool\n"
    build_c_library(root / RUNTIME, "long rt_x_f(long v) { return v; }\nint rt_x_g(long h, const char* n) { return 1; }\n")
    assert check(root) == []


def test_call_to_an_undeclared_extern(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", {
        "src/lib/x/ffi.spl": DECLARED,
        "src/lib/x/mod.spl": "fn g(h: i64) -> bool:\n    rt_x_g(h, \"n\")\n",
        ".build/rust/ffi_x/src/lib.rs": TIER1_FG,
    }, {RUNTIME: "long rt_x_f(long v) { return v; }\nint rt_x_g(long h, const char* n) { return 1; }\n"})
    findings = check(root)
    assert summary(root, findings) == [("SFFI011", ".build/rust/ffi_x/src/lib.rs", 4, 19), ("SFFI012", "src/lib/x/mod.spl", 2, 5)]
    assert findings[1].message == "call to `rt_x_g`, which no extern declaration declares; lib/libsimple_runtime.so provides it"
    apply_fix(findings[1].fixes[0])
    assert check(root) == []


def test_ordinary_functions_and_declared_externs_are_not_undeclared_calls(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", {
        "src/a.spl": DECLARED + "fn rt_helper() -> i64:\n    1\nfn g() -> i64:\n    rt_x_f(rt_helper())\n",
    }, runtime_exports("rt_x_f"))
    assert check(root) == []


# ------------------------------------------------------------------ spec rules, selection


def test_spec_problems_flow_through_the_checks(tmp_path: Path) -> None:
    spec = "wrapper_lib:\n    name: q\n    colour: blue\n"
    root = make_workspace(tmp_path / "ws", {"q.wrapper_spec": spec})
    assert summary(root, check(root)) == [("SFFI101", "q.wrapper_spec", 3, 5)]


def test_select_and_ignore_by_prefix(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", {"src/a.spl": "extern type H\nextern fn nope(v: i64)\n"})
    assert sorted(f.code for f in check(root)) == ["SFFI001", "SFFI002", "SFFI004"]
    assert [f.code for f in check(root, select=("SFFI004",))] == ["SFFI004"]
    (root / "sffi-lsp.toml").write_text('ignore = ["SFFI00"]\n')
    assert check(root) == []
