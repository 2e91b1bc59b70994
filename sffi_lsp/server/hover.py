"""textDocument/hover: the core's hover text for extern names and spec entries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from sffi_lsp.ide.hover import hover as hover_text
from sffi_lsp.server import convert

if TYPE_CHECKING:
    from sffi_lsp.server.app import SffiServer


def on_hover(ls: SffiServer, params: lsp.HoverParams) -> lsp.Hover | None:
    found = ls.state.locate(params.text_document.uri)
    if found is None:
        return None
    project, path = found
    result = hover_text(ls.state.context(project), path, convert.core_position(params.position))
    return convert.hover(result.markdown, result.span) if result else None
