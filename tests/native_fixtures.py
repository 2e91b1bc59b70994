"""Helpers that build real native fixtures (C libraries with cc/ar, a Rust cdylib with
cargo) in temporary directories, for the native index tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

# crti.o/crtn.o give every gcc-linked shared object exported _init/_fini (FUNC GLOBAL);
# they are the toolchain's, not the library author's, so tests leave them out.
TOOLCHAIN_SYMBOLS = frozenset({"_init", "_fini"})

C_LIBRARY = r"""
#include <stdint.h>
int64_t rt_demo_exported(int64_t x) { return x + 1; }
static int64_t demo_static(int64_t x) { return x * 2; }
__attribute__((visibility("hidden"))) int64_t demo_hidden(int64_t x) { return demo_static(x); }
__attribute__((weak)) int64_t rt_demo_weak(void) { return demo_hidden(2); }
int64_t rt_demo_counter = 7;
"""

C_OBJECT_A = "long rt_arch_one(long x) { return x; }\nstatic long arch_private(void) { return 1; }\n"
C_OBJECT_B = "long rt_arch_two(long x) { return x * 2; }\nlong rt_arch_data = 3;\n"

# g++ gives a template's static data member and an inline function's static local
# STB_GNU_UNIQUE binding (nm: ``u``).
CPP_UNIQUE = r"""
template <typename T> struct Box { static T value; };
template <typename T> T Box<T>::value = T();
int rt_use_box() { return Box<int>::value; }
inline int& rt_inline_counter() { static int c = 0; return c; }
int rt_bump() { return ++rt_inline_counter(); }
"""

# An IFUNC (nm: ``i``), a thread-local (STT_TLS) and an assembly label (NOTYPE).
C_IFUNC_TLS = r"""
static int impl(void) { return 3; }
static void *resolve(void) { return (void *)impl; }
int rt_ifunc(void) __attribute__((ifunc("resolve")));
__thread long rt_tls = 5;
__asm__(".text\n.globl rt_label\nrt_label:\n ret\n");
"""

# One name in two versions (``rt_ver@VERS_1.0`` and the default ``rt_ver@@VERS_2.0``);
# the version script also makes ld export the ABS version-definition symbols.
C_VERSIONED = r"""
int old_impl(void) { return 1; }
int new_impl(void) { return 2; }
int rt_plain(void) { return 3; }
__asm__(".symver old_impl,rt_ver@VERS_1.0");
__asm__(".symver new_impl,rt_ver@@VERS_2.0");
"""
VERSION_SCRIPT = """VERS_1.0 { global: rt_plain; rt_ver; local: *; };
VERS_2.0 { global: rt_ver; } VERS_1.0;
"""

RUST_LIB = r'''
use std::ffi::c_char;

#[no_mangle]
pub extern "C" fn rt_demo_add(a: i64, b: i64) -> i64 { a + b }

#[unsafe(no_mangle)]
pub unsafe extern "C" fn rt_demo_strlen(s: *const c_char, n: usize) -> i64 {
    if s.is_null() { 0 } else { n as i64 }
}

pub extern "C" fn rt_not_exported_no_mangle(a: i64) -> i64 { a }

#[inline(never)]
pub fn demo_mangled(v: i64) -> i64 { v * 3 }
'''

RUST_CARGO = """[package]
name = "simple-demo-ffi"
version = "0.1.0"
edition = "2021"

[lib]
name = "simple_demo_ffi"
crate-type = ["cdylib", "staticlib"]
path = "src/lib.rs"

[profile.release]
debug = false
"""


def require(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.fail(f"{tool} is not installed: the tests build real libraries with it")
    return found


def run(*argv: str | os.PathLike[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([os.fspath(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"{argv} failed:\n{result.stdout}\n{result.stderr}")


def compile_c_shared(directory: Path, source: str = C_LIBRARY, name: str = "libdemo.so",
                     extra: tuple[str, ...] = ()) -> Path:
    require("cc")
    src = directory / (name + ".c")
    src.write_text(source)
    out = directory / name
    run("cc", "-shared", "-fPIC", "-O1", "-o", out, src, *extra)
    return out


def compile_cpp_shared(directory: Path, source: str = CPP_UNIQUE, name: str = "libunique.so") -> Path:
    require("g++")
    src = directory / (name + ".cpp")
    src.write_text(source)
    out = directory / name
    run("g++", "-shared", "-fPIC", "-O1", "-o", out, src)
    return out


def compile_c_object(directory: Path, source: str, name: str) -> Path:
    require("cc")
    src = directory / (name + ".c")
    src.write_text(source)
    out = directory / name
    run("cc", "-c", "-fPIC", "-O1", "-o", out, src)
    return out


def build_archive(directory: Path, name: str = "libarch.a") -> Path:
    require("ar")
    a = compile_c_object(directory, C_OBJECT_A, "one.o")
    b = compile_c_object(directory, C_OBJECT_B, "two.o")
    out = directory / name
    run("ar", "rcs", out, a, b)
    return out


def build_rust_cdylib(directory: Path) -> Path:
    """A zero-dependency cdylib crate, built in release mode; returns the crate root."""
    require("cargo")
    crate = directory / "ffi_demo"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(RUST_CARGO)
    (crate / "src" / "lib.rs").write_text(RUST_LIB)
    env = dict(os.environ, CARGO_TARGET_DIR=str(crate / "target"), CARGO_NET_OFFLINE="true")
    run("cargo", "build", "--release", "--offline", "-q", cwd=crate, env=env)
    return crate
