"""Diagnostics over stdio on the built demo workspace: workspace-wide after the index,
appearing and disappearing as the buffer changes, cross-file effects, pull requests."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient
from server_fixtures import CLIENTS, CONFIG, change, demo, open_doc, start, uri, wait_codes, wait_for

__all__ = ["demo"]


@pytest_lsp.fixture(config=CONFIG, params=CLIENTS)
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest, demo: Path):
    await start(lsp_client, request.param, demo)
    yield
    await lsp_client.shutdown_session()


async def test_closed_files_get_their_findings_after_the_initial_index(client: LanguageClient, demo: Path):
    legacy = demo / "src/app/legacy_ffi.spl"
    found = await wait_codes(client, legacy, lambda c: "SFFI001" in c, "legacy_ffi.spl diagnostics")
    assert found == ["SFFI001", "SFFI002", "SFFI003", "SFFI004", "SFFI005", "SFFI006", "SFFI012"]
    by_code = {d.code: d for d in client.diagnostics[uri(legacy)]}
    unresolved = by_code["SFFI001"]
    assert unresolved.range == lsp.Range(start=lsp.Position(line=9, character=10),
                                         end=lsp.Position(line=9, character=30))
    assert unresolved.source == "sffi"
    assert unresolved.severity == lsp.DiagnosticSeverity.Error
    assert unresolved.message.startswith("`rt_bitset_find_first` is defined nowhere")
    assert by_code["SFFI005"].related_information
    ffi = demo / "src/lib/bitset/ffi.spl"  # published after legacy_ffi.spl: wait for it too
    assert await wait_codes(client, ffi, lambda c: bool(c), "ffi.spl diagnostics") == ["SFFI008"]


async def test_findings_follow_the_buffer(client: LanguageClient, demo: Path):
    legacy = demo / "src/app/legacy_ffi.spl"
    text = open_doc(client, legacy)
    await wait_codes(client, legacy, lambda c: "SFFI002" in c, "initial findings")
    line = text.splitlines().index("extern fn bitset_popcount(value: i64) -> i64")
    change(client, legacy, 2, [(line, 10, line, 10, "rt_")])  # rt_bitset_popcount: prefixed now
    await wait_codes(client, legacy, lambda c: "SFFI002" not in c, "SFFI002 to disappear")
    change(client, legacy, 3, [(line, 10, line, 13, "")])
    await wait_codes(client, legacy, lambda c: "SFFI002" in c, "SFFI002 to come back")


async def test_declaring_an_extern_clears_an_undeclared_call_in_another_file(client: LanguageClient, demo: Path):
    legacy = demo / "src/app/legacy_ffi.spl"
    await wait_codes(client, legacy, lambda c: "SFFI012" in c, "SFFI012")
    ffi = demo / "src/lib/bitset/ffi.spl"
    text = open_doc(client, ffi)
    last = len(text.splitlines())
    change(client, ffi, 2, [(last, 0, last, 0, "extern fn rt_bitset_bitvec_reset(handle: i64)\n")])
    await wait_codes(client, legacy, lambda c: "SFFI012" not in c, "SFFI012 to go away in legacy_ffi.spl")


async def test_initial_index_reports_progress_and_status(client: LanguageClient, demo: Path):
    await wait_for(lambda: any(isinstance(v, lsp.WorkDoneProgressEnd)
                               for r in client.progress_reports.values() for v in r), "progress end")
    begins = [v for r in client.progress_reports.values() for v in r if isinstance(v, lsp.WorkDoneProgressBegin)]
    assert begins and begins[0].title == "Indexing SFFI workspace"
