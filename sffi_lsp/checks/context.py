"""What every rule reads: the project, symbol resolution, file text, and fix builders."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, KeysView
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sffi_lsp.checks.near_miss import NearMissFinder
from sffi_lsp.model import (
    Declaration,
    DeclKind,
    Fix,
    NativeKind,
    Span,
    TextEdit,
)
from sffi_lsp.resolution import LaneResolver, Resolver
from sffi_lsp.spec.parser import WrapperSpec, parse_wrapper_spec
from sffi_lsp.text import LineIndex, decode
from sffi_lsp.workspace.project import Project

if TYPE_CHECKING:
    from sffi_lsp.index.natives import NativeIndex
    from sffi_lsp.index.natives.crates import CrateInfo

TextProvider = Callable[[Path], str | None]

# id(native index) -> (that index, its generation, the finder); contexts are rebuilt on every
# edit, the native index rarely changes.
_NEAR_MISSES: dict[int, tuple[NativeIndex, int, NearMissFinder]] = {}


class CheckContext:
    def __init__(self, project: Project, text_of: TextProvider | None = None) -> None:
        self.project = project
        self.settings = project.settings
        self._text_of = text_of
        self._texts: dict[Path, str] = {}
        self.read_digests: dict[Path, str] = {}  # sha256 of the bytes each disk read saw
        self._lines: dict[Path, LineIndex] = {}

    @cached_property
    def resolver(self) -> Resolver:
        return Resolver(self.project)

    @cached_property
    def lanes(self) -> LaneResolver:
        """Lane-by-lane resolution (its runtime tables are shared while the native index is unchanged)."""
        return LaneResolver(self.project)

    @cached_property
    def spec_paths(self) -> list[Path]:
        files = self.project.files
        return list(files.specs) if files is not None else []

    @cached_property
    def specs(self) -> dict[Path, WrapperSpec]:
        """Every wrapper spec of the project, parsed (issues are SpecProblems' business)."""
        return {path: parse_wrapper_spec(self.text(path))[0] for path in self.spec_paths}

    @property
    def near_misses(self) -> NearMissFinder:
        """Built once per state of the native index (it indexes every exported name)."""
        natives = self.project.natives
        cached = _NEAR_MISSES.get(id(natives))
        if cached is None or cached[0] is not natives or cached[1] != natives.generation:
            cached = (natives, natives.generation, NearMissFinder(self.resolver.exported_names()))
            _NEAR_MISSES[id(natives)] = cached
        return cached[2]

    def is_tier1(self, path: Path) -> bool:
        """Whether ``path`` is a Tier 1 crate's source (a workspace crate, or the
        generator's output under ``.build/rust/`` / ``build/artifacts/rust/``)."""
        rel = self.project.relative(path)
        return rel.startswith((".build/rust/", "build/artifacts/rust/")) or self.crate_of(path) is not None

    def crate_of(self, path: Path) -> CrateInfo | None:
        """The Tier 1 crate whose directory holds ``path``."""
        for crate in self.project.natives.crates:
            if path.is_relative_to(crate.root):
                return crate
        return None

    # ---------------------------------------------------------------- text
    def text(self, path: Path) -> str:
        """The current text of a file: the editor's buffer when open, else the disk."""
        if path not in self._texts:
            text = self._text_of(path) if self._text_of else None
            if text is None:
                try:
                    raw = path.read_bytes()
                except OSError:
                    raw = b""
                self.read_digests[path] = hashlib.sha256(raw).hexdigest()
                text = decode(raw)
            self._texts[path] = text
        return self._texts[path]

    def lines(self, path: Path) -> LineIndex:
        if path not in self._lines:
            self._lines[path] = LineIndex.from_text(self.text(path))
        return self._lines[path]

    def line_span(self, path: Path, first: int, last: int | None = None) -> Span:
        """The span of whole lines ``first..last`` (0-based), including the final newline."""
        index = self.lines(path)
        last = first if last is None else last
        start = index.line_starts[first]
        end = index.line_starts[last + 1] if last + 1 < index.line_count else len(index.data)
        return index.span(start, end)

    # ---------------------------------------------------------------- declarations
    @cached_property
    def externs(self) -> list[Declaration]:
        return self.project.declarations.sorted_externs()

    @cached_property
    def extern_functions(self) -> list[Declaration]:
        return [d for d in self.externs if d.kind is DeclKind.EXTERN_FN]

    @cached_property
    def declared_names(self) -> set[str]:
        return {d.name for d in self.extern_functions}

    @property
    def ordinary_names(self) -> KeysView[str]:
        """Names of ordinary (Simple-defined) functions: calls to them are not extern calls."""
        return self.project.declarations.function_names()

    @cached_property
    def opaque_types(self) -> frozenset[str]:
        """Names declared with `extern type` (SFFI004 reports them; elsewhere they count as i64)."""
        return frozenset(d.name for d in self.externs if d.kind is DeclKind.EXTERN_TYPE)

    def effective_type(self, type_text: str | None) -> str | None:
        """A Simple type as the runtime would see it once `extern type`s become `i64`."""
        if type_text is None or not self.opaque_types:
            return type_text
        return "i64" if type_text in self.opaque_types else type_text

    def has_native_prefix(self, name: str) -> bool:
        return name.startswith(tuple(self.settings.extern_prefixes))

    # ---------------------------------------------------------------- fixes
    def rename_edits(self, old: str, new: str, *, native_sources: bool = False) -> list[TextEdit]:
        """Edits renaming every Simple declaration and call of ``old`` (and, optionally,
        its Tier 1 source definitions) to ``new``."""
        edits = [TextEdit(d.path, d.name_span, new) for d in self.project.declarations.declarations(old)]
        edits += [TextEdit(c.path, c.name_span, new) for c in self.project.declarations.calls(old)]
        if native_sources:
            for symbol in self.project.natives.lookup(old):
                span = symbol.name_span
                if symbol.kind not in (NativeKind.RUST_SOURCE, NativeKind.C_SOURCE) or span is None:
                    continue
                # Read through the context (which records what was read), and only edit
                # where the name still stands.
                if self.lines(symbol.path).data[span.start_byte : span.end_byte] == old.encode():
                    edits.append(TextEdit(symbol.path, span, new))
        edits += self.manifest_rename_edits(old, new)
        return _dedupe(edits)

    def manifest_rename_edits(self, old: str, new: str) -> list[TextEdit]:
        """Edits of the ``functions:`` lists of the workspace's plugin manifests that name
        ``old`` (a manifest outside the workspace, like ``~/.simple``'s, is left alone)."""
        edits = []
        for manifest in self.project.natives.manifests:
            if not manifest.path.is_relative_to(self.project.root):
                continue
            for entry in manifest.entries:
                for name, span in zip(entry.functions, entry.function_spans, strict=False):
                    if name == old and self.lines(manifest.path).data[span.start_byte : span.end_byte] == old.encode():
                        edits.append(TextEdit(manifest.path, span, new))
        return edits

    def rename_fix(self, old: str, new: str, *, title: str, native_sources: bool = False,
                   safe: bool = False, preferred: bool = True) -> Fix:
        return Fix(
            title=title,
            edits=tuple(self.rename_edits(old, new, native_sources=native_sources)),
            safe=safe,
            preferred=preferred,
        )


def _dedupe(edits: Iterable[TextEdit]) -> list[TextEdit]:
    seen: set[tuple[Path, int, int]] = set()
    result = []
    for edit in edits:
        key = (edit.path, edit.span.start_byte, edit.span.end_byte)
        if key not in seen:
            seen.add(key)
            result.append(edit)
    return result
