"""File watchers: registered dynamically; changes on disk re-index what changed (Simple
declarations unless the file is open, native libraries and sources, manifests, crates).
A settings file (``sffi-lsp.toml``, ``pyproject.toml``) changed, created or deleted reloads
the settings of the folders it lies in: their projects are opened again and re-checked."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from sffi_lsp.server import convert, diagnostics, indexing
from sffi_lsp.server.client import capability, log

if TYPE_CHECKING:
    from sffi_lsp.server.app import SffiServer

GLOBS = ("**/*.spl", "**/*.wrapper_spec", "**/*.so", "**/*.so.*", "**/*.a", "**/*.rs", "**/*.c",
         "**/*.h", "**/*.cpp", "**/*.cc", "**/*.hpp", "**/*.s", "**/*.S", "**/Cargo.toml", "**/*.sdn",
         "**/sffi-lsp.toml", "**/pyproject.toml")
SETTINGS_FILES = ("sffi-lsp.toml", "pyproject.toml")
REGISTRATION_ID = "sffi-watched-files"


def outside_manifests(ls: SffiServer) -> list[Path]:
    """Plugin manifests the workspace folders use that lie outside all of them
    (``~/.simple/plugins/manifest.sdn``, ``$SIMPLE_PLUGIN_MANIFEST``, a configured path)."""
    from sffi_lsp.index.natives import manifest_paths
    from sffi_lsp.workspace.settings import load_file_settings

    found: list[Path] = []
    folders = list(ls.state.folders)
    for root in folders:
        settings, _ = load_file_settings(root)
        settings, _ = settings.merged(ls.state.overrides())
        for path in manifest_paths(root, settings):
            if not any(path.is_relative_to(f) for f in folders) and path not in found:
                found.append(path)
    return found


def baseline_files(ls: SffiServer) -> list[Path]:
    """The baseline files the workspace folders' ``baseline`` settings name (any extension,
    so not covered by ``GLOBS``)."""
    from sffi_lsp.baseline import baseline_path
    from sffi_lsp.workspace.settings import load_file_settings

    found: list[Path] = []
    for root in list(ls.state.folders):
        settings, _ = load_file_settings(root)
        settings, _ = settings.merged(ls.state.overrides())
        path = baseline_path(root, settings.baseline_path)
        if path is not None and path not in found:
            found.append(path)
    return found


async def register(ls: SffiServer) -> None:
    if not capability(ls, "workspace", "did_change_watched_files", "dynamic_registration"):
        log(ls, "the client cannot register file watchers: changes on disk are seen on save only")
        return
    watchers = [lsp.FileSystemWatcher(glob_pattern=g) for g in GLOBS]
    relative = capability(ls, "workspace", "did_change_watched_files", "relative_pattern_support")
    for manifest in outside_manifests(ls) + baseline_files(ls):
        pattern: str | lsp.RelativePattern = (
            lsp.RelativePattern(base_uri=convert.uri_of(manifest.parent), pattern=manifest.name)
            if relative else manifest.as_posix()
        )
        watchers.append(lsp.FileSystemWatcher(glob_pattern=pattern))
    options = lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)
    try:
        await ls.client_register_capability_async(lsp.RegistrationParams(registrations=[
            lsp.Registration(id=REGISTRATION_ID, method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                             register_options=options)]))
    except Exception as exc:
        log(ls, f"file watcher registration failed: {exc}", lsp.MessageType.Warning)


def apply_changes(ls: SffiServer, paths: list[Path]) -> set[Path]:
    """Re-index changed files on disk; returns the project roots affected.

    A file in no workspace folder (a plugin manifest in the home directory) may matter to
    every project: each re-reads it."""
    state = ls.state
    by_root: dict[Path, list[Path]] = defaultdict(list)
    affected = set()
    baselines = set(baseline_files(ls))
    for path in paths:
        root = state.root_for(path)
        if root in state.projects:
            by_root[root].append(path)
            continue
        for every in state.projects.values():
            try:
                every.natives.update([path])
            except Exception as exc:  # a file vanishing mid-read must not stop the others
                log(ls, f"re-indexing {path} failed: {exc}", lsp.MessageType.Warning)
            state.touch(every.root)
            affected.add(every.root)
    for root, changed in by_root.items():
        project = state.projects.get(root)
        if project is None:
            continue
        native_paths = []
        for path in changed:
            if path in baselines:
                continue  # re-read when the findings are refreshed (checks/incremental.py)
            if path.suffix == ".spl":
                if path in state.documents:
                    continue  # the buffer wins over the disk
                project.declarations.update_from_disk(path)
                files = project.files
                if files is not None:
                    if path.exists() and path not in files.simple:
                        files.simple.append(path)
                    elif not path.exists() and path in files.simple:
                        files.simple.remove(path)
            elif path.suffix == ".wrapper_spec":
                files = project.files
                if files is not None:
                    if path.exists() and path not in files.specs:
                        files.specs.append(path)
                    elif not path.exists() and path in files.specs and path not in state.documents:
                        files.specs.remove(path)
            else:
                native_paths.append(path)
        if native_paths:
            try:
                project.natives.update(native_paths)
            except Exception as exc:  # a file vanishing mid-read must not stop the others
                log(ls, f"re-indexing {len(native_paths)} native file(s) failed: {exc}", lsp.MessageType.Warning)
        state.touch(root)
        affected.add(root)
    return affected


def settings_folders(ls: SffiServer, paths: list[Path]) -> list[Path]:
    """The workspace folders whose settings a change of ``paths`` can alter."""
    folders = []
    for path in paths:
        if path.name not in SETTINGS_FILES:
            continue
        for folder in ls.state.folders:
            if path.is_relative_to(folder) and folder not in folders:
                folders.append(folder)
    return folders


def did_change_watched_files(ls: SffiServer, params: lsp.DidChangeWatchedFilesParams) -> None:
    paths = []
    for change in params.changes:
        path = convert.path_of(change.uri)
        if path is None:
            log(ls, f"ignoring watched change of {change.uri}: not a file: URI")
        else:
            paths.append(path)
    reload = settings_folders(ls, paths)
    if reload:
        log(ls, f"settings changed on disk: reloading {', '.join(str(f) for f in reload)}")
        ls.spawn(indexing.index_folders(ls, reload))
    others = [p for p in paths if p.name not in SETTINGS_FILES]
    affected = apply_changes(ls, others)
    for root in affected:
        if root not in reload:
            diagnostics.schedule(ls, root)
    if affected and not reload and not ls.state.indexing:
        indexing.report_ready(ls)
