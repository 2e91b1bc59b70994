"""textDocument/completion: undeclared native symbols in `extern fn` names, externs at calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from sffi_lsp.ide.completion import completions
from sffi_lsp.server import convert

if TYPE_CHECKING:
    from sffi_lsp.server.app import SffiServer

TRIGGERS = ["_"]


def on_completion(ls: SffiServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
    found = ls.state.locate(params.text_document.uri)
    if found is None or found[1].suffix != ".spl":
        return None
    project, path = found
    ctx = ls.state.context(project)
    lines = ctx.lines(path)
    pos = convert.core_position(params.position)
    if pos.line >= lines.line_count:
        return lsp.CompletionList(is_incomplete=False, items=[])
    start = lines.line_starts[pos.line]
    end = lines.position_to_offset(pos)
    prefix = lines.data[start:end].decode("utf-8", errors="replace")
    items = [convert.completion_item(e, params.position) for e in completions(ctx, prefix)]
    return lsp.CompletionList(is_incomplete=False, items=items)
