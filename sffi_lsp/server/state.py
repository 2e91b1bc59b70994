"""The server's one root of state: workspace folders and their projects, open documents,
the last findings of each project, and the check context shared by requests."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.ide.findings import ProjectFindings
from sffi_lsp.index.declarations import Document
from sffi_lsp.model import Finding, Range
from sffi_lsp.server.channel import Channel
from sffi_lsp.text import LineIndex
from sffi_lsp.workspace.project import Project, find_root


@dataclass
class OpenDocument:
    """An open buffer. ``.spl`` buffers keep a tree (``document``) for incremental parsing."""

    uri: str
    path: Path
    text: str
    version: int | None
    document: Document | None = None

    def apply(self, new_text: str, change: Range | None) -> None:
        """Apply one content change (a range edit, or the whole text when ``change`` is None)."""
        if change is None:
            full = new_text
        else:
            lines = LineIndex.from_text(self.text)
            start = lines.position_to_offset(change.start)
            end = max(start, lines.position_to_offset(change.end))
            data = lines.data
            full = (data[:start] + new_text.encode("utf-8") + data[end:]).decode("utf-8", errors="replace")
        if self.document is not None:
            try:
                self.document.apply_change(new_text, change)
            except Exception:  # an inconsistent incremental edit: parse the whole text again
                self.document.apply_change(full, None)
            if self.document.text != full:  # never trust the tree's text over the computed one
                self.document.apply_change(full, None)
        self.text = full


class ServerFindings(ProjectFindings):
    """A project's check findings plus the compiler messages of the last build of each of
    its crates (rustc diagnostics on Rust files), merged wherever a path's findings are read
    so a publish from either side keeps the other's."""

    def __init__(self) -> None:
        super().__init__()
        self.builds: dict[Path, list[Finding]] = {}  # crate dir -> its last build's messages

    def set_build(self, crate: Path, findings: list[Finding]) -> set[Path]:
        """Replace the crate's build messages; returns the paths whose diagnostics change."""
        old = {f.path for f in self.builds.pop(crate, [])}
        if findings:
            self.builds[crate] = list(findings)
        return old | {f.path for f in findings}

    def of(self, path: Path) -> list[Finding]:
        found = super().of(path)
        built = [f for findings in self.builds.values() for f in findings if f.path == path]
        return found + built if built else found

    def paths(self) -> set[Path]:
        """Every path with check findings or build messages."""
        return set(self.by_path) | {f.path for findings in self.builds.values() for f in findings}


class ServerState:
    def __init__(self) -> None:
        self.folders: list[Path] = []
        self.nested: dict[Path, list[Path]] = {}  # folder -> its nested projects (own sffi-lsp.toml)
        self.projects: dict[Path, Project] = {}
        self.findings: dict[Path, ServerFindings] = {}
        self.documents: dict[Path, OpenDocument] = {}
        self.loose: dict[str, OpenDocument] = {}  # uri -> a buffer in no project (server.loose)
        self.init_options: dict[str, Any] = {}
        self.editor_settings: dict[str, Any] = {}
        self.indexing: set[Path] = set()
        self._contexts: dict[Path, CheckContext] = {}
        self.published: set[Path] = set()  # paths whose last published diagnostics were non-empty
        self.channel = Channel.PUSH  # how diagnostics reach the client (chosen at initialize)
        self.shown_settings_errors: set[str] = set()

    # ---------------------------------------------------------------- settings
    def overrides(self) -> dict[str, Any]:
        """initializationOptions, then the ``sffi`` configuration section on top."""
        merged: dict[str, Any] = {}
        for source in (self.init_options, self.editor_settings):
            for key, value in source.items():
                if isinstance(value, dict) and isinstance(merged.get(key), dict):
                    merged[key] = {**merged[key], **value}
                else:
                    merged[key] = value
        return merged

    # ---------------------------------------------------------------- projects
    def roots(self) -> list[Path]:
        """Every project root: the workspace folders and the projects nested in them."""
        return [*self.folders, *(n for nested in self.nested.values() for n in nested)]

    def root_for(self, path: Path) -> Path:
        """The project root holding ``path`` (the deepest folder or nested project), else
        the file's own root."""
        best: Path | None = None
        for folder in self.roots():
            if path == folder or path.is_relative_to(folder):
                if best is None or len(folder.parts) > len(best.parts):
                    best = folder
        return best if best is not None else find_root(path)

    def project_for(self, path: Path) -> Project | None:
        return self.projects.get(self.root_for(path))

    def locate(self, uri: str) -> tuple[Project, Path] | None:
        """The project and path of a ``file:`` URI, when a project holds it."""
        from sffi_lsp.server.convert import path_of

        path = path_of(uri)
        if path is None:
            return None
        project = self.project_for(path)
        return (project, path) if project is not None else None

    def install(self, project: Project) -> None:
        """Make a freshly opened project current; open buffers override what it read from disk."""
        self.projects[project.root] = project
        self.findings.setdefault(project.root, ServerFindings())
        for doc in self.documents.values():
            if doc.document is not None and self.root_for(doc.path) == project.root:
                project.declarations.update(doc.document.entries())
        self.touch(project.root)

    def remove_project(self, root: Path) -> None:
        self.projects.pop(root, None)
        self.findings.pop(root, None)
        self._contexts.pop(root, None)

    def touch(self, root: Path) -> None:
        """Forget the cached check context of a project after anything in it changed."""
        self._contexts.pop(root, None)

    def context(self, project: Project) -> CheckContext:
        ctx = self._contexts.get(project.root)
        if ctx is None:
            ctx = CheckContext(project, text_of=self.text_of)
            self._contexts[project.root] = ctx
        return ctx

    # ---------------------------------------------------------------- documents
    def text_of(self, path: Path) -> str | None:
        doc = self.documents.get(path)
        return doc.text if doc is not None else None

    def version_of(self, path: Path) -> int | None:
        doc = self.documents.get(path)
        return doc.version if doc is not None else None

    def open(self, uri: str, path: Path, text: str, version: int | None) -> OpenDocument:
        doc = OpenDocument(uri, path, text, version)
        if path.suffix == ".spl":
            doc.document = Document(path, text, version)
        self.documents[path] = doc
        self.sync(doc)
        return doc

    def sync(self, doc: OpenDocument) -> None:
        """Put an open buffer's current content into its project's index."""
        project = self.project_for(doc.path)
        if project is None:
            return
        if doc.document is not None:
            project.declarations.update(doc.document.entries())
            files = project.files
            if files is not None and doc.path not in files.simple and doc.path.is_relative_to(project.root):
                files.simple.append(doc.path)
        elif doc.path.suffix == ".wrapper_spec":
            files = project.files
            if files is not None and doc.path not in files.specs and doc.path.is_relative_to(project.root):
                files.specs.append(doc.path)
        self.touch(project.root)

    def close(self, path: Path) -> None:
        doc = self.documents.pop(path, None)
        project = self.project_for(path)
        if doc is None or project is None:
            return
        if doc.document is not None:
            if os.path.exists(path):
                project.declarations.update_from_disk(path)
            else:
                project.declarations.remove(path)
                if project.files is not None and path in project.files.simple:
                    project.files.simple.remove(path)
        self.touch(project.root)
