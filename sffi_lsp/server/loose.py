"""Documents in no project: untitled buffers (``untitled:`` URIs) and ``.spl`` files outside
every workspace folder with no project marker above them. They get the rules that read one
file only (``Rule.needs_workspace`` False, e.g. SFFI004), checked against a throwaway
one-file project, and their findings go out on the session's channel under their own URI.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.registry import run_checks, workspace_free_codes
from sffi_lsp.model import Finding
from sffi_lsp.server import convert
from sffi_lsp.server.channel import Channel
from sffi_lsp.server.state import OpenDocument
from sffi_lsp.workspace.discovery import WorkspaceFiles, is_root
from sffi_lsp.workspace.project import Project
from sffi_lsp.workspace.settings import Settings

if TYPE_CHECKING:
    from sffi_lsp.server.app import SffiServer

SIMPLE_LANGUAGE = "simple"


def is_loose(ls: SffiServer, uri: str, language_id: str | None = None) -> bool:
    """Whether a document being opened belongs to no project: a non-file URI of a Simple
    buffer, or a ``.spl`` file outside every folder with no workspace root above it."""
    path = convert.path_of(uri)
    if path is None:
        return language_id == SIMPLE_LANGUAGE or uri.endswith(".spl")
    if path.suffix != ".spl" or any(path.is_relative_to(root) for root in ls.state.roots()):
        return False
    return not any(is_root(d) for d in path.parents)


def _path(uri: str) -> Path:
    """A stand-in path for the buffer (findings carry paths; the URI is what is published)."""
    path = convert.path_of(uri)
    if path is not None:
        return path
    name = uri.rsplit("/", 1)[-1].rsplit(":", 1)[-1] or "untitled"
    return Path("/untitled") / (name if name.endswith(".spl") else f"{name}.spl")


def open_document(ls: SffiServer, uri: str, text: str, version: int | None) -> None:
    from sffi_lsp.index.declarations import Document

    path = _path(uri)
    doc = OpenDocument(uri, path, text, version, Document(path, text, version))
    ls.state.loose[uri] = doc
    refresh(ls, uri)


def findings(ls: SffiServer, uri: str) -> list[Finding]:
    doc = ls.state.loose.get(uri)
    if doc is None or doc.document is None:
        return []
    settings, _ = Settings().merged(ls.state.overrides())
    project = Project(doc.path.parent, settings, files=WorkspaceFiles(doc.path.parent, simple=[doc.path]))
    project.declarations.update(doc.document.entries())
    ctx = CheckContext(project, text_of=lambda p: doc.text if p == doc.path else None)
    return run_checks(ctx, select=workspace_free_codes(), paths=[doc.path])


def diagnostics(ls: SffiServer, uri: str) -> list[lsp.Diagnostic]:
    return [convert.diagnostic(f) for f in findings(ls, uri)]


def refresh(ls: SffiServer, uri: str) -> None:
    """Push the document's findings (a pulling client pulls an open document by itself)."""
    if ls.state.channel is Channel.PULL:
        return
    doc = ls.state.loose.get(uri)
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
        uri=uri, diagnostics=diagnostics(ls, uri), version=doc.version if doc else None))


def change(ls: SffiServer, params: lsp.DidChangeTextDocumentParams) -> None:
    doc = ls.state.loose[params.text_document.uri]
    for content in params.content_changes:
        if isinstance(content, lsp.TextDocumentContentChangePartial):
            doc.apply(content.text, convert.core_range(content.range))
        else:
            doc.apply(content.text, None)
    doc.version = params.text_document.version
    refresh(ls, doc.uri)


def close(ls: SffiServer, uri: str) -> None:
    ls.state.loose.pop(uri, None)
    if ls.state.channel is Channel.PUSH:
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
