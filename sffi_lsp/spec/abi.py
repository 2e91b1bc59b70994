"""The generator's naming and type mapping: which C symbols a spec yields, with what signatures.

Mirrors ``wrapper_gen`` (SFFI.md section 6): Tier 1 ``extern "C"`` signatures per backend,
Tier 2 ``extern fn`` declarations, output file locations and first-line markers. Also the
reverse direction, used to compare a Tier 2 declaration against a Tier 1 definition.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sffi_lsp.model import Span
from sffi_lsp.spec.parser import SpecParam, WrapperSpec

RustParam = tuple[str, str]  # (name, Rust type)
SimpleParam = tuple[str, str]  # (name, Simple type)

_SLICE_PARAMS = {"[i64]": "i64", "[f64]": "f64"}
_ARRAY_RETURNS = frozenset({"[i64]", "[f64]", "[text]"})


@dataclass(frozen=True, slots=True)
class AbiFunction:
    """One C ABI symbol the generator emits, with its Tier 1 and Tier 2 signatures.

    ``spec_span`` is the span of the spec element it comes from (the function or method
    name, the handle name, or ``wrapper_lib.name``); ``in_tier2`` says whether the
    generated ``ffi.spl`` declares it.
    """

    symbol: str
    origin: str  # function, method, handle-free, available, version, free-string
    spec_span: Span | None
    rust_params: tuple[RustParam, ...]
    rust_return: str | None
    simple_params: tuple[SimpleParam, ...]
    simple_return: str | None
    in_tier2: bool = True
    tier2_name: str | None = None  # when Tier 2 declares another name than Tier 1 exports

    @property
    def tier2_symbol(self) -> str:
        """The name ``ffi.spl`` declares for this export."""
        return self.tier2_name or self.symbol

    def rust_signature(self) -> str:
        params = ", ".join(f"{n}: {t}" for n, t in self.rust_params)
        ret = f" -> {self.rust_return}" if self.rust_return else ""
        return f'pub extern "C" fn {self.symbol}({params}){ret}'

    def simple_declaration(self) -> str:
        params = ", ".join(f"{n}: {t}" for n, t in self.simple_params)
        ret = f" -> {self.simple_return}" if self.simple_return else ""
        return f"extern fn {self.tier2_symbol}({params}){ret}"


# --------------------------------------------------------------------------- naming


def qualified_name(lib: str, name: str) -> str:
    """``<lib>_<name>``, without doubling the prefix when ``name`` already has it."""
    return name if name.startswith(lib + "_") else f"{lib}_{name}"


def function_symbol(spec: WrapperSpec, fn_name: str) -> str:
    """The Tier 2 name of a function (and its Tier 1 export in the cpp backend)."""
    return "rt_" + qualified_name(spec.name, fn_name)


def method_symbol(spec: WrapperSpec, handle: str, method: str) -> str:
    """The Tier 2 name of a method (and its Tier 1 export in the cpp backend)."""
    return "rt_" + qualified_name(spec.name, f"{handle.lower()}_{method}")


# The rust backend's Tier 1 writer (tier1_rust_gen.spl) does not apply the no-double-prefix
# rule that Tier 2 and the cpp backend apply, so its exports can differ from the names
# ffi.spl declares: a generator drift a check can point at.
def rust_backend_function_export(spec: WrapperSpec, fn_name: str) -> str:
    return f"rt_{spec.name}_{fn_name}"


def rust_backend_method_export(spec: WrapperSpec, handle: str, method: str) -> str:
    return f"rt_{spec.name}_{handle.lower()}_{method}"


def handle_free_symbol(lib: str, handle: str) -> str:
    return f"rt_{lib}_{handle.lower()}_free"


def handle_struct(handle: str) -> str:
    """The Rust struct the cpp backend wraps a handle in (``Simple`` + handle name)."""
    return f"Simple{handle}"


# --------------------------------------------------------------------------- types


def is_void(type_name: str) -> bool:
    return type_name.strip() in ("", "void")


def rust_params_for(name: str, simple_type: str, spec: WrapperSpec) -> list[RustParam]:
    """The Tier 1 parameter(s) one spec parameter becomes."""
    handles = spec.handle_names
    if spec.backend == "rust":
        if simple_type == "text":
            return [(name, "*const c_char")]
        if simple_type in _SLICE_PARAMS:
            return [(name, f"*const {_SLICE_PARAMS[simple_type]}")]
        if simple_type in handles:
            return [(name, "i64")]
        return [(name, simple_type)]
    if simple_type in _SLICE_PARAMS:
        return [(name, f"*const {_SLICE_PARAMS[simple_type]}"), (f"{name}_len", "usize")]
    if simple_type == "text":
        return [(name, "*const c_char")]
    if simple_type in handles:
        return [(name, f"*const {handle_struct(simple_type)}")]
    return [(name, simple_type)]  # i64 f64 bool, i32 f32 and anything else verbatim


def rust_return_for(simple_type: str, spec: WrapperSpec) -> str | None:
    if is_void(simple_type):
        return None
    if simple_type == "text":
        return "*mut c_char"
    if simple_type in _ARRAY_RETURNS:
        return "i64"
    if simple_type in spec.handle_names:
        return "i64" if spec.backend == "rust" else f"*mut {handle_struct(simple_type)}"
    return simple_type


def simple_type_for(simple_type: str, spec: WrapperSpec) -> str:
    """Tier 2 copies spec types verbatim, except handles, which become ``i64``."""
    return "i64" if simple_type in spec.handle_names else simple_type


def _rust_params(params: Sequence[SpecParam], spec: WrapperSpec) -> list[RustParam]:
    out: list[RustParam] = []
    for p in params:
        out.extend(rust_params_for(p.name, p.type, spec))
    return out


def _simple_params(params: Sequence[SpecParam], spec: WrapperSpec) -> list[SimpleParam]:
    return [(p.name, simple_type_for(p.type, spec)) for p in params]


def _simple_return(type_name: str, spec: WrapperSpec) -> str | None:
    return None if is_void(type_name) else simple_type_for(type_name, spec)


def abi_functions(spec: WrapperSpec) -> list[AbiFunction]:
    """Every C symbol the generator emits for ``spec``, in the order it writes them."""
    lib = spec.name
    lib_span = spec.spans.get("name")
    out = [
        AbiFunction(f"rt_{lib}_available", "available", lib_span, (), "bool", (), "bool"),
        AbiFunction(f"rt_{lib}_version", "version", lib_span, (), "*mut c_char", (), "text"),
    ]
    if spec.backend == "cpp":
        for h in spec.handle_types:
            out.append(
                AbiFunction(
                    handle_free_symbol(lib, h.name),
                    "handle-free",
                    h.name_span,
                    (("ptr", f"*mut {handle_struct(h.name)}"),),
                    None,
                    (("ptr", "i64"),),
                    None,
                    in_tier2=False,
                )
            )
    else:
        out.append(
            AbiFunction(
                f"rt_{lib}_free_string",
                "free-string",
                lib_span,
                (("ptr", "*mut c_char"),),
                None,
                (("ptr", "text"),),
                None,
                in_tier2=False,
            )
        )
    rust = spec.backend == "rust"
    for fn in spec.functions:
        tier2 = function_symbol(spec, fn.name)
        export = rust_backend_function_export(spec, fn.name) if rust else tier2
        out.append(
            AbiFunction(
                export,
                "function",
                fn.name_span,
                tuple(_rust_params(fn.params, spec)),
                rust_return_for(fn.return_type, spec),
                tuple(_simple_params(fn.params, spec)),
                _simple_return(fn.return_type, spec),
                tier2_name=tier2 if tier2 != export else None,
            )
        )
    for m in spec.methods:
        handle_type = "i64" if spec.backend == "rust" else f"*const {handle_struct(m.handle)}"
        params = [("handle", handle_type), *_rust_params(m.params, spec)]
        ret = rust_return_for(m.return_type, spec)
        if spec.backend == "cpp" and m.return_type == "[i64]":
            params += [("dims_out", "*mut i64"), ("max_dims", "usize")]
        tier2 = method_symbol(spec, m.handle, m.name)
        export = rust_backend_method_export(spec, m.handle, m.name) if rust else tier2
        out.append(
            AbiFunction(
                export,
                "method",
                m.name_span,
                tuple(params),
                ret,
                (("handle", "i64"), *_simple_params(m.params, spec)),
                _simple_return(m.return_type, spec),
                tier2_name=tier2 if tier2 != export else None,
            )
        )
    return out


def abi_symbols(spec: WrapperSpec) -> dict[str, AbiFunction]:
    """``abi_functions`` by symbol (the first wins when the spec has duplicates)."""
    table: dict[str, AbiFunction] = {}
    for f in abi_functions(spec):
        table.setdefault(f.symbol, f)
    return table


# --------------------------------------------------------------------------- reverse mapping

_PATH_PREFIX = re.compile(r"\b(?:std::os::raw::|std::ffi::|libc::|core::ffi::)")
_SPACES = re.compile(r"\s+")


def normalize_rust_type(rust_type: str) -> str:
    """A Rust type without whitespace differences or ``std::os::raw::``-style prefixes."""
    text = _PATH_PREFIX.sub("", rust_type.strip())
    text = _SPACES.sub(" ", text)
    text = re.sub(r"\s*([*&<>,()\[\];])\s*", r"\1", text)
    text = re.sub(r"\*(const|mut)(?=\w)", r"*\1 ", text)
    return text


def same_rust_type(a: str, b: str) -> bool:
    return normalize_rust_type(a) == normalize_rust_type(b)


def expected_rust_params(simple_params: Sequence[str], backend: str) -> list[str]:
    """The Tier 1 parameter types a Tier 2 parameter list (types only) corresponds to.

    Handles are ``i64`` on the Simple side and cannot be told apart from integers here;
    ``rust_param_matches`` accepts a pointer where ``i64`` is expected for the cpp backend.
    """
    out: list[str] = []
    for simple_type in simple_params:
        t = simple_type.strip()
        if t in ("text", "str"):
            out.append("*const c_char")
        elif t in _SLICE_PARAMS:
            out.append(f"*const {_SLICE_PARAMS[t]}")
            if backend != "rust":
                out.append("usize")
        else:
            out.append(t)
    return out


def expected_rust_return(simple_return: str | None, backend: str) -> str | None:
    """The Tier 1 return type of a Tier 2 return type (``None`` for no return)."""
    if simple_return is None or is_void(simple_return):
        return None
    t = simple_return.strip()
    if t in ("text", "str"):
        return "*mut c_char"
    if t in _ARRAY_RETURNS:
        return "i64"
    return t


def rust_param_matches(expected: str, actual: str, backend: str) -> bool:
    """Whether a Tier 1 type ``actual`` fits the ``expected`` one (cpp handles are pointers)."""
    if same_rust_type(expected, actual):
        return True
    return (
        backend != "rust"
        and normalize_rust_type(expected) == "i64"
        and normalize_rust_type(actual).startswith(("*const ", "*mut "))
    )


# --------------------------------------------------------------------------- files

CPP_TIER1_FILES = ("Cargo.toml", "build.rs", "src/lib.rs", "src/bridge.h", "src/bridge.cpp")
RUST_TIER1_FILES = ("Cargo.toml", "src/lib.rs")


def tier1_dirs(spec: WrapperSpec) -> list[Path]:
    """Candidate Tier 1 crate directories, relative to the workspace root, preferred first."""
    primary = Path(".build/rust") / f"ffi_{spec.name}"
    if spec.backend == "rust":
        return [Path("build/artifacts/rust") / f"ffi_{spec.name}", primary]
    return [primary]


def tier1_crate_dir(spec: WrapperSpec, root: Path) -> Path:
    """The Tier 1 crate directory under ``root`` (an existing candidate if there is one)."""
    candidates = [root / d for d in tier1_dirs(spec)]
    return next((d for d in candidates if (d / "Cargo.toml").is_file()), candidates[0])


def tier2_path(spec: WrapperSpec) -> Path:
    return Path("src/lib") / spec.name / "ffi.spl"


def tier3_path(spec: WrapperSpec) -> Path:
    return Path("src/lib") / spec.name / "mod.spl"


def generated_outputs(spec: WrapperSpec) -> list[tuple[int, Path]]:
    """(tier, path relative to the workspace root) of every file the generator may write."""
    files = RUST_TIER1_FILES if spec.backend == "rust" else CPP_TIER1_FILES
    out = [(1, d / f) for d in tier1_dirs(spec) for f in files]
    out += [(2, tier2_path(spec)), (3, tier3_path(spec))]
    return out


def library_file_name(spec: WrapperSpec, platform_prefix: str = "lib", suffix: str = ".so") -> str:
    """The library cargo builds: ``libsimple_<name>.so`` (cpp) or ``libsimple_<name>_ffi.so``."""
    stem = f"simple_{spec.name}_ffi" if spec.backend == "rust" else f"simple_{spec.name}"
    return f"{platform_prefix}{stem}{suffix}"


def satellite_library_name(prefix: str, platform_prefix: str = "lib", suffix: str = ".so") -> str:
    """The name the runtime's satellite loader looks for: ``libspl_<prefix>.so``."""
    return f"{platform_prefix}spl_{prefix}{suffix}"


_MARKERS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"^// Auto-generated Rust wrapper for (\S+) using cxx\s*$"), 1),
    (re.compile(r"^// Auto-generated build script for (\S+)\s*$"), 1),
    (re.compile(r"^// Auto-generated Rust-native FFI wrapper for (\S+)\s*$"), 1),
    (re.compile(r"^# (\S+) SFFI Bindings \(Tier 2\)\s*$"), 2),
    (re.compile(r"^# (\S+) Simple API \(Tier 3\)\s*$"), 3),
)


def generated_marker(text: str) -> tuple[int, str] | None:
    """(tier, library name) when ``text`` starts with a generator marker line."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    for pattern, tier in _MARKERS:
        m = pattern.match(first)
        if m:
            return tier, m.group(1)
    return None


def tier1_marker(spec: WrapperSpec) -> str:
    if spec.backend == "rust":
        return f"// Auto-generated Rust-native FFI wrapper for {spec.name}"
    return f"// Auto-generated Rust wrapper for {spec.name} using cxx"


def tier2_marker(spec: WrapperSpec) -> str:
    return f"# {spec.name} SFFI Bindings (Tier 2)\n# Auto-generated extern fn declarations"


def tier3_marker(spec: WrapperSpec) -> str:
    return f"# {spec.name} Simple API (Tier 3)\n# Auto-generated API scaffold"
