"""Hover, definition, references, rename, symbols, completion, code actions and lenses
over stdio on the built demo workspace."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient
from server_fixtures import (
    CLIENTS,
    CONFIG,
    change,
    demo,
    open_doc,
    position_of,
    start,
    uri,
    wait_codes,
)

__all__ = ["demo"]


@pytest_lsp.fixture(config=CONFIG, params=CLIENTS)
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest, demo: Path):
    await start(lsp_client, request.param, demo)
    yield
    await lsp_client.shutdown_session()


def _doc(path: Path) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri(path))


async def test_hover_shows_the_rust_signature_and_the_library(client: LanguageClient, demo: Path):
    ffi = demo / "src/lib/bitset/ffi.spl"
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=_doc(ffi), position=position_of(ffi, "rt_bitset_new", 3)))
    assert hover is not None
    text = hover.contents.value
    assert text.splitlines()[1] == "extern fn rt_bitset_new(size: i64) -> i64"
    assert 'extern "C" fn rt_bitset_new(size: i64) -> i64' in text
    assert ".build/rust/ffi_bitset/src/lib.rs:" in text
    assert "`.build/rust/ffi_bitset/target/release/libsimple_bitset_ffi.so` @0x" in text
    assert "**Loadable**: yes, via manifest" in text


async def test_hover_on_a_spec_entry_shows_the_generated_symbols(client: LanguageClient, demo: Path):
    spec = demo / "bitset.wrapper_spec"
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=_doc(spec), position=position_of(spec, "name: union_count", 7)))
    assert 'pub extern "C" fn rt_bitset_union_count(a: i64, b: i64) -> i64' in hover.contents.value
    assert "extern fn rt_bitset_union_count(a: i64, b: i64) -> i64" in hover.contents.value


async def test_definition_goes_from_call_to_declaration_to_rust(client: LanguageClient, demo: Path):
    mod = demo / "src/lib/bitset/mod.spl"
    ffi = demo / "src/lib/bitset/ffi.spl"
    text = mod.read_text()
    at = position_of(mod, "rt_bitset_new(", 2, text)
    found = await client.text_document_definition_async(lsp.DefinitionParams(text_document=_doc(mod), position=at))
    assert [loc.uri for loc in found] == [uri(ffi)]
    decl = found[0].range.start
    native = await client.text_document_definition_async(lsp.DefinitionParams(text_document=_doc(ffi), position=decl))
    assert native[0].uri == uri(demo / ".build/rust/ffi_bitset/src/lib.rs")
    lib_rs = (demo / ".build/rust/ffi_bitset/src/lib.rs").read_text().splitlines()
    assert "fn rt_bitset_new(" in lib_rs[native[0].range.start.line]


async def test_references_span_the_tiers(client: LanguageClient, demo: Path):
    ffi = demo / "src/lib/bitset/ffi.spl"
    refs = await client.text_document_references_async(lsp.ReferenceParams(
        text_document=_doc(ffi), position=position_of(ffi, "rt_bitset_new", 1),
        context=lsp.ReferenceContext(include_declaration=True)))
    files = {Path(r.uri).name for r in refs}
    assert {"ffi.spl", "mod.spl", "lib.rs", "bitset.wrapper_spec"} <= files


async def test_rename_edits_all_three_tiers_and_the_spec(client: LanguageClient, demo: Path):
    ffi = demo / "src/lib/bitset/ffi.spl"
    at = position_of(ffi, "rt_bitset_new", 1)
    prepared = await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(text_document=_doc(ffi), position=at))
    assert prepared.placeholder == "rt_bitset_new"
    edit = await client.text_document_rename_async(lsp.RenameParams(text_document=_doc(ffi), position=at,
                                                                    new_name="rt_bitset_create"))
    changes = {Path(c.text_document.uri).name: [e.new_text for e in c.edits] for c in edit.document_changes}
    assert changes["ffi.spl"] == ["rt_bitset_create"]
    assert "rt_bitset_create" in changes["mod.spl"]
    assert changes["lib.rs"] == ["rt_bitset_create"]
    assert changes["bitset.wrapper_spec"] == ["create"]


async def test_prepare_rename_refuses_a_non_extern(client: LanguageClient, demo: Path):
    main = demo / "src/app/main.spl"
    with pytest.raises(Exception, match="only extern names"):
        await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(
            text_document=_doc(main), position=position_of(main, "sieve(limit", 1)))


async def test_document_and_workspace_symbols(client: LanguageClient, demo: Path):
    ffi = demo / "src/lib/bitset/ffi.spl"
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(text_document=_doc(ffi)))
    assert [s.name for s in symbols][:3] == ["rt_bitset_available", "rt_bitset_version", "rt_bitset_new"]
    spec_symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=_doc(demo / "bitset.wrapper_spec")))
    names = [s.name for s in spec_symbols]
    assert names[0] == "bitset" and {"new", "union_count", "count"} <= set(names[2:])
    assert spec_symbols[0].kind == lsp.SymbolKind.Module
    found = await client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query="bsunion"))
    assert [s.name for s in found] == ["rt_bitset_union_count"]


async def test_completion_offers_undeclared_exports_in_an_extern_name(client: LanguageClient, demo: Path):
    ffi = demo / "src/lib/bitset/ffi.spl"
    text = open_doc(client, ffi)
    last = len(text.splitlines())
    change(client, ffi, 2, [(last, 0, last, 0, "extern fn rt_bitset_fi")])
    result = await client.text_document_completion_async(lsp.CompletionParams(
        text_document=_doc(ffi), position=lsp.Position(line=last, character=len("extern fn rt_bitset_fi"))))
    labels = [i.label for i in result.items]
    assert "rt_bitset_new" not in labels  # declared already
    assert all(label.startswith("rt_bitset_fi") for label in labels)
    calls = await client.text_document_completion_async(lsp.CompletionParams(
        text_document=_doc(demo / "src/lib/bitset/mod.spl"), position=position_of(
            demo / "src/lib/bitset/mod.spl", "rt_bitset_new(", len("rt_bitset_n"))))
    assert "rt_bitset_new" in [i.label for i in calls.items]


async def _apply(client: LanguageClient, edit: lsp.WorkspaceEdit, texts: dict[Path, str], versions: dict[Path, int]) -> None:
    for doc_change in edit.document_changes or []:
        path = Path(doc_change.text_document.uri.removeprefix("file://"))
        if path not in texts:
            texts[path] = open_doc(client, path)
            versions[path] = 1
        versions[path] += 1
        ordered = sorted(doc_change.edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True)
        change(client, path, versions[path], [(e.range.start.line, e.range.start.character, e.range.end.line,
                                              e.range.end.character, e.new_text) for e in ordered])


@pytest.mark.parametrize("code", ["SFFI002", "SFFI004", "SFFI006"])
async def test_each_quick_fix_leaves_the_file_clean_of_its_code(client: LanguageClient, demo: Path, code: str):
    legacy = demo / "src/app/legacy_ffi.spl"
    texts = {legacy: open_doc(client, legacy)}
    versions = {legacy: 1}
    await wait_codes(client, legacy, lambda c: code in c, code)
    diag = next(d for d in client.diagnostics[uri(legacy)] if d.code == code)
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=_doc(legacy), range=diag.range, context=lsp.CodeActionContext(diagnostics=[diag])))
    fixes = [a for a in actions if isinstance(a, lsp.CodeAction) and a.edit is not None
             and any(d.code == code for d in a.diagnostics or [])]
    assert fixes, f"no quick fix for {code}"
    assert fixes[0].kind == lsp.CodeActionKind.QuickFix
    await _apply(client, fixes[0].edit, texts, versions)
    await wait_codes(client, legacy, lambda c: code not in c, f"{code} to be fixed")


async def test_the_misnamed_symbol_offers_a_rebuild_not_a_rename_to_simple(client: LanguageClient, demo: Path):
    legacy = demo / "src/app/legacy_ffi.spl"
    open_doc(client, legacy)
    await wait_codes(client, legacy, lambda c: "SFFI003" in c, "SFFI003")
    diag = next(d for d in client.diagnostics[uri(legacy)] if d.code == "SFFI003")
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=_doc(legacy), range=diag.range, context=lsp.CodeActionContext(diagnostics=[diag])))
    mine = [a for a in actions if isinstance(a, lsp.CodeAction) and any(d.code == "SFFI003" for d in a.diagnostics or [])]
    assert [(a.title, a.edit, a.command.command if a.command else None) for a in mine] == [
        ("Rebuild .build/rust/ffi_bitset", None, "sffi.buildLibrary")]


async def test_declare_all_undeclared_exports_source_action(client: LanguageClient, demo: Path):
    ffi = demo / "src/lib/bitset/ffi.spl"
    legacy_rs = demo / ".build/rust/ffi_bitset/src/legacy.rs"
    legacy_rs.write_text(legacy_rs.read_text() + '\n#[no_mangle]\npub extern "C" fn rt_bitset_extra(handle: i64) -> i64 {\n    handle\n}\n')
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
        changes=[lsp.FileEvent(uri=uri(legacy_rs), type=lsp.FileChangeType.Changed)]))
    await wait_codes(client, legacy_rs, lambda c: "SFFI011" in c, "SFFI011 on the new export")
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=_doc(ffi), range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)),
        context=lsp.CodeActionContext(diagnostics=[], only=["source.sffi.declareAll"])))
    titles = [a.title for a in actions]
    assert titles == ["Declare all undeclared exports (1)"]
    new_texts = [e.new_text for c in actions[0].edit.document_changes for e in c.edits]
    assert new_texts == ["extern fn rt_bitset_extra(handle: i64) -> i64\n"]


async def test_code_lenses_on_the_spec_and_generated_files(client: LanguageClient, demo: Path):
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(text_document=_doc(demo / "bitset.wrapper_spec")))
    assert [lens.command.title for lens in lenses] == ["Regenerate wrapper", "Build library"]
    assert lenses[1].command.arguments[0]["crate"].endswith(".build/rust/ffi_bitset")
    generated = await client.text_document_code_lens_async(lsp.CodeLensParams(text_document=_doc(demo / "src/lib/bitset/ffi.spl")))
    assert [lens.command.title for lens in generated] == ["Regenerate from bitset.wrapper_spec"]
