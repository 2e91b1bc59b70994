"""Generate a workspace at the scale and in the forms of the real Simple repository.

Importable (``generate(root, scale=1.0)``; the census bench reuses it) and runnable
(``python bench/gen_repo.py OUT [--scale S]``). At scale 1.0 it writes:

- 15,000 ``.spl`` files with 20,000 ``extern fn`` declarations over 3,000 names, the
  popular ones declared in dozens of files (some with a divergent signature);
- the interpreter dispatch file (``interpreter_extern/mod.rs``, ~200 KB): 1,600 rows as
  ``insert_simple!`` (single- and multi-line), ``m.insert(.. as ExternHandler)``, rows
  under ``#[cfg(feature)]``, prefix arms with exclusions and cfg, exact-name arms, inner
  ``match name`` arms, a ``#[cfg(test)] mod tests``; family row tables (``*_FNS``),
  ``capability_gap.rs`` and ``dynamic_sffi.rs``;
- the codegen table (``codegen/runtime_sffi.rs``): 1,200 ``RuntimeFuncSpec::new`` rows,
  some multi-line, and ``sffi_alias_target`` in ``codegen/instr/calls.rs``;
- 3,000 Rust files (the runtime crate's ``#[no_mangle]`` / ``#[export_name]`` exports
  and plain compiler code) and 250 C files in ``src/runtime/``.

Deterministic for a seed: two runs write the same bytes.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

SPL_FILES = 15_000
EXTERN_DECLS = 20_000
NAMES = 3_000
DISPATCH_ROWS = 1_600
CODEGEN_ROWS = 1_200
RUST_FILES = 3_000
C_FILES = 250
FAMILIES = ("sdl2", "glfw", "audio", "fb", "image", "opengl", "oneapi", "driver", "lane", "winit")
GAPS = ("webgpu", "vk", "gui", "lyon", "gamepad", "hook")
CATEGORIES = ("file", "regex", "torch", "cuda", "net", "time", "process", "arena", "json", "heap", "mem",
              "tls", "sha", "cli", "term", "pty", "env", "path", "dir", "sock")
TYPES = ("i64", "i64", "i64", "text", "bool", "f64", "[text]", "i32")
MOD = "src/compiler_rust/compiler/src/interpreter_extern"
CODEGEN = "src/compiler_rust/compiler/src/codegen"
RUNTIME = "src/compiler_rust/runtime/src/value/sffi"


@dataclass(frozen=True)
class RepoShape:
    """What was written, for benchmarks that reuse the workspace."""

    root: Path
    spl_files: int
    extern_declarations: int
    names: int
    dispatch_rows: int
    dispatch_bytes: int
    codegen_rows: int
    rust_files: int
    c_files: int


def _names(rng: random.Random, scale: float) -> list[str]:
    names = []
    count = max(50, int(NAMES * scale))
    for i in range(count):
        r = rng.random()
        if r < 0.08:
            family = rng.choice(FAMILIES)
            names.append(f"rt_{family}_{rng.choice(('init', 'open', 'poll', 'draw', 'free'))}_{i}")
        elif r < 0.1:
            names.append(f"rt_{rng.choice(GAPS)}_call_{i}")
        elif r < 0.13:
            names.append(f"sys_op_{i}")
        else:
            names.append(f"rt_{rng.choice(CATEGORIES)}_{rng.choice(('new', 'get', 'set', 'len', 'run'))}_{i}")
    return names


def _signature(rng: random.Random, name: str, variant: int = 0) -> str:
    local = random.Random(name)
    params = ", ".join(f"a{k}: {local.choice(TYPES)}" for k in range(local.randint(0, 4)))
    ret = local.choice((*TYPES, ""))
    if variant:
        ret = "f64" if ret != "f64" else "i32"
    elif ret == "" and rng.random() < 0.5:
        ret = "void"  # `-> void` and no return are the same signature
    return f"extern fn {name}({params})" + (f" -> {ret}" if ret else "")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def generate(root: Path, scale: float = 1.0, seed: int = 0) -> RepoShape:
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "sffi-lsp.toml").write_text("")
    names = _names(rng, scale)
    # Popularity: a few names in dozens of files, most in one or two (Zipf-like).
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(names))]
    spl_files = max(10, int(SPL_FILES * scale))
    total_decls = max(20, int(EXTERN_DECLS * scale))
    per_file: list[list[str]] = [[] for _ in range(spl_files)]
    picks = rng.choices(names, weights=weights, k=total_decls + total_decls // 200)  # same-file repeats drop
    for i, name in enumerate(picks):
        per_file[rng.randrange(spl_files) if i >= spl_files else i].append(name)
    divergent = set(rng.sample(names[:200], min(20, len(names) // 10)))
    written_decls = 0
    for i, decls in enumerate(per_file):
        layer = f"{10 + i % 7}.layer{i % 7}"
        path = root / "src" / "compiler" / layer / f"mod{i // 100}" / f"unit_{i}.spl"
        lines = [f"# unit {i}"]
        seen: set[str] = set()
        for name in decls:
            if name in seen:
                continue
            seen.add(name)
            variant = 1 if name in divergent and rng.random() < 0.1 else 0
            lines.append(_signature(rng, name, variant))
            written_decls += 1
        lines += ["", f"fn helper_{i}(x: i64) -> i64:", "    x + 1", ""]
        _write(path, "\n".join(lines) + "\n")

    # ---------------------------------------------------------------- interpreter
    rows = names[: min(max(10, int(DISPATCH_ROWS * scale)), len(names) * 9 // 10)]
    body = ["use std::collections::HashMap;", "",
            "fn init_dispatch_table() -> HashMap<&'static str, ExternHandler> {",
            "    let mut m = HashMap::with_capacity(1600);",
            "    macro_rules! insert_simple {",
            "        ($name:literal, $handler:path) => {",
            "            m.insert($name, (|evaluated, _env| $handler(evaluated)) as ExternHandler);",
            "        };", "    }"]
    for k, name in enumerate(rows):
        comment = f"    // row {k}: interpreter lane"
        if k % 97 == 0:
            body += ["    #[cfg(feature = \"tui\")]", "    {", f'        insert_simple!("{name}", tui::{name});', "    }"]
        elif k % 53 == 0:
            body += ["    m.insert(", f'        "{name}",',
                     f"        (|evaluated, env| call_loaded_function_by_name(\"{name}\", evaluated, env)) "
                     "as ExternHandler,", "    );"]
        elif k % 5 == 0:
            body += [comment, "    insert_simple!(", f'        "{name}",', f"        handlers::{name}_impl_fn", "    );"]
        else:
            body += [comment, f'    insert_simple!("{name}", handlers::{name}_impl_fn);']
    body += ["    m", "}", "",
             "pub fn call_extern_function_with_values(name: &str, evaluated: &[Value]) -> Result<Value, CompileError> {",
             "    if let Some(func) = EXTERN_DISPATCH.get(name) {", "        return func(evaluated);", "    }"]
    for family in FAMILIES:
        if family == "winit":
            body += ['    #[cfg(feature = "gui")]']
        if family == "audio":
            body += [f'    if name.starts_with("rt_{family}_") && !name.starts_with("rt_{family}_sdl2_") {{']
        else:
            body += [f'    if name.starts_with("rt_{family}_") {{']
        if family == "lane":
            members = [n for n in names if n.startswith("rt_lane_")][:12]
            arms = " | ".join(f'"{n}"' for n in members) or '"rt_lane_none"'
            body += ["        return match name {", f"            {arms} => host_lane::handle(evaluated),",
                     "            _ => Err(common::unknown_function(name)),", "        };", "    }"]
        else:
            body += [f"        return {family}::dispatch(name, &evaluated);", "    }"]
    body += ['    if name == "rt_socket_nonblock_prepare" || name == "rt_socket_nonblock_commit" {',
             "        return socket_nonblock::dispatch(name, &evaluated);", "    }",
             "    if capability_gap::matches(name) {", "        return capability_gap::dispatch(name);", "    }",
             "    if let Some(result) = dynamic_sffi::try_call_dynamic(name, &evaluated) {", "        return result;",
             "    }", "    Err(common::unknown_function(name))", "}", "",
             "#[cfg(test)]", "mod tests {", "    #[test]", "    fn registered() {",
             '        assert!(EXTERN_DISPATCH.contains_key("rt_test_only_name"));', "    }", "}", ""]
    dispatch = "\n".join(body)
    _write(root / MOD / "mod.rs", dispatch)
    for family in ("sdl2", "glfw"):
        members = [n for n in names if n.startswith(f"rt_{family}_")]
        table = [f"pub const {family.upper()}_FNS: &[(&str, Ret, &str)] = &["]
        table += [f'    ("{n}", Ret::I, "i"),' for n in members[: len(members) * 2 // 3]]
        table += ["];", ""]
        _write(root / MOD / f"{family}.rs", "\n".join(table))
    gaps = ["const CAPABILITY_GAP_FAMILIES: &[(&str, &str)] = &["]
    gaps += [f'    ("rt_{g}_", "rt_{g}"),' for g in GAPS] + ["];", ""]
    _write(root / MOD / "capability_gap.rs", "\n".join(gaps))
    _write(root / MOD / "dynamic_sffi.rs",
           'const SATELLITE_PREFIXES: &[&str] = &["ts", "torch", "cuda", "vulkan", "vhdl"];\n')

    # ---------------------------------------------------------------- codegen
    codegen_names = names[len(names) // 4: min(len(names) // 4 + max(10, int(CODEGEN_ROWS * scale)),
                                              len(names) * 9 // 10)]
    spec = ["pub static RUNTIME_FUNCS: &[RuntimeFuncSpec] = &["]
    for k, name in enumerate(codegen_names):
        params = ", ".join(["I64"] * (k % 4))
        ret = "I8" if k % 11 == 0 else ("" if k % 13 == 0 else "I64")
        if k % 7 == 0:
            spec += ["    RuntimeFuncSpec::new(", f'        "{name}",', f"        &[{params}],", f"        &[{ret}],", "    ),"]
        else:
            spec.append(f'    RuntimeFuncSpec::new("{name}", &[{params}], &[{ret}]),')
    spec += ["];", ""]
    _write(root / CODEGEN / "runtime_sffi.rs", "\n".join(spec))
    _write(root / CODEGEN / "instr" / "calls.rs",
           'fn sffi_alias_target(name: &str) -> Option<&\'static str> {\n    match name {\n'
           '        "rt_print" => Some("rt_print_value"),\n        "sys_get_args" => Some("rt_get_args"),\n'
           "        _ => None,\n    }\n}\n")

    # ---------------------------------------------------------------- Rust and C
    rust_files = max(10, int(RUST_FILES * scale))
    backed = len(names) * 9 // 10  # the last tenth of the names: declared, backed nowhere
    exported = names[len(names) // 3: backed]
    for i in range(rust_files):
        lines = [f"//! Runtime module {i}.", "use crate::value::RuntimeValue;", ""]
        if i % 3 == 0:
            for k, name in enumerate(exported[i // 3 * 2 % max(1, len(exported)):][:2]):
                attribute = f'#[export_name = "{name}"]' if k else "#[no_mangle]"
                fn_name = f"{name}_impl" if k else name
                lines += [attribute, f'pub unsafe extern "C" fn {fn_name}(a: i64, b: i64) -> i64 {{', "    a + b", "}", ""]
        for k in range(12):
            lines += [f"fn local_{i}_{k}(v: &RuntimeValue) -> Option<i64> {{",
                      "    match v.as_int() {", "        Some(x) if x > 0 => Some(x * 2),", "        _ => None,",
                      "    }", "}", ""]
        folder = RUNTIME if i % 3 == 0 else f"src/compiler_rust/compiler/src/pass{i % 40}"
        _write(root / folder / f"m{i}.rs", "\n".join(lines))
    c_files = max(5, int(C_FILES * scale))
    c_names = names[len(names) // 2: backed]
    per_c = max(1, len(c_names) // c_files)
    for i in range(c_files):
        lines = ["#include <stdint.h>", ""]
        for name in c_names[i * per_c:(i + 1) * per_c]:
            lines += [f"int64_t {name}(int64_t a) {{", "    return a + 1;", "}", ""]
        lines += [f"static int64_t helper_{i}(int64_t a) {{ return a; }}", ""]
        _write(root / "src" / "runtime" / f"runtime_{i}.c", "\n".join(lines))
    return RepoShape(root, spl_files, written_decls, len(names), len(rows), len(dispatch.encode()),
                     len(codegen_names), rust_files, c_files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(generate(args.out, args.scale, args.seed))


if __name__ == "__main__":
    main()
