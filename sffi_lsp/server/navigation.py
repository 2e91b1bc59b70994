"""textDocument/definition and textDocument/references."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from sffi_lsp.ide import navigation
from sffi_lsp.server import convert

if TYPE_CHECKING:
    from sffi_lsp.server.app import SffiServer


def on_definition(ls: SffiServer, params: lsp.DefinitionParams) -> list[lsp.Location] | None:
    found = ls.state.locate(params.text_document.uri)
    if found is None:
        return None
    project, path = found
    locations = navigation.definition(ls.state.context(project), path, convert.core_position(params.position))
    return [convert.location(loc) for loc in locations] or None


def on_references(ls: SffiServer, params: lsp.ReferenceParams) -> list[lsp.Location] | None:
    found = ls.state.locate(params.text_document.uri)
    if found is None:
        return None
    project, path = found
    locations = navigation.references(ls.state.context(project), path, convert.core_position(params.position),
                                      params.context.include_declaration)
    return [convert.location(loc) for loc in locations] or None
