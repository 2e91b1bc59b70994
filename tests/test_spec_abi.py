"""The generator's naming and type mapping, per backend, and its file locations and markers."""

from __future__ import annotations

from pathlib import Path

from sffi_lsp.spec.abi import (
    abi_functions,
    abi_symbols,
    expected_rust_params,
    expected_rust_return,
    generated_marker,
    generated_outputs,
    library_file_name,
    normalize_rust_type,
    qualified_name,
    rust_param_matches,
    same_rust_type,
    tier1_crate_dir,
)
from sffi_lsp.spec.parser import parse_wrapper_spec

CPP = """\
wrapper_lib:
    name: torch
handle_types:
    - name: TorchTensor
functions:
    - name: tensor_zeros
      params:
          - name: dims
            type: "[i64]"
          - name: scale
            type: f32
      return: TorchTensor
    - name: torch_device_name
      params:
          - name: index
            type: i32
      return: text
    - name: torch_flags
      params:
          - name: names
            type: "[text]"
      return: "[f64]"
methods:
    - handle: TorchTensor
      name: shape
      params: []
      return: "[i64]"
    - handle: TorchTensor
      name: add
      params:
          - name: other
            type: TorchTensor
          - name: alpha
            type: f64
      return: TorchTensor
    - handle: TorchTensor
      name: fill
      params:
          - name: values
            type: "[f64]"
          - name: label
            type: text
      return: void
"""

RUST = """\
wrapper_lib:
  name: regex
  lang: rust
handle_types:
  - name: Regex
functions:
  - name: new
    params:
      - name: pattern
        type: text
    return: Regex
  - name: regex_sum
    params:
      - name: xs
        type: "[i64]"
      - name: ok
        type: bool
    return: i64
methods:
  - handle: Regex
    name: find
    params:
      - name: haystack
        type: text
    return: text
"""


def test_cpp_symbols_and_tier1_signatures() -> None:
    spec, issues = parse_wrapper_spec(CPP)
    assert issues == []
    table = {f.symbol: (f.origin, f.rust_params, f.rust_return) for f in abi_functions(spec)}
    assert table == {
        "rt_torch_available": ("available", (), "bool"),
        "rt_torch_version": ("version", (), "*mut c_char"),
        "rt_torch_torchtensor_free": ("handle-free", (("ptr", "*mut SimpleTorchTensor"),), None),
        "rt_torch_tensor_zeros": (
            "function",
            (("dims", "*const i64"), ("dims_len", "usize"), ("scale", "f32")),
            "*mut SimpleTorchTensor",
        ),
        # no double prefix: torch_device_name -> rt_torch_device_name
        "rt_torch_device_name": ("function", (("index", "i32"),), "*mut c_char"),
        # [text] params are written verbatim, array returns are the length
        "rt_torch_flags": ("function", (("names", "[text]"),), "i64"),
        "rt_torch_torchtensor_shape": (
            "method",
            (
                ("handle", "*const SimpleTorchTensor"),
                ("dims_out", "*mut i64"),
                ("max_dims", "usize"),
            ),
            "i64",
        ),
        "rt_torch_torchtensor_add": (
            "method",
            (
                ("handle", "*const SimpleTorchTensor"),
                ("other", "*const SimpleTorchTensor"),
                ("alpha", "f64"),
            ),
            "*mut SimpleTorchTensor",
        ),
        "rt_torch_torchtensor_fill": (
            "method",
            (
                ("handle", "*const SimpleTorchTensor"),
                ("values", "*const f64"),
                ("values_len", "usize"),
                ("label", "*const c_char"),
            ),
            None,
        ),
    }


def test_cpp_tier2_declarations() -> None:
    spec, _ = parse_wrapper_spec(CPP)
    decls = [f.simple_declaration() for f in abi_functions(spec) if f.in_tier2]
    assert decls == [
        "extern fn rt_torch_available() -> bool",
        "extern fn rt_torch_version() -> text",
        "extern fn rt_torch_tensor_zeros(dims: [i64], scale: f32) -> i64",
        "extern fn rt_torch_device_name(index: i32) -> text",
        "extern fn rt_torch_flags(names: [text]) -> [f64]",
        "extern fn rt_torch_torchtensor_shape(handle: i64) -> [i64]",
        "extern fn rt_torch_torchtensor_add(handle: i64, other: i64, alpha: f64) -> i64",
        "extern fn rt_torch_torchtensor_fill(handle: i64, values: [f64], label: text)",
    ]


def test_rust_backend_symbols_and_signatures() -> None:
    spec, issues = parse_wrapper_spec(RUST)
    assert issues == []
    table = {
        f.symbol: (f.origin, f.rust_params, f.rust_return, f.in_tier2) for f in abi_functions(spec)
    }
    assert table == {
        "rt_regex_available": ("available", (), "bool", True),
        "rt_regex_version": ("version", (), "*mut c_char", True),
        "rt_regex_free_string": ("free-string", (("ptr", "*mut c_char"),), None, False),
        "rt_regex_new": ("function", (("pattern", "*const c_char"),), "i64", True),
        # [i64] is one pointer without a length in the rust backend; the rust backend's
        # exports keep the double prefix that Tier 2 drops
        "rt_regex_regex_sum": ("function", (("xs", "*const i64"), ("ok", "bool")), "i64", True),
        "rt_regex_regex_find": (
            "method",
            (("handle", "i64"), ("haystack", "*const c_char")),
            "*mut c_char",
            True,
        ),
    }
    assert "rt_regex_regex_free" not in abi_symbols(spec)
    tier2 = {f.symbol: f.tier2_symbol for f in abi_functions(spec)}
    assert tier2["rt_regex_regex_sum"] == "rt_regex_sum"
    assert tier2["rt_regex_regex_find"] == "rt_regex_find"
    assert tier2["rt_regex_new"] == "rt_regex_new"
    assert abi_symbols(spec)["rt_regex_regex_sum"].simple_declaration() == (
        "extern fn rt_regex_sum(xs: [i64], ok: bool) -> i64"
    )


def test_rust_signature_text_and_spec_spans() -> None:
    spec, _ = parse_wrapper_spec(RUST)
    fn = abi_symbols(spec)["rt_regex_new"]
    assert fn.rust_signature() == 'pub extern "C" fn rt_regex_new(pattern: *const c_char) -> i64'
    assert fn.spec_span == spec.functions[0].name_span
    assert abi_symbols(spec)["rt_regex_available"].spec_span == spec.spans["name"]


def test_qualified_name_avoids_double_prefix() -> None:
    assert qualified_name("cuda", "cuda_malloc") == "cuda_malloc"
    assert qualified_name("cuda", "malloc") == "cuda_malloc"
    assert qualified_name("cuda", "cudart_init") == "cuda_cudart_init"


def test_expected_rust_params_from_a_simple_declaration() -> None:
    assert expected_rust_params(["[i64]", "text", "f64", "i32", "bool"], "cpp") == [
        "*const i64",
        "usize",
        "*const c_char",
        "f64",
        "i32",
        "bool",
    ]
    assert expected_rust_params(["[i64]", "text", "i64"], "rust") == [
        "*const i64",
        "*const c_char",
        "i64",
    ]
    assert expected_rust_return("text", "cpp") == "*mut c_char"
    assert expected_rust_return("[text]", "rust") == "i64"
    assert expected_rust_return(None, "cpp") is None
    assert expected_rust_return("void", "cpp") is None


def test_rust_type_comparison_ignores_spacing_and_paths() -> None:
    assert normalize_rust_type("*const  std::os::raw::c_char") == "*const c_char"
    assert same_rust_type("* mut libc::c_char", "*mut core::ffi::c_char")
    assert same_rust_type("*const std::ffi::c_char", "*const c_char")
    assert not same_rust_type("*const c_char", "*mut c_char")
    assert rust_param_matches("i64", "*const SimpleTorchTensor", "cpp")
    assert not rust_param_matches("i64", "*const SimpleTorchTensor", "rust")


def test_generated_outputs_per_backend(tmp_path: Path) -> None:
    cpp, _ = parse_wrapper_spec(CPP)
    rust, _ = parse_wrapper_spec(RUST)
    assert [(t, p.as_posix()) for t, p in generated_outputs(cpp)] == [
        (1, ".build/rust/ffi_torch/Cargo.toml"),
        (1, ".build/rust/ffi_torch/build.rs"),
        (1, ".build/rust/ffi_torch/src/lib.rs"),
        (1, ".build/rust/ffi_torch/src/bridge.h"),
        (1, ".build/rust/ffi_torch/src/bridge.cpp"),
        (2, "src/lib/torch/ffi.spl"),
        (3, "src/lib/torch/mod.spl"),
    ]
    assert [(t, p.as_posix()) for t, p in generated_outputs(rust)] == [
        (1, "build/artifacts/rust/ffi_regex/Cargo.toml"),
        (1, "build/artifacts/rust/ffi_regex/src/lib.rs"),
        (1, ".build/rust/ffi_regex/Cargo.toml"),
        (1, ".build/rust/ffi_regex/src/lib.rs"),
        (2, "src/lib/regex/ffi.spl"),
        (3, "src/lib/regex/mod.spl"),
    ]
    assert library_file_name(cpp) == "libsimple_torch.so"
    assert library_file_name(rust) == "libsimple_regex_ffi.so"
    # an existing crate wins over the preferred location
    (tmp_path / ".build/rust/ffi_regex").mkdir(parents=True)
    (tmp_path / ".build/rust/ffi_regex/Cargo.toml").write_text("")
    assert tier1_crate_dir(rust, tmp_path) == tmp_path / ".build/rust/ffi_regex"


def test_generated_markers() -> None:
    assert generated_marker("// Auto-generated Rust wrapper for torch using cxx\n\nuse x;") == (
        1,
        "torch",
    )
    assert generated_marker("// Auto-generated build script for torch\n") == (1, "torch")
    assert generated_marker("// Auto-generated Rust-native FFI wrapper for regex\n") == (1, "regex")
    assert generated_marker(
        "# torch SFFI Bindings (Tier 2)\n# Auto-generated extern fn declarations\n"
    ) == (2, "torch")
    assert generated_marker("# torch Simple API (Tier 3)\r\n# Auto-generated API scaffold\n") == (
        3,
        "torch",
    )
    assert generated_marker("# a hand-written file\n") is None
    assert generated_marker("") is None
