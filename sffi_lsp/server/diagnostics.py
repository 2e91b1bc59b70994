"""Diagnostics: run the checks after changes (debounced), then deliver what changed on the
session's one channel (``channel``): push it, or ask a pulling client to pull again and
answer its pulls (``textDocument/diagnostic``, ``workspace/diagnostic``) with result ids."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from sffi_lsp.model import Finding
from sffi_lsp.server import convert
from sffi_lsp.server.channel import Channel, result_id
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
    ls: SffiServer, root: Path, force: set[Path] | None = None, edited: set[Path] | None = None,
    notify: bool = True,
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
    deliver(ls, root, changed | (force or set()), notify=notify)


def deliver(ls: SffiServer, root: Path, paths: set[Path], notify: bool = True) -> None:
    """Push the findings of ``paths``, or (pull) ask the client to pull again."""
    if ls.state.channel is Channel.PULL:
        if paths and notify:
            request_pull(ls)
        return
    for path in sorted(paths):
        publish(ls, root, path)


def request_pull(ls: SffiServer) -> None:
    """``workspace/diagnostic/refresh``: the client pulls its documents and the workspace again."""
    try:
        ls.workspace_diagnostic_refresh(None)
    except Exception as exc:
        log(ls, f"workspace/diagnostic/refresh failed: {exc}", lsp.MessageType.Warning)


def publish(ls: SffiServer, root: Path, path: Path) -> None:
    state = ls.state
    if state.channel is Channel.PULL:  # never both channels for one client
        return
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
        refresh(ls, root, notify=False)
    if ls.state.channel is Channel.PULL:
        request_pull(ls)


def flush(ls: SffiServer, root: Path) -> None:
    """Run a pending refresh now (a pull request wants the current findings)."""
    task = _pending.pop(root, None)
    if task is not None and not task.done():
        task.cancel()
        refresh(ls, root, notify=False)  # the pull being answered carries the result


# path -> (the findings a report was made of, its result id, its items): VS Code re-pulls
# the workspace every 2 s, and a file whose findings are the very same objects as last
# time is answered without converting or hashing anything.
_reports: dict[Path, tuple[list[Finding], str, list[lsp.Diagnostic]]] = {}


def _report(ls: SffiServer, path: Path, root: Path | None = None) -> tuple[str, list[lsp.Diagnostic]]:
    """The result id and items of ``path``'s current findings (``root``: its project's)."""
    findings = ls.state.findings.get(root if root is not None else ls.state.root_for(path))
    found = findings.of(path) if findings is not None else []
    cached = _reports.get(path)
    if cached is not None and len(cached[0]) == len(found) and all(
            a is b for a, b in zip(cached[0], found, strict=True)):
        return cached[1], cached[2]
    items = [convert.diagnostic(f) for f in found]
    rid = result_id(items)
    _reports[path] = (list(found), rid, items)
    return rid, items


def document_diagnostic(
    ls: SffiServer, params: lsp.DocumentDiagnosticParams
) -> lsp.RelatedFullDocumentDiagnosticReport | lsp.RelatedUnchangedDocumentDiagnosticReport:
    uri = params.text_document.uri
    path = convert.path_of(uri)
    items: list[lsp.Diagnostic] = []
    if uri in ls.state.loose:
        from sffi_lsp.server import loose

        items = loose.diagnostics(ls, uri)
        rid = result_id(items)
    elif path is not None:
        flush(ls, ls.state.root_for(path))
        rid, items = _report(ls, path)
    else:
        rid = result_id(items)
    if params.previous_result_id == rid:
        return lsp.RelatedUnchangedDocumentDiagnosticReport(result_id=rid)
    return lsp.RelatedFullDocumentDiagnosticReport(items=items, result_id=rid)


def workspace_diagnostic(ls: SffiServer, params: lsp.WorkspaceDiagnosticParams) -> lsp.WorkspaceDiagnosticReport:
    """Every file with findings, plus every file the client holds a report of (so findings
    that went away are cleared); a file whose result id still matches is ``unchanged``."""
    for root in list(ls.state.findings):
        flush(ls, root)
    previous = {p.uri: p.value for p in params.previous_result_ids}
    roots: dict[Path, Path] = {}  # path -> its project root
    for root, findings in ls.state.findings.items():
        for path in findings.paths():
            roots.setdefault(path, root)
    for uri in previous:
        held = convert.path_of(uri)
        if held is not None and held not in roots:
            roots[held] = ls.state.root_for(held)
    reports: list[lsp.WorkspaceFullDocumentDiagnosticReport | lsp.WorkspaceUnchangedDocumentDiagnosticReport] = []
    for path in sorted(roots, key=str):
        uri = convert.uri_of(path)
        rid, items = _report(ls, path, roots[path])
        version = ls.state.version_of(path)
        if previous.get(uri) == rid:
            reports.append(lsp.WorkspaceUnchangedDocumentDiagnosticReport(uri=uri, version=version, result_id=rid))
        else:
            reports.append(lsp.WorkspaceFullDocumentDiagnosticReport(
                uri=uri, version=version, items=items, result_id=rid))
    return lsp.WorkspaceDiagnosticReport(items=reports)
