"""textDocument/documentSymbol (.spl and .wrapper_spec) and workspace/symbol."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from sffi_lsp.ide.symbols import spec_symbols, spl_symbols, workspace_symbols
from sffi_lsp.server import convert

if TYPE_CHECKING:
    from sffi_lsp.server.app import SffiServer


def on_document_symbol(ls: SffiServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol] | None:
    found = ls.state.locate(params.text_document.uri)
    if found is None:
        return None
    project, path = found
    if path.suffix == ".spl":
        entries = project.declarations.files.get(path)
        return [convert.document_symbol(e) for e in spl_symbols(entries)] if entries else []
    if path.suffix == ".wrapper_spec":
        ctx = ls.state.context(project)
        from sffi_lsp.spec.parser import parse_wrapper_spec

        spec, _ = parse_wrapper_spec(ctx.text(path))
        whole = ctx.lines(path).span(0, len(ctx.lines(path).data))
        return [convert.document_symbol(e) for e in spec_symbols(path, spec, whole)]
    return None


def on_workspace_symbol(ls: SffiServer, params: lsp.WorkspaceSymbolParams) -> list[lsp.WorkspaceSymbol]:
    out: list[lsp.WorkspaceSymbol] = []
    for project in ls.state.projects.values():
        out += [convert.workspace_symbol(e) for e in workspace_symbols(
            project.declarations.all_declarations(), params.query)]
    return out
