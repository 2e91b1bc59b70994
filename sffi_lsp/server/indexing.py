"""Opening workspace folders as projects: the initial index, with ``$/progress`` and
``sffi/status``, then diagnostics for every file of the project."""

from __future__ import annotations

import asyncio
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from sffi_lsp.server import diagnostics
from sffi_lsp.server.client import Progress, log, show_settings_errors, status
from sffi_lsp.workspace.discovery import nested_projects
from sffi_lsp.workspace.project import Project

if TYPE_CHECKING:
    from sffi_lsp.server.app import SffiServer

_lock: asyncio.Lock | None = None


async def index_folders(ls: SffiServer, roots: list[Path]) -> None:
    """(Re)build the projects of ``roots``, one after another, then publish their findings."""
    global _lock
    if _lock is None:
        _lock = asyncio.Lock()
    async with _lock:
        await _index(ls, roots)


def with_nested(ls: SffiServer, roots: list[Path], found: dict[Path, list[Path]]) -> list[Path]:
    """``roots`` and the projects ``found`` nested in the workspace folders among them; a
    nested project that lost its ``sffi-lsp.toml`` is dropped (its files go to the parent)."""
    state = ls.state
    out: list[Path] = []
    for root in roots:
        out.append(root)
        if root not in found:
            continue
        for gone in set(state.nested.get(root, [])) - set(found[root]):
            state.remove_project(gone)
        state.nested[root] = found[root]
        out.extend(p for p in found[root] if p not in out)
    return out


async def _index(ls: SffiServer, roots: list[Path]) -> None:
    state = ls.state
    folders = [r for r in roots if r in state.folders]
    found = await asyncio.to_thread(lambda: {r: nested_projects(r) for r in folders})
    roots = with_nested(ls, roots, found)
    loop = asyncio.get_running_loop()
    progress = Progress(ls, "Indexing SFFI workspace")
    await progress.begin("discovering files", 0)
    status(ls, "indexing", done=0, total=0)
    overrides = state.overrides()
    failures: list[str] = []
    for n, root in enumerate(roots):
        state.indexing.add(root)

        def report(done: int, total: int, root: Path = root, n: int = n) -> None:
            def send() -> None:
                share = (n + (done / total if total else 1)) / len(roots)
                progress.report(f"{root.name}: {done}/{total} files", int(share * 100))
                status(ls, "indexing", done=done, total=total)
            loop.call_soon_threadsafe(send)

        try:
            # Large workspaces index in a forkserver pool (safe beside the server's threads).
            project = await asyncio.to_thread(Project.open, root, overrides=overrides, on_progress=report)
        except Exception as exc:
            failures.append(f"{root}: {exc}")
            log(ls, f"indexing {root} failed:\n{traceback.format_exc()}", lsp.MessageType.Error)
            continue
        finally:
            state.indexing.discard(root)
        state.install(project)
        natives_problems = len(project.natives.problems)
        log(ls, f"indexed {root}: {len(project.declarations.files)} .spl files, "
                f"{len(project.natives.libraries)} libraries, {natives_problems} unreadable file(s)")
        open_here = {p for p in state.documents if state.root_for(p) == root}
        diagnostics.refresh(ls, root, force=open_here)
    progress.end("done")
    show_settings_errors(ls, [e for p in state.projects.values() for e in p.settings_errors])
    if failures:
        status(ls, "error", errors=len(failures), message="; ".join(failures))
    else:
        report_ready(ls)


def report_ready(ls: SffiServer) -> None:
    """``sffi/status`` ready, with the count of native files the index could not read."""
    status(ls, "ready", errors=sum(len(p.natives.problems) for p in ls.state.projects.values()))
