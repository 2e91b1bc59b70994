"""textDocument/codeLens: "Regenerate wrapper" / "Build library" on a `.wrapper_spec`,
"Regenerate from <spec>" on generated Tier 1/2/3 files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from sffi_lsp.server import convert
from sffi_lsp.spec.abi import generated_marker, tier1_crate_dir
from sffi_lsp.spec.parser import parse_wrapper_spec

if TYPE_CHECKING:
    from sffi_lsp.server.app import SffiServer

_TOP = lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0))


def on_code_lens(ls: SffiServer, params: lsp.CodeLensParams) -> list[lsp.CodeLens] | None:
    found = ls.state.locate(params.text_document.uri)
    if found is None:
        return None
    project, path = found
    ctx = ls.state.context(project)
    text = ctx.text(path)
    if path.suffix == ".wrapper_spec":
        spec, _ = parse_wrapper_spec(text)
        span = spec.spans.get("name")
        where = convert.range_of(span) if span is not None else _TOP
        spec_uri = convert.uri_of(path)
        lenses = [lsp.CodeLens(range=where, command=lsp.Command(
            title="Regenerate wrapper", command="sffi.regenerateWrapper", arguments=[{"spec": spec_uri}]))]
        if spec.name:
            crate = tier1_crate_dir(spec, project.root)
            lenses.append(lsp.CodeLens(range=where, command=lsp.Command(
                title="Build library", command="sffi.buildLibrary", arguments=[{"crate": str(crate)}])))
        return lenses
    marker = generated_marker(text)
    if marker is None:
        return None
    _, lib = marker
    for spec_path, spec in ctx.specs.items():
        if spec.name == lib:
            return [lsp.CodeLens(range=_TOP, command=lsp.Command(
                title=f"Regenerate from {project.relative(spec_path)}", command="sffi.regenerateWrapper",
                arguments=[{"spec": convert.uri_of(spec_path)}]))]
    return None
