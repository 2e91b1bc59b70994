"""``NativeIndex``: every native symbol a workspace can see, by raw name.

Sources of symbols: compiled libraries (``reader``), Tier 1 sources and runtime tables
(``sources``), crates (``crates``) and plugin manifests (``manifest``). Each file's result
is cached by its stamp (``index/cache.py``); ``update`` re-reads only what changed.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sffi_lsp.index.cache import FileStamp, SymbolCache
from sffi_lsp.index.natives.crates import CrateInfo, read_crate
from sffi_lsp.index.natives.manifest import Manifest, ManifestEntry, parse_manifest
from sffi_lsp.index.natives.reader import LibraryReport, read_library_report
from sffi_lsp.index.natives.sources import source_symbols
from sffi_lsp.index.natives.table import SymbolTable
from sffi_lsp.model import LibraryInfo, NativeKind, NativeSymbol, Problem, Span
from sffi_lsp.workspace.discovery import SOURCE_SUFFIXES, WorkspaceFiles, classify, discover
from sffi_lsp.workspace.settings import Settings

PARALLEL_THRESHOLD = 8  # fewer uncached files than this are read in-process


@dataclass(frozen=True, slots=True)
class ManifestCheck:
    """One function a manifest entry claims, and whether its library exports it."""

    manifest: Path
    entry: ManifestEntry
    function: str
    span: Span
    exported: bool
    reason: str | None  # why not, when not


def manifest_paths(root: Path, settings: Settings) -> list[Path]:
    """The workspace-configured manifest, ``$SIMPLE_PLUGIN_MANIFEST``, ``~/.simple/plugins/manifest.sdn``."""
    paths = []
    if settings.plugin_manifest:
        configured = Path(os.path.expanduser(settings.plugin_manifest))
        paths.append(configured if configured.is_absolute() else root / configured)
    env = os.environ.get("SIMPLE_PLUGIN_MANIFEST")
    if env:
        paths.append(Path(env))
    paths.append(Path.home() / ".simple" / "plugins" / "manifest.sdn")
    unique = []
    for path in paths:
        if path not in unique:
            unique.append(path)
    return unique


def read_source(path: Path, language: str) -> tuple[tuple[NativeSymbol, ...], Problem | None]:
    """The native symbols of one source file (never raises)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return (), Problem(path, f"cannot read: {exc.strerror or exc}")
    try:
        return source_symbols(path, data, language), None
    except Exception as exc:  # a parser failure must not stop the index
        return (), Problem(path, f"cannot parse: {type(exc).__name__}: {exc}")


def _read_job(job: tuple[str, str, str | None]) -> object:
    kind, path, language = job
    if kind == "library":
        return read_library_report(Path(path))
    return read_source(Path(path), language or "c")


class NativeIndex:
    """The native symbols of one workspace root.

    ``cache=None`` uses the on-disk cache named by the settings (``SymbolCache.for_settings``);
    pass ``SymbolCache.disabled()`` for none. ``jobs`` bounds the worker processes used
    when many files need reading (default: the CPU count).
    """

    def __init__(self, root: Path, settings: Settings, cache: SymbolCache | None = None,
                 jobs: int | None = None) -> None:
        self.root = root
        self.settings = settings
        self.cache = cache if cache is not None else SymbolCache.for_settings(settings)
        self.jobs = jobs if jobs is not None else (os.cpu_count() or 1)
        self.libraries: dict[Path, LibraryInfo] = {}
        self.source_symbols: dict[Path, tuple[NativeSymbol, ...]] = {}
        self.crates: list[CrateInfo] = []
        self.manifests: list[Manifest] = []
        self.problems: list[Problem] = []
        self._file_problems: dict[Path, tuple[Problem, ...]] = {}
        self._languages: dict[Path, str] = {}
        self._by_name: dict[str, list[NativeSymbol]] = {}  # sources, manifests, non-table libraries
        self.generation = 0  # bumped on every rebuild or update
        self._tables: list[SymbolTable] = []  # library tables, looked up through their own name index
        self._extra_problems: list[Problem] = []
        self.dispatch: list[NativeSymbol] = []  # dispatch facts that are not names (prefix arms, ...)

    # ------------------------------------------------------------------ building

    def build(self, files: WorkspaceFiles | None = None) -> None:
        """Index everything under the root (``files`` from ``discover`` if not given)."""
        files = files if files is not None else discover(self.root, self.settings)
        self.libraries.clear()
        self.source_symbols.clear()
        self._file_problems.clear()
        self._languages.clear()
        self.crates = []
        crate_problems: list[Problem] = []
        for manifest in files.cargo_manifests:
            crate = read_crate(manifest)
            if isinstance(crate, Problem):
                crate_problems.append(crate)
            elif crate is not None:
                self.crates.append(crate)
        sources = {p: SOURCE_SUFFIXES[p.suffix] for p in files.sources if p.suffix in SOURCE_SUFFIXES}
        for crate in self.crates:
            if {"cdylib", "staticlib"} & set(crate.crate_types):
                for path in crate.sources:
                    sources.setdefault(path, SOURCE_SUFFIXES.get(path.suffix, "c"))
        self._languages.update(sources)
        libraries = list(files.libraries)
        if self.settings.runtime_path:
            runtime = Path(os.path.expanduser(self.settings.runtime_path))
            libraries.append(runtime if runtime.is_absolute() else self.root / runtime)
        self.manifests = self._read_manifests()
        for read in self.manifests:
            for entry in read.entries:
                if entry.library is not None and entry.library.exists():
                    libraries.append(entry.library)
        self._read_files(dict.fromkeys(libraries), sources)
        self._extra_problems = crate_problems
        self._reindex()

    def update(self, paths: Iterable[Path]) -> None:
        """Re-read the given changed, new or deleted files (for file watchers)."""
        libraries: dict[Path, None] = {}
        sources: dict[Path, str] = {}
        rebuild_manifests = False
        manifest_files = set(manifest_paths(self.root, self.settings))
        for path in paths:
            path = Path(path)
            if path in manifest_files:
                rebuild_manifests = True
                continue
            if path.name == "Cargo.toml":
                self.crates = [c for c in self.crates if c.manifest != path]
                crate = read_crate(path) if path.exists() else None
                if isinstance(crate, CrateInfo):
                    self.crates.append(crate)
                continue
            exists = os.path.lexists(path)
            known_library = path in self.libraries or (path in self._file_problems and path not in self._languages)
            if path in self._languages or (not known_library and classify(self.root, path, self.settings) == "source"):
                if not exists:
                    self.source_symbols.pop(path, None)
                    self._file_problems.pop(path, None)
                    self._languages.pop(path, None)
                    continue
                sources[path] = self._languages.get(path) or SOURCE_SUFFIXES[path.suffix]
            elif known_library or classify(self.root, path, self.settings) == "library" or self._in_search_path(path):
                if not exists:
                    self.libraries.pop(path, None)
                    self._file_problems.pop(path, None)
                    continue
                libraries[path] = None
        if rebuild_manifests:
            self.manifests = self._read_manifests()
            for manifest in self.manifests:
                for entry in manifest.entries:
                    if entry.library is not None and entry.library.exists() and entry.library not in self.libraries:
                        libraries[entry.library] = None
        self._languages.update(sources)
        self._read_files(libraries, sources)
        self._reindex()

    def _in_search_path(self, path: Path) -> bool:
        from sffi_lsp.workspace.discovery import is_library_name, search_path_dirs

        return is_library_name(path.name) and any(
            d in path.parents for d in search_path_dirs(self.root, self.settings)
        )

    def _read_manifests(self) -> list[Manifest]:
        manifests = []
        for path in manifest_paths(self.root, self.settings):
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except FileNotFoundError:
                continue
            except OSError as exc:
                self._file_problems[path] = (Problem(path, f"cannot read manifest: {exc.strerror or exc}"),)
                continue
            manifests.append(parse_manifest(text, path))
        return manifests

    def _read_files(self, libraries: dict[Path, None], sources: dict[Path, str]) -> None:
        jobs: list[tuple[str, Path, str | None, FileStamp | None]] = []
        for path in libraries:
            stamp = FileStamp.of(path)
            cached = self.cache.get("library", stamp) if stamp is not None else None
            if isinstance(cached, LibraryReport):
                self._store_library(path, cached)
            else:
                jobs.append(("library", path, None, stamp))
        for path, language in sources.items():
            stamp = FileStamp.of(path)
            cached = self.cache.get(f"source-{language}", stamp) if stamp is not None else None
            if isinstance(cached, tuple) and len(cached) == 2:
                self._store_source(path, cached)  # type: ignore[arg-type]
            else:
                jobs.append(("source", path, language, stamp))
        if not jobs:
            return
        work = [(kind, os.fspath(path), job_language) for kind, path, job_language, _ in jobs]
        if len(jobs) >= PARALLEL_THRESHOLD and self.jobs > 1:
            context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
            with ProcessPoolExecutor(max_workers=min(self.jobs, len(jobs)), mp_context=context) as pool:
                results = list(pool.map(_read_job, work, chunksize=max(1, len(work) // (self.jobs * 4))))
        else:
            results = [_read_job(job) for job in work]
        for (kind, path, job_language, stamp), result in zip(jobs, results, strict=True):
            if kind == "library":
                assert isinstance(result, LibraryReport)
                self._store_library(path, result)
                if stamp is not None:
                    self.cache.put("library", stamp, result)
            else:
                self._store_source(path, result)  # type: ignore[arg-type]
                if stamp is not None:
                    self.cache.put(f"source-{job_language}", stamp, result)

    def _store_library(self, path: Path, report: LibraryReport) -> None:
        if report.info is not None:
            self.libraries[path] = report.info
        else:
            self.libraries.pop(path, None)
        if report.problems:
            self._file_problems[path] = report.problems
        else:
            self._file_problems.pop(path, None)

    def _store_source(self, path: Path, result: tuple[tuple[NativeSymbol, ...], Problem | None]) -> None:
        symbols, problem = result
        self.source_symbols[path] = symbols
        if problem is not None:
            self._file_problems[path] = (problem,)
        else:
            self._file_problems.pop(path, None)

    def _reindex(self) -> None:
        self.generation += 1  # anything derived from the index (near-miss tables) is stale now
        # Library symbol tables are not walked here: each answers lookups from a name
        # index it builds on first use, so a warm start costs no per-symbol work.
        by_name: dict[str, list[NativeSymbol]] = {}
        tables: list[SymbolTable] = []
        for info in self.libraries.values():
            table = info.symbols
            if isinstance(table, SymbolTable):
                tables.append(table)
            else:
                for symbol in table:
                    by_name.setdefault(symbol.name, []).append(symbol)
        dispatch: list[NativeSymbol] = []
        for symbols in self.source_symbols.values():
            for symbol in symbols:
                if symbol.kind is NativeKind.DISPATCH:
                    dispatch.append(symbol)
                else:
                    by_name.setdefault(symbol.name, []).append(symbol)
        self.dispatch = dispatch
        for symbol in self._manifest_symbols():
            by_name.setdefault(symbol.name, []).append(symbol)
        self._by_name = by_name
        self._tables = tables
        problems: list[Problem] = list(self._extra_problems)
        for file_problems in self._file_problems.values():
            problems.extend(file_problems)
        for manifest in self.manifests:
            problems.extend(manifest.problems())
            for entry in manifest.entries:
                if entry.library is not None and entry.library not in self.libraries \
                        and entry.library not in self._file_problems:
                    line = entry.span.start.line + 1
                    problems.append(Problem(manifest.path, f"line {line}: plugin {entry.name}: "
                                                           f"library {entry.library} not found"))
        self.problems = problems

    def _manifest_symbols(self) -> Iterator[NativeSymbol]:
        for manifest in self.manifests:
            for entry in manifest.entries:
                for name, span in zip(entry.functions, entry.function_spans, strict=True):
                    yield NativeSymbol(name, NativeKind.MANIFEST, manifest.path, span=entry.span, name_span=span,
                                       table=entry.name)

    # ------------------------------------------------------------------ queries

    def lookup(self, name: str) -> list[NativeSymbol]:
        """Every provider of the raw name ``name``: libraries, sources, tables, manifests."""
        found = [table[row] for table in self._tables for row in table.rows(name)]
        others = self._by_name.get(name)
        if others:
            found.extend(others)
        return found

    def names(self) -> Iterable[str]:
        """Every raw name known, once each (without building symbol objects)."""
        if not self._tables:
            return self._by_name.keys()
        merged: dict[str, object] = {}
        for table in self._tables:
            merged.update(table.name_set())
        merged.update(self._by_name)
        return merged.keys()

    def symbols(self) -> Iterator[NativeSymbol]:
        for info in self.libraries.values():
            yield from info.symbols
        for symbols in self.source_symbols.values():
            yield from symbols
        yield from self._manifest_symbols()

    def manifest_checks(self) -> list[ManifestCheck]:
        """For each function of each manifest entry: is it exported by the entry's library?"""
        checks = []
        for manifest in self.manifests:
            for entry in manifest.entries:
                info = self.libraries.get(entry.library) if entry.library is not None else None
                exported: set[str] = set()
                if info is not None:
                    table = info.symbols
                    exported = set(table.names) if isinstance(table, SymbolTable) else {s.name for s in table}
                for name, span in zip(entry.functions, entry.function_spans, strict=True):
                    if info is None:
                        reason = "library not found" if entry.library is None or not entry.library.exists() \
                            else "library could not be read"
                        checks.append(ManifestCheck(manifest.path, entry, name, span, False, reason))
                    elif name in exported:
                        checks.append(ManifestCheck(manifest.path, entry, name, span, True, None))
                    else:
                        library = entry.library.name if entry.library else "?"
                        checks.append(ManifestCheck(manifest.path, entry, name, span, False,
                                                    f"{library} does not export it"))
        return checks
