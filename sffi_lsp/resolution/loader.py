"""How the Simple runtime finds the native code behind an ``extern fn`` (SFFI.md section 4).

Given the native index, answers for one symbol name: which providers exist (runtime
tables, libraries, Tier 1 sources, manifest entries) and whether the runtime would
actually load any of them, and if not, where it would have looked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sffi_lsp.model import NativeKind, NativeSymbol

if TYPE_CHECKING:
    from sffi_lsp.workspace.project import Project

RUNTIME_LIBRARY = "libsimple_runtime.so"
SATELLITE_PREFIXES = ("ts", "torch", "cuda", "vulkan", "vhdl")
MAX_DYNAMIC_PARAMS = 13
# Simple types the dynamic path passes as a 64-bit integer (SFFI_UNSUPPORTED_CONVERSION otherwise).
INTEGER_TYPES = frozenset({"i64", "i32", "i16", "i8", "u64", "u32", "u16", "u8", "bool", "usize", "isize"})


def satellite_prefix(name: str) -> str | None:
    """``torch`` for ``rt_torch_zeros``: the satellite whose library the runtime loads."""
    for prefix in SATELLITE_PREFIXES:
        if name.startswith(f"rt_{prefix}_"):
            return prefix
    return None


def satellite_library_name(prefix: str) -> str:
    return f"libspl_{prefix}.so"


class Route:
    """How the runtime reaches a symbol."""

    RUNTIME_TABLE = "runtime-table"  # interpreter / codegen dispatch tables
    RUNTIME_LIBRARY = "runtime-library"  # exported by libsimple_runtime.so
    MANIFEST = "manifest"  # a plugin manifest lists it and its library exports it
    SATELLITE = "satellite"  # libspl_<prefix>.so on the satellite search path


DYNAMIC_ROUTES = frozenset({Route.MANIFEST, Route.SATELLITE})


@dataclass
class Resolution:
    """Everything known about one symbol name."""

    name: str
    routes: list[tuple[str, Path]] = field(default_factory=list)  # (route, providing file)
    library_symbols: list[NativeSymbol] = field(default_factory=list)  # any library exporting it
    source_symbols: list[NativeSymbol] = field(default_factory=list)  # Tier 1 definitions
    table_symbols: list[NativeSymbol] = field(default_factory=list)  # runtime table rows
    manifest_claims: list[Path] = field(default_factory=list)  # manifests listing it

    @property
    def loadable(self) -> bool:
        return bool(self.routes)

    @property
    def dynamic_only(self) -> bool:
        """Reached only through the dynamic SFFI path, which marshals integers only."""
        return bool(self.routes) and all(route in DYNAMIC_ROUTES for route, _ in self.routes)

    @property
    def exists(self) -> bool:
        return bool(self.library_symbols or self.source_symbols or self.table_symbols)


class Resolver:
    """Resolves symbol names against one project's native index."""

    def __init__(self, project: Project) -> None:
        self.project = project
        natives = project.natives
        self.natives = natives
        # library path -> names its manifest entries list
        self.manifest_functions: dict[Path, set[str]] = {}
        self.manifest_paths: dict[str, list[Path]] = {}
        for manifest in natives.manifests:
            for entry in manifest.entries:
                if entry.library is None:
                    continue
                key = _real(entry.library)
                self.manifest_functions.setdefault(key, set()).update(entry.functions)
                for fn in entry.functions:
                    self.manifest_paths.setdefault(fn, []).append(manifest.path)
        runtime = project.settings.runtime_path
        self.runtime_path = _real(project.root / runtime) if runtime else None
        self.satellite_dirs = self._satellite_dirs()
        self._cache: dict[str, Resolution] = {}

    def _satellite_dirs(self) -> list[Path]:
        """Directories the runtime searches for libspl_<p>.so, as found in this workspace."""
        root = self.project.root
        dirs = []
        if self.runtime_path is not None:
            dirs += [self.runtime_path.parent, self.runtime_path.parent.parent / "lib"]
        dirs += [root / "bin", root / "lib"]
        dirs += [root / "target" / p for p in ("debug", "release", "bootstrap")]
        dirs += [root / "build"]
        dirs += [Path(p) if Path(p).is_absolute() else root / p for p in self.project.settings.search_paths]
        return [_real(d) for d in dirs]

    def searched_for(self, name: str) -> str:
        """Where the runtime looks for ``name``, in words, for messages."""
        parts = ["the runtime's dispatch tables", RUNTIME_LIBRARY]
        prefix = satellite_prefix(name)
        if prefix:
            parts.append(f"{satellite_library_name(prefix)} in bin/, lib/, target/*/, build/")
        manifests = [self.project.relative(m.path) for m in self.natives.manifests]
        parts.append("plugin manifest " + ", ".join(manifests) if manifests else "plugin manifests (none found)")
        return "; ".join(parts)

    def is_runtime_library(self, path: Path) -> bool:
        real = _real(path)
        if self.runtime_path is not None and real == self.runtime_path:
            return True
        return path.name == RUNTIME_LIBRARY or path.name.startswith(RUNTIME_LIBRARY + ".")

    def is_satellite(self, path: Path, name: str) -> bool:
        prefix = satellite_prefix(name)
        if prefix is None or path.name != satellite_library_name(prefix):
            return False
        return _real(path).parent in self.satellite_dirs

    def resolve(self, name: str) -> Resolution:
        cached = self._cache.get(name)
        if cached is not None:
            return cached
        result = Resolution(name)
        result.manifest_claims = self.manifest_paths.get(name, [])
        for symbol in self.natives.lookup(name):
            if symbol.kind is NativeKind.RUNTIME_TABLE:
                result.table_symbols.append(symbol)
                result.routes.append((Route.RUNTIME_TABLE, symbol.path))
            elif symbol.kind is NativeKind.LIBRARY:
                result.library_symbols.append(symbol)
                if self.is_runtime_library(symbol.path):
                    result.routes.append((Route.RUNTIME_LIBRARY, symbol.path))
                elif name in self.manifest_functions.get(_real(symbol.path), ()):
                    result.routes.append((Route.MANIFEST, symbol.path))
                elif self.is_satellite(symbol.path, name):
                    result.routes.append((Route.SATELLITE, symbol.path))
            elif symbol.kind in (NativeKind.RUST_SOURCE, NativeKind.C_SOURCE):
                result.source_symbols.append(symbol)
        self._cache[name] = result
        return result

    def exported_names(self) -> set[str]:
        """Every name a library exports or a runtime table provides (for near-miss search)."""
        names: set[str] = set()
        for info in self.natives.libraries.values():
            names.update(s.name for s in info.symbols)
        for symbols in self.natives.source_symbols.values():
            names.update(s.name for s in symbols if s.kind is NativeKind.RUNTIME_TABLE)
        return names


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path


def is_marshallable_type(type_text: str | None) -> bool:
    """Whether the dynamic SFFI path can pass a value of this Simple type."""
    return type_text is None or type_text in INTEGER_TYPES
