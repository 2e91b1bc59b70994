"""Text document sync: open, change (incremental), save, close. Each updates the index
from the buffer and schedules the project's diagnostics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from sffi_lsp.server import convert, diagnostics, loose
from sffi_lsp.server.client import log

if TYPE_CHECKING:
    from sffi_lsp.server.app import SffiServer

TRACKED_SUFFIXES = (".spl", ".wrapper_spec", ".rs", ".c", ".h", ".cpp", ".hpp", ".cc", ".sdn")


def _path(ls: SffiServer, uri: str):
    path = convert.path_of(uri)
    if path is None:
        log(ls, f"ignoring {uri}: not a file: URI")
    return path


def did_open(ls: SffiServer, params: lsp.DidOpenTextDocumentParams) -> None:
    item = params.text_document
    if loose.is_loose(ls, item.uri, item.language_id):
        loose.open_document(ls, item.uri, item.text, item.version)
        return
    path = _path(ls, item.uri)
    if path is None or not path.name.endswith(TRACKED_SUFFIXES):
        return
    ls.state.open(item.uri, path, item.text, item.version)
    root = ls.state.root_for(path)
    if root not in ls.state.projects and root not in ls.state.indexing and root not in ls.state.folders:
        # A file outside every workspace folder: index its own root.
        ls.state.folders.append(root)
        ls.spawn(_index_root(ls, root))
        return
    diagnostics.schedule(ls, root, force={path})


async def _index_root(ls: SffiServer, root) -> None:
    from sffi_lsp.server import indexing

    await indexing.index_folders(ls, [root])


def did_change(ls: SffiServer, params: lsp.DidChangeTextDocumentParams) -> None:
    if params.text_document.uri in ls.state.loose:
        loose.change(ls, params)
        return
    path = _path(ls, params.text_document.uri)
    if path is None:
        return
    doc = ls.state.documents.get(path)
    if doc is None:
        log(ls, f"ignoring a change to {params.text_document.uri}: it is not open")
        return
    for change in params.content_changes:
        if isinstance(change, lsp.TextDocumentContentChangePartial):
            doc.apply(change.text, convert.core_range(change.range))
        else:
            doc.apply(change.text, None)
    doc.version = params.text_document.version
    ls.state.sync(doc)
    edited = {path} if path.suffix == ".spl" else None
    diagnostics.schedule(ls, ls.state.root_for(path), force={path}, edited=edited)


def did_save(ls: SffiServer, params: lsp.DidSaveTextDocumentParams) -> None:
    if params.text_document.uri in ls.state.loose:
        return
    path = _path(ls, params.text_document.uri)
    if path is None:
        return
    root = ls.state.root_for(path)
    project = ls.state.projects.get(root)
    if project is not None and path.suffix not in (".spl", ".wrapper_spec"):
        project.natives.update([path])  # a Tier 1 source or manifest saved from the editor
        ls.state.touch(root)
    diagnostics.schedule(ls, root)


def did_close(ls: SffiServer, params: lsp.DidCloseTextDocumentParams) -> None:
    if params.text_document.uri in ls.state.loose:
        loose.close(ls, params.text_document.uri)
        return
    path = _path(ls, params.text_document.uri)
    if path is None:
        return
    ls.state.close(path)
    diagnostics.schedule(ls, ls.state.root_for(path))
