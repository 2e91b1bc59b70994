"""Diagnostics: run the checks after changes (debounced), publish what changed, and answer
pull requests (``textDocument/diagnostic``, ``workspace/diagnostic``)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from sffi_lsp.server import convert
from sffi_lsp.server.client import log, show

if TYPE_CHECKING:
    from sffi_lsp.server.app import SffiServer

_pending: dict[Path, asyncio.Task[None]] = {}
# Per project, the .spl files edited since the last run; None once anything else changed
# (then every rule runs again).
_edited: dict[Path, set[Path] | None] = {}
# Per project, the baseline problem last shown (a message once, not on every keystroke).
_baseline_shown: dict[Path, str | None] = {}


def refresh(
    ls: SffiServer, root: Path, force: set[Path] | None = None, edited: set[Path] | None = None
) -> None:
    """Run the checks of one project now (only what edits of ``edited`` can change, when
    given) and publish the files whose findings changed."""
    state = ls.state
    project = state.projects.get(root)
    if project is None:
        return
    started = time.perf_counter()
    changed = state.findings[root].refresh(state.context(project), edited)
    problem = state.findings[root].store.baseline_problem
    if problem != _baseline_shown.get(root):
        _baseline_shown[root] = problem
        if problem is not None:
            show(ls, f"sffi-lsp baseline: {problem}", lsp.MessageType.Warning)
    elapsed = (time.perf_counter() - started) * 1000
    if elapsed > 200:
        log(ls, f"checks of {root} took {elapsed:.0f} ms")
    for path in sorted(changed | (force or set())):
        publish(ls, root, path)


def publish(ls: SffiServer, root: Path, path: Path) -> None:
    state = ls.state
    findings = state.findings.get(root)
    found = findings.of(path) if findings is not None else []
    if not found and path not in state.published and path not in state.documents:
        return
    if found:
        state.published.add(path)
    else:
        state.published.discard(path)
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
        uri=convert.uri_of(path),
        diagnostics=[convert.diagnostic(f) for f in found],
        version=state.version_of(path),
    ))


def schedule(
    ls: SffiServer, root: Path, force: set[Path] | None = None, edited: set[Path] | None = None
) -> None:
    """Refresh ``root`` after the debounce delay; a newer change restarts the wait.

    ``edited``: the change was an edit of these ``.spl`` buffers only (re-check what they
    can change); without it, everything is re-checked."""
    project = ls.state.projects.get(root)
    if project is None:
        return
    previous = _pending.pop(root, None)
    if previous is not None and not previous.done():
        previous.cancel()
    if (root in _edited and _edited[root] is None) or not edited:
        _edited[root] = None
    else:
        _edited[root] = (_edited.get(root) or set()) | edited
    delay = project.settings.debounce_ms / 1000

    async def later() -> None:
        if delay:
            await asyncio.sleep(delay)
        _pending.pop(root, None)
        pending_edits = _edited.pop(root, None)
        try:
            refresh(ls, root, force, pending_edits)
        except Exception as exc:
            ls.report_handler_error(exc, f"checks of {root}")

    _pending[root] = asyncio.get_running_loop().create_task(later())


def refresh_all(ls: SffiServer) -> None:
    for root in list(ls.state.projects):
        refresh(ls, root)
    if convert_refresh_supported(ls):
        ls.workspace_diagnostic_refresh(None)


def convert_refresh_supported(ls: SffiServer) -> bool:
    from sffi_lsp.server.client import capability

    return bool(capability(ls, "workspace", "diagnostics", "refresh_support"))


def _flush(ls: SffiServer, root: Path) -> None:
    """Run a pending refresh now (a pull request wants the current findings)."""
    task = _pending.pop(root, None)
    if task is not None and not task.done():
        task.cancel()
        refresh(ls, root)


def document_diagnostic(
    ls: SffiServer, params: lsp.DocumentDiagnosticParams
) -> lsp.RelatedFullDocumentDiagnosticReport:
    path = convert.path_of(params.text_document.uri)
    items: list[lsp.Diagnostic] = []
    if path is not None:
        root = ls.state.root_for(path)
        _flush(ls, root)
        findings = ls.state.findings.get(root)
        if findings is not None:
            items = [convert.diagnostic(f) for f in findings.of(path)]
    return lsp.RelatedFullDocumentDiagnosticReport(items=items)


def workspace_diagnostic(ls: SffiServer, params: lsp.WorkspaceDiagnosticParams) -> lsp.WorkspaceDiagnosticReport:
    reports: list[lsp.WorkspaceFullDocumentDiagnosticReport | lsp.WorkspaceUnchangedDocumentDiagnosticReport] = []
    for root, findings in ls.state.findings.items():
        _flush(ls, root)
        for path in sorted(findings.paths()):
            reports.append(lsp.WorkspaceFullDocumentDiagnosticReport(
                uri=convert.uri_of(path), version=ls.state.version_of(path),
                items=[convert.diagnostic(f) for f in findings.of(path)]))
    return lsp.WorkspaceDiagnosticReport(items=reports)
