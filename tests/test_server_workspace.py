"""Workspace behaviour over stdio: a library built on disk clears SFFI001 through
didChangeWatchedFiles, watcher registration, settings errors, and robustness (bad URIs,
out-of-range edits, unopened documents, binary content, cancelled requests)."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient
from server_fixtures import CLIENTS, CONFIG, cargo_build, change, open_doc, start, uri, wait_codes, wait_for

CARGO_TOML = """[package]
name = "simple-x-ffi"
version = "0.1.0"
edition = "2021"

[lib]
name = "simple_x_ffi"
crate-type = ["cdylib"]

[dependencies]
"""
LIB_RS = """#[no_mangle]
pub extern "C" fn rt_x_f(a: i64) -> i64 {
    a + 1
}
"""
MANIFEST = """plugins:
    -
        name: x
        library: ../.build/rust/ffi_x/target/release/libsimple_x_ffi.so
        functions: [rt_x_f]
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws x é"  # a space and a non-ASCII character in every URI
    crate = root / ".build/rust/ffi_x"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(CARGO_TOML)
    (crate / "src/lib.rs").write_text(LIB_RS)
    (root / "src/lib/x").mkdir(parents=True)
    (root / "src/lib/x/ffi.spl").write_text("extern fn rt_x_f(a: i64) -> i64\n")
    (root / "plugins").mkdir()
    (root / "plugins/manifest.sdn").write_text(MANIFEST)
    (root / "sffi-lsp.toml").write_text("")
    return root


@pytest_lsp.fixture(config=CONFIG, params=CLIENTS)
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest, workspace: Path):
    await start(lsp_client, request.param, workspace, {"pluginManifest": "plugins/manifest.sdn"})
    yield
    await lsp_client.shutdown_session()


async def test_a_library_built_on_disk_clears_sffi001(client: LanguageClient, workspace: Path):
    if shutil.which("cargo") is None:
        pytest.fail("cargo is not installed: the tests build real crates with it")
    ffi = workspace / "src/lib/x/ffi.spl"
    await wait_codes(client, ffi, lambda c: c == ["SFFI001"], "SFFI001 before the build")
    message = client.diagnostics[uri(ffi)][0].message
    assert "rt_x_f" in message
    crate = workspace / ".build/rust/ffi_x"
    await asyncio.to_thread(cargo_build, crate)
    library = crate / "target/release/libsimple_x_ffi.so"
    assert library.is_file()
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
        changes=[lsp.FileEvent(uri=uri(library), type=lsp.FileChangeType.Created)]))
    await wait_codes(client, ffi, lambda c: c == [], "SFFI001 to clear after the build")


async def test_file_watchers_are_registered_when_the_client_can(client: LanguageClient, workspace: Path):
    dynamic = client.capabilities.workspace.did_change_watched_files
    if not (dynamic and dynamic.dynamic_registration):
        assert client.registrations == []
        return
    await wait_for(lambda: client.registrations, "registration")
    globs = [w["globPattern"] for w in client.registrations[0].register_options["watchers"]]
    assert "**/*.spl" in globs and "**/*.so.*" in globs and "**/Cargo.toml" in globs


async def test_status_notifications_end_ready(client: LanguageClient, workspace: Path):
    await wait_for(lambda: client.statuses and client.statuses[-1].state == "ready", "ready status")
    assert client.statuses[0].state == "indexing"


async def test_bad_input_never_kills_the_server(client: LanguageClient, workspace: Path):
    ffi = workspace / "src/lib/x/ffi.spl"
    # a change to a document that was never opened, and a non-file URI
    change(client, workspace / "src/lib/x/never_opened.spl", 2, [(0, 0, 0, 0, "x")])
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri="untitled:Untitled-1", language_id="simple", version=1, text="extern fn rt_q()\n")))
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri="untitled:Untitled-1"), position=lsp.Position(line=0, character=11)))
    assert hover is None
    # out-of-range edits are clamped
    text = open_doc(client, ffi)
    change(client, ffi, 2, [(99, 5, 120, 0, "\nextern fn rt_x_g() -> i64\n")])
    change(client, ffi, 3, [(0, 500, 0, 900, "")])
    # binary content in a .spl
    binary = workspace / "src/lib/x/blob.spl"
    open_doc(client, binary, "\x00\x01\xff\ufffd extern fn \x00(\n" * 50)
    await wait_codes(client, binary, lambda c: True, "diagnostics of the binary buffer")
    # a cancelled request
    future = client.protocol.send_request(lsp.TEXT_DOCUMENT_HOVER, lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri(ffi)), position=lsp.Position(line=0, character=12)),
        msg_id="cancel-me")
    client.protocol.notify(lsp.CANCEL_REQUEST, lsp.CancelParams(id="cancel-me"))
    try:
        await asyncio.wrap_future(future)  # answered, or refused as cancelled: both fine
    except Exception as exc:
        assert "cancel" in str(exc).lower()
    # the server still answers, with the buffer's text
    result = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri(ffi))))
    assert [s.name for s in result] == ["rt_x_f", "rt_x_g"]
    assert text.startswith("extern fn rt_x_f")


async def test_a_library_deleted_while_indexed_is_survived(client: LanguageClient, workspace: Path):
    library = workspace / ".build/rust/ffi_x/target/release/libsimple_x_ffi.so"
    library.parent.mkdir(parents=True)
    library.write_bytes(b"\x7fELF" + b"\x00" * 12)  # truncated: unreadable
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
        changes=[lsp.FileEvent(uri=uri(library), type=lsp.FileChangeType.Created)]))
    library.unlink()
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
        changes=[lsp.FileEvent(uri=uri(library), type=lsp.FileChangeType.Deleted)]))
    ffi = workspace / "src/lib/x/ffi.spl"
    await wait_codes(client, ffi, lambda c: c == ["SFFI001"], "SFFI001 still reported")


@pytest_lsp.fixture(config=CONFIG)
async def misconfigured(lsp_client: LanguageClient, workspace: Path):
    await start(lsp_client, "neovim", workspace, {"externPrefixes": 3, "bogus": True})
    yield
    await lsp_client.shutdown_session()


async def test_invalid_settings_are_shown_as_errors(misconfigured: LanguageClient):
    lsp_client = misconfigured
    await wait_for(lambda: len(lsp_client.messages) >= 2, "settings errors")
    shown = [m.message for m in lsp_client.messages if m.type == lsp.MessageType.Error]
    assert "sffi-lsp settings: setting 'externPrefixes' must be a list of strings, got int" in shown
    assert "sffi-lsp settings: unknown setting 'bogus'" in shown


@pytest.fixture
def outside_manifest_ws(tmp_path: Path) -> tuple[Path, Path]:
    """A built library that only an (empty, for now) manifest outside the workspace can load."""
    root = tmp_path / "ws"
    (root / "src/lib/q").mkdir(parents=True)
    (root / "src/lib/q/ffi.spl").write_text("extern fn rt_q_f(a: i64) -> i64\n")
    (root / "sffi-lsp.toml").write_text("")
    library = root / ".build/rust/ffi_q/target/release/libsimple_q_ffi.so"
    library.parent.mkdir(parents=True)
    source = tmp_path / "q.c"
    source.write_text("long rt_q_f(long a) { return a; }\n")
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    manifest = tmp_path / "home plugins" / "manifest.sdn"
    manifest.parent.mkdir()
    manifest.write_text("plugins:\n")
    return root, manifest


@pytest_lsp.fixture(config=CONFIG, params=CLIENTS)
async def outside_client(lsp_client: LanguageClient, request: pytest.FixtureRequest,
                         outside_manifest_ws: tuple[Path, Path]):
    root, manifest = outside_manifest_ws
    await start(lsp_client, request.param, root, {"pluginManifest": str(manifest)})
    yield
    await lsp_client.shutdown_session()


async def test_a_manifest_outside_the_workspace_is_watched(outside_client: LanguageClient,
                                                           outside_manifest_ws: tuple[Path, Path]):
    client = outside_client
    root, manifest = outside_manifest_ws
    ffi = root / "src/lib/q/ffi.spl"
    await wait_codes(client, ffi, lambda c: c == ["SFFI007"], "SFFI007 while no manifest lists the library")
    dynamic = client.capabilities.workspace.did_change_watched_files
    if dynamic and dynamic.dynamic_registration:
        await wait_for(lambda: client.registrations, "registration")
        patterns = [w["globPattern"] for w in client.registrations[0].register_options["watchers"]]
        relative = [p for p in patterns if isinstance(p, dict)]
        assert (relative == [{"baseUri": uri(manifest.parent), "pattern": "manifest.sdn"}]
                or manifest.as_posix() in patterns), patterns
    library = root / ".build/rust/ffi_q/target/release/libsimple_q_ffi.so"
    manifest.write_text(f"plugins:\n    -\n        name: q\n        library: {library}\n        functions: [rt_q_f]\n")
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
        changes=[lsp.FileEvent(uri=uri(manifest), type=lsp.FileChangeType.Changed)]))
    await wait_codes(client, ffi, lambda c: c == [], "SFFI007 to clear once the manifest lists the library")
