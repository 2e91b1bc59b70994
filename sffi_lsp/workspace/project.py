"""A project: one workspace root with its settings and indexes.

The single root of state that the checks read. The CLI opens one per root; the server
keeps one per workspace folder and updates it as documents and files change.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sffi_lsp.index.declarations import DeclarationIndex
from sffi_lsp.workspace.discovery import WorkspaceFiles, discover, find_root, relative_path
from sffi_lsp.workspace.settings import Settings, load_file_settings, load_settings_file, path_warnings

if TYPE_CHECKING:
    from sffi_lsp.index.natives import NativeIndex

ProgressCallback = Callable[[int, int], None]  # (files done, files total)

__all__ = ["Project", "find_root"]


@dataclass
class Project:
    root: Path
    settings: Settings
    settings_errors: list[str] = field(default_factory=list)
    settings_warnings: list[str] = field(default_factory=list)
    files: WorkspaceFiles | None = None
    declarations: DeclarationIndex = field(default_factory=DeclarationIndex)
    _natives: NativeIndex | None = None

    @classmethod
    def open(
        cls,
        root: Path,
        *,
        natives: bool = True,
        overrides: dict[str, Any] | None = None,
        workers: int | None = None,
        on_progress: ProgressCallback | None = None,
        config: Path | None = None,
    ) -> Project:
        """Read settings (from ``config`` when given, else the root's own file), discover
        files and build the indexes for ``root``."""
        root = Path(os.path.abspath(root))
        settings, errors = load_settings_file(config) if config is not None else load_file_settings(root)
        if overrides:
            settings, more = settings.merged(overrides)
            errors += more
        project = cls(root, settings, errors, path_warnings(settings, root))
        project.rescan(natives=natives, workers=workers, on_progress=on_progress)
        return project

    def rescan(
        self, *, natives: bool = True, workers: int | None = None, on_progress: ProgressCallback | None = None
    ) -> None:
        """Rebuild everything; ``on_progress(done, total)`` counts files (the server's progress bar)."""
        self.files = discover(self.root, self.settings)
        files = self.files
        total = len(files.simple) + len(files.specs) + len(files.libraries) + len(files.sources)
        if on_progress is not None:
            on_progress(0, total)
        self.declarations = DeclarationIndex()
        self.declarations.build(
            files.simple, workers=workers,
            on_progress=(lambda done: on_progress(done, total)) if on_progress is not None else None,
        )
        if on_progress is not None:
            on_progress(len(files.simple) + len(files.specs), total)
        self._natives = None
        if natives:
            self.natives.build(files)
        if on_progress is not None:
            on_progress(total, total)

    @property
    def natives(self) -> NativeIndex:
        if self._natives is None:
            from sffi_lsp.index.cache import SymbolCache
            from sffi_lsp.index.natives import NativeIndex

            cache = SymbolCache.for_settings(self.settings)
            self._natives = NativeIndex(self.root, self.settings, cache)
        return self._natives

    def relative(self, path: Path) -> str:
        return relative_path(path, self.root)
