"""Untitled buffers and files outside every project get the rules that read one file only
(SFFI004, SFFI006), over the client's one channel, under their own URI."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient, client_capabilities
from server_fixtures import demo, uri, wait_for
from test_server_diagnostic_channel import CONFIG, _start, pulling_capabilities

__all__ = ["demo"]

TEXT = ("extern type Handle\n"
        "extern fn rt_thing_new() -> i64\n"
        "extern fn rt_thing_new() -> i64\n"
        "extern fn no_prefix_and_nowhere(x: i64)\n")


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


def _open(client: LanguageClient, doc_uri: str, text: str = TEXT, language: str = "simple") -> None:
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=doc_uri, language_id=language, version=1, text=text)))


async def _codes(client: LanguageClient, doc_uri: str, pull: bool) -> list[tuple[str, int]]:
    if pull:
        report = await client.text_document_diagnostic_async(lsp.DocumentDiagnosticParams(
            text_document=lsp.TextDocumentIdentifier(uri=doc_uri)))
        items = report.items
    else:
        await wait_for(lambda: doc_uri in client.diagnostics, f"diagnostics of {doc_uri}")
        items = client.diagnostics[doc_uri]
    return sorted((str(d.code), d.range.start.line) for d in items)


@pytest.mark.parametrize("name", ["visual-studio-code", "pull"])
async def test_an_untitled_buffer_and_a_file_outside_every_project(
        client: LanguageClient, demo: Path, tmp_path: Path, name: str):
    pull = name == "pull"
    await _start(client, pulling_capabilities() if pull else client_capabilities(name), demo)
    untitled = "untitled:Untitled-1"
    _open(client, untitled)
    expected = [("SFFI004", 0), ("SFFI006", 2)]  # no SFFI001/SFFI002: they need a workspace
    assert await _codes(client, untitled, pull) == expected

    # an edit re-checks
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=untitled, version=2),
        content_changes=[lsp.TextDocumentContentChangePartial(
            range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=1, character=0)),
            text="")]))
    if not pull:
        await wait_for(lambda: len(client.diagnostics[untitled]) == 1, "the re-check after the edit")
    assert await _codes(client, untitled, pull) == [("SFFI006", 1)]

    outside = tmp_path / "elsewhere" / "scratch.spl"  # no sffi-lsp.toml, pyproject.toml or .git above
    outside.parent.mkdir()
    outside.write_text(TEXT, encoding="utf-8")
    _open(client, uri(outside))
    assert await _codes(client, uri(outside), pull) == expected
    assert str(outside.parent) not in {m.message for m in client.log_messages if "indexed" in m.message}
    if not pull:
        client.text_document_did_close(lsp.DidCloseTextDocumentParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri(outside))))
        await wait_for(lambda: not client.diagnostics[uri(outside)], "the diagnostics cleared on close")
