"""textDocument/prepareRename and textDocument/rename across the three tiers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException

from sffi_lsp.ide.rename import RenameError, prepare_rename, rename_edits
from sffi_lsp.server import convert

if TYPE_CHECKING:
    from sffi_lsp.server.app import SffiServer


class JsonRpcRequestFailed(JsonRpcException):
    """LSP's RequestFailed: a valid request the server cannot do (a rename of a non-extern)."""

    CODE = -32803


def on_prepare_rename(ls: SffiServer, params: lsp.PrepareRenameParams) -> lsp.PrepareRenamePlaceholder | None:
    found = ls.state.locate(params.text_document.uri)
    if found is None:
        raise JsonRpcRequestFailed("not a file sffi-lsp indexes")
    project, path = found
    try:
        target = prepare_rename(ls.state.context(project), path, convert.core_position(params.position))
    except RenameError as exc:
        raise JsonRpcRequestFailed(str(exc)) from None
    return lsp.PrepareRenamePlaceholder(range=convert.range_of(target.span), placeholder=target.name)


def on_rename(ls: SffiServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
    found = ls.state.locate(params.text_document.uri)
    if found is None:
        raise JsonRpcRequestFailed("not a file sffi-lsp indexes")
    project, path = found
    try:
        edits = rename_edits(ls.state.context(project), path, convert.core_position(params.position),
                             params.new_name)
    except RenameError as exc:
        raise JsonRpcRequestFailed(str(exc)) from None
    return convert.workspace_edit(edits, ls.state.version_of)
