"""Find the files of a workspace that sffi-lsp reads: Simple sources, wrapper specs,
native libraries, Tier 1 sources and the runtime's tables.

One walk of the tree; directories that never hold anything of ours (``.git``,
``node_modules``, cargo's ``deps``/``incremental`` duplicates) are pruned on the way down.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sffi_lsp.workspace.settings import Settings

PRUNED_DIRS = frozenset(
    {".git", ".hg", ".svn", "node_modules", "__pycache__", ".mypy_cache", ".ruff_cache",
     ".pytest_cache", ".venv", "venv", ".tox", "deps", "incremental", ".fingerprint",
     "build-script-build"}
)

LIBRARY_SUFFIXES = (".so", ".a", ".o", ".dylib", ".dll")
_VERSIONED_SO = re.compile(r"\.so(\.[0-9]+)+$")  # libx.so.1.2 (not libx.so.c)
SOURCE_SUFFIXES = {".rs": "rust", ".c": "c", ".h": "c", ".cpp": "cpp", ".cc": "cpp",
                   ".cxx": "cpp", ".hpp": "cpp", ".hh": "cpp", ".s": "asm", ".S": "asm"}

# Directories whose libraries the runtime (or a build) produces, per SFFI.md sections 4 and 7.
DEFAULT_LIBRARY_GLOBS = (
    ".build/rust/*/target/debug/*",
    ".build/rust/*/target/release/*",
    "build/**/*",
    "target/debug/*",
    "target/release/*",
    "target/bootstrap/*",
    "lib/**/*",
    "bin/*",
)
# Directories of build output and vendored code: native sources there are not the workspace's
# own (the whole-workspace default of the `sources` setting leaves them out).
NOT_OWN_SOURCE_DIRS = frozenset(
    {"target", "build", ".build", "_build", "out", "dist", "vendor", "vendored", "third_party",
     "third-party", "external", "node_modules", ".cargo", "site-packages"}
)
# Tier 1 sources: generated crates, and the runtime's own tables when the workspace has them
# (always read, whatever the `sources` setting says).
DEFAULT_SOURCE_GLOBS = (
    ".build/rust/*/src/**/*",
    "build/artifacts/rust/*/src/**/*",
    "src/compiler_rust/**/*",
    "src/runtime/**/*",
    "native/**/*",
)


SETTINGS_FILE = "sffi-lsp.toml"


def _pyproject_has_table(path: Path) -> bool:
    """Whether ``path`` is a ``pyproject.toml`` with a ``[tool.sffi-lsp]`` table."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if "sffi-lsp" not in text:
        return False
    try:
        tool = tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return True  # it names the table; the settings loader reports the syntax error
    return isinstance(tool, dict) and "sffi-lsp" in tool


def is_root(directory: Path) -> bool:
    """A workspace root holds ``sffi-lsp.toml``, a ``pyproject.toml`` with a ``[tool.sffi-lsp]``
    table, or ``.git``. (When ``sffi-lsp.toml`` and such a ``pyproject.toml`` sit side by side,
    the settings come from ``sffi-lsp.toml``.)"""
    return (
        (directory / SETTINGS_FILE).is_file()
        or _pyproject_has_table(directory / "pyproject.toml")
        or (directory / ".git").exists()
    )


def find_root(path: Path) -> Path:
    """The workspace root of a file or directory: walking upward from it, the nearest
    directory that ``is_root``; without one, the directory itself (a file's own directory).
    The one rule of the CLI, the server and the backends."""
    path = Path(os.path.abspath(path))
    start = path if path.is_dir() else path.parent
    for candidate in (start, *start.parents):
        if is_root(candidate):
            return candidate
    return start


def relative_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` in posix form, or absolute when outside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def is_library_name(name: str) -> bool:
    """``libx.so``, ``libx.so.1.2``, ``x.a``, ``x.o``, ``x.dylib``, ``x.dll``, or ``simple``."""
    if name.endswith(LIBRARY_SUFFIXES):
        return True
    if _VERSIONED_SO.search(name):
        return True
    return name in ("simple", "simple_runtime")


def _matches(rel: str, globs: Iterable[str]) -> bool:
    for pattern in globs:
        if fnmatch.fnmatchcase(rel, pattern):
            return True
        # "dir/**/*" also matches files directly in dir.
        if "/**/" in pattern and fnmatch.fnmatchcase(rel, pattern.replace("/**/", "/")):
            return True
    return False


@dataclass
class WorkspaceFiles:
    """What one walk of a workspace root found, by role."""

    root: Path
    simple: list[Path] = field(default_factory=list)
    specs: list[Path] = field(default_factory=list)
    libraries: list[Path] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)
    cargo_manifests: list[Path] = field(default_factory=list)
    # Files of ours that are not regular files (FIFOs, devices, sockets, dangling links):
    # never opened, since reading a FIFO blocks forever.
    skipped: list[Path] = field(default_factory=list)
    unreadable: dict[Path, str] = field(default_factory=dict)  # directories the walk could not list


PROJECT_FILE = "sffi-lsp.toml"  # a directory holding one is a project of its own


def _is_project(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, PROJECT_FILE))


def is_regular_file(path: Path) -> bool:
    """Whether ``path`` (followed through symlinks) is a regular file, safe to open and read."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def walk(root: Path, exclude: Iterable[str] = (),
         unreadable: dict[Path, str] | None = None, skip_projects: bool = False) -> Iterator[Path]:
    """Every file under ``root`` (symlinks to files included), pruned and excluded.
    Directories that cannot be listed go into ``unreadable`` (path -> reason);
    ``skip_projects``: not inside nested projects (directories with their own ``sffi-lsp.toml``)."""
    exclude = tuple(exclude)
    root_str = str(root)

    def on_error(exc: OSError) -> None:
        if unreadable is not None and exc.filename is not None:
            unreadable[Path(exc.filename)] = exc.strerror or str(exc)

    for dirpath, dirnames, filenames in os.walk(root_str, onerror=on_error, followlinks=False):
        rel_dir = os.path.relpath(dirpath, root_str)
        rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
        dirnames[:] = sorted(
            d for d in dirnames
            if d not in PRUNED_DIRS and not (exclude and _matches(rel_dir + d, exclude))
            and not (skip_projects and _is_project(os.path.join(dirpath, d)))
        )
        for name in sorted(filenames):
            rel = rel_dir + name
            if exclude and _matches(rel, exclude):
                continue
            yield Path(dirpath, name)


def nested_projects(root: Path) -> list[Path]:
    """The directories below ``root``, at any depth, with their own ``sffi-lsp.toml``: each
    is a project of its own, left out of the projects above it."""
    found = []
    for dirpath, dirnames, _ in os.walk(str(root), onerror=None, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in PRUNED_DIRS)
        if dirpath != str(root) and _is_project(dirpath):
            found.append(Path(dirpath))
    return found


def classify(root: Path, path: Path, settings: Settings | None = None, nested: bool = True) -> str | None:
    """The role of one file under ``root``: "simple", "spec", "cargo", "library",
    "source", or None when sffi-lsp does not read it (the rule ``discover`` applies).
    ``nested``: look for a nested project between ``root`` and the file (``discover``'s walk
    has already left them out)."""
    settings = settings or Settings()
    name = path.name
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = path.as_posix()
    parts = rel.split("/")[:-1]
    if any(part in PRUNED_DIRS for part in parts) or (settings.exclude and _matches(rel, settings.exclude)):
        return None
    if nested and path.is_relative_to(root) and any(
            _is_project(str(root.joinpath(*parts[:n]))) for n in range(1, len(parts) + 1)):
        return None  # inside a nested project
    if name.endswith(".spl"):
        return "simple"
    if name.endswith(".wrapper_spec"):
        return "spec"
    if name == "Cargo.toml":
        return "cargo"
    if is_library_name(name) and _matches(rel, DEFAULT_LIBRARY_GLOBS + tuple(settings.libraries)):
        return "library"
    if path.suffix in SOURCE_SUFFIXES and is_native_source(rel, settings):
        return "source"
    return None


def is_native_source(rel: str, settings: Settings) -> bool:
    """Whether a C/C++/Rust/assembly file at ``rel`` is indexed: the Tier 1 and runtime
    globs always; then the ``sources`` globs, or by default anywhere outside build output
    and vendored trees."""
    if _matches(rel, DEFAULT_SOURCE_GLOBS):
        return True
    if settings.sources:
        return _matches(rel, settings.sources)
    return not any(part in NOT_OWN_SOURCE_DIRS for part in rel.split("/")[:-1])


def search_path_dirs(root: Path, settings: Settings) -> list[Path]:
    """The ``settings.search_paths`` directories, made absolute against ``root``."""
    return [Path(d) if os.path.isabs(d) else root / d for d in settings.search_paths]


def runtime_source_paths(root: Path, settings: Settings) -> list[Path]:
    """The ``runtime-sources`` entries (files or directories), made absolute against ``root``."""
    return [Path(os.path.expanduser(p)) if os.path.isabs(os.path.expanduser(p)) else root / p
            for p in settings.runtime_sources]


def discover(root: Path, settings: Settings | None = None) -> WorkspaceFiles:
    """Classify the files under ``root``. Libraries and sources follow the default globs
    plus ``settings.libraries``; anything a user lists explicitly is always taken."""
    settings = settings or Settings()
    found = WorkspaceFiles(root)
    lists = {"simple": found.simple, "spec": found.specs, "cargo": found.cargo_manifests,
             "library": found.libraries, "source": found.sources}
    for path in walk(root, settings.exclude, found.unreadable, skip_projects=True):
        role = classify(root, path, settings, nested=False)
        if role is None:
            continue
        if not is_regular_file(path):
            found.skipped.append(path)
            continue
        lists[role].append(path)
    for base in runtime_source_paths(root, settings):
        if base.is_file() and base.suffix in SOURCE_SUFFIXES:
            found.sources.append(base)
        elif base.is_dir():
            found.sources += [p for p in walk(base) if p.suffix in SOURCE_SUFFIXES and is_regular_file(p)
                              and not any(part in NOT_OWN_SOURCE_DIRS for part in p.relative_to(base).parts[:-1])]
    known = set(found.libraries)
    for base in search_path_dirs(root, settings):
        if base.is_dir():
            for path in walk(base):
                if is_library_name(path.name) and path not in known and is_regular_file(path):
                    known.add(path)
                    found.libraries.append(path)
    return found
