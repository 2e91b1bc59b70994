"""Tier 1 crate metadata from ``Cargo.toml``: names, crate types, stub mode, backend,
and the library files a build is expected to produce (SFFI.md section 7)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sffi_lsp.model import Problem

SOURCE_SUFFIXES = (".rs", ".c", ".h", ".cpp", ".cc", ".cxx", ".hpp", ".hh")


@dataclass(frozen=True, slots=True)
class CrateInfo:
    manifest: Path  # the Cargo.toml
    package: str
    lib_name: str  # [lib] name, else the package name with '-' -> '_'
    crate_types: tuple[str, ...]
    default_features: tuple[str, ...]
    backend: str  # "cpp" (cxx bridge) or "rust"
    output_names: tuple[str, ...]  # lib<name>.so / lib<name>.a / <name>.dll ...
    sources: tuple[Path, ...]

    @property
    def root(self) -> Path:
        return self.manifest.parent

    @property
    def stub_by_default(self) -> bool:
        return "stub" in self.default_features

    def output_dirs(self) -> tuple[Path, ...]:
        """Where ``cargo build`` puts the libraries (debug and release profiles)."""
        return (self.root / "target" / "release", self.root / "target" / "debug")


def _outputs(lib_name: str, crate_types: tuple[str, ...]) -> tuple[str, ...]:
    names = []
    if "cdylib" in crate_types or "dylib" in crate_types:
        names.append(f"lib{lib_name}.so")
    if "staticlib" in crate_types:
        names.append(f"lib{lib_name}.a")
    if "rlib" in crate_types or "lib" in crate_types:
        names.append(f"lib{lib_name}.rlib")
    return tuple(names)


def read_crate(manifest: Path) -> CrateInfo | Problem | None:
    """The crate of a ``Cargo.toml``; None for a workspace-only manifest (no package)."""
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8", errors="replace"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return Problem(manifest, f"cannot read Cargo.toml: {exc}")
    package = data.get("package")
    if not isinstance(package, dict) or not isinstance(package.get("name"), str):
        return None
    name: str = package["name"]
    raw_lib = data.get("lib")
    lib: dict[str, Any] = raw_lib if isinstance(raw_lib, dict) else {}
    raw_lib_name = lib.get("name")
    lib_name = raw_lib_name if isinstance(raw_lib_name, str) else name.replace("-", "_")
    raw_types = lib.get("crate-type", ["lib"])
    crate_types = tuple(t for t in raw_types if isinstance(t, str)) if isinstance(raw_types, list) else ("lib",)
    raw_features = data.get("features")
    features: dict[str, Any] = raw_features if isinstance(raw_features, dict) else {}
    default = features.get("default", [])
    default_features = tuple(f for f in default if isinstance(f, str)) if isinstance(default, list) else ()
    root = manifest.parent
    deps: set[str] = set()
    for key in ("dependencies", "build-dependencies"):
        table = data.get(key)
        if isinstance(table, dict):
            deps.update(table)
    build_rs = root / "build.rs"
    uses_bridge = (root / "src" / "bridge.cpp").is_file()
    if build_rs.is_file() and not uses_bridge:
        try:
            uses_bridge = "bridge.cpp" in build_rs.read_text(encoding="utf-8", errors="replace")
        except OSError:
            pass
    backend = "cpp" if {"cxx", "cxx-build"} & deps or uses_bridge else "rust"
    src = root / "src"
    sources = tuple(sorted(p for p in src.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file())) \
        if src.is_dir() else ()
    return CrateInfo(manifest, name, lib_name, crate_types, default_features, backend,
                     _outputs(lib_name, crate_types), sources)
