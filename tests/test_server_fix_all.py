"""``source.fixAll.sffi``: one action with every safe fix of the file (real server over stdio)."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient
from server_fixtures import CLIENTS, CONFIG, demo, open_doc, start, uri, wait_codes

__all__ = ["demo"]


@pytest_lsp.fixture(config=CONFIG, params=CLIENTS)
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest, demo: Path):
    await start(lsp_client, request.param, demo)
    yield
    await lsp_client.shutdown_session()


def apply(text: str, edits: list[lsp.TextEdit]) -> str:
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start = offsets[edit.range.start.line] + edit.range.start.character
        end = offsets[edit.range.end.line] + edit.range.end.character
        text = text[:start] + edit.new_text + text[end:]
        lines = text.splitlines(keepends=True)
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line))
    return text


async def test_fix_all_applies_the_safe_fixes_of_the_file(client: LanguageClient, demo: Path):
    legacy = demo / "src/app/legacy_ffi.spl"
    text = open_doc(client, legacy)
    await wait_codes(client, legacy, lambda c: "SFFI004" in c and "SFFI006" in c, "SFFI004 and SFFI006")
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri(legacy)),
        range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)),
        context=lsp.CodeActionContext(diagnostics=[], only=[lsp.CodeActionKind.SourceFixAll])))
    [fix_all] = [a for a in actions or [] if isinstance(a, lsp.CodeAction) and a.kind == "source.fixAll.sffi"]
    assert fix_all.title == "Fix all safe SFFI problems (2)"
    assert fix_all.edit is not None and fix_all.edit.document_changes
    [change] = fix_all.edit.document_changes
    assert isinstance(change, lsp.TextDocumentEdit) and change.text_document.uri == uri(legacy)
    fixed = apply(text, list(change.edits))  # type: ignore[arg-type]
    assert "extern type BitsetRef" not in fixed  # SFFI004's fix
    assert fixed.count("extern fn rt_bitset_available() -> bool") == 1  # SFFI006's fix
    assert fixed.splitlines()[6] == "extern fn rt_bitset_clear(handle: i64)"
    assert "extern fn rt_bitset_flip(handle: i64, bit: i64)" in fixed  # SFFI003's rebuild is no edit

    # The quick-fix request (no `only`) does not carry it; nothing to fix gives no action.
    quick = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri(legacy)),
        range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)),
        context=lsp.CodeActionContext(diagnostics=[])))
    assert not [a for a in quick or [] if getattr(a, "kind", None) == "source.fixAll.sffi"]
    main = demo / "src/app/main.spl"
    open_doc(client, main)
    none = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri(main)),
        range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)),
        context=lsp.CodeActionContext(diagnostics=[], only=["source.fixAll.sffi"])))
    assert not [a for a in none or [] if getattr(a, "kind", None) == "source.fixAll.sffi"]
