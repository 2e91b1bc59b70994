"""Every client gets every diagnostic exactly once, over one channel (real server over stdio).

Push-only clients (VS Code 1.65's capability set, Neovim 0.7 and 0.11) get
``publishDiagnostics`` and are not offered pull. A pulling client (VS Code 1.100's set:
``textDocument/diagnostic`` + ``workspace/diagnostic`` refresh) gets no
``publishDiagnostics`` at all; its workspace pull holds every finding of
``sffi-lsp check --format json`` once, and a re-pull with the result ids is all
``unchanged``. Settings errors pop up once.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from server_fixtures import (
    SERVER_ENV,
    _client_factory,
    change,
    demo,
    open_doc,
    uri,
    wait_for,
)

__all__ = ["demo"]

PUSH_CLIENTS = ["visual-studio-code", "neovim@v0.7.0", "neovim@v0.11.0"]


def _counting_client() -> LanguageClient:
    """The test client, also counting ``publishDiagnostics`` per URI and refresh requests."""
    client = _client_factory()
    client.pushes = Counter()  # type: ignore[attr-defined]
    client.refreshes = 0  # type: ignore[attr-defined]

    def published(params: lsp.PublishDiagnosticsParams) -> None:
        client.pushes[params.uri] += 1  # type: ignore[attr-defined]
        client.diagnostics[params.uri] = params.diagnostics

    def refresh(params: None) -> None:
        client.refreshes += 1  # type: ignore[attr-defined]

    features = client.protocol.fm.features
    features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = published
    features[lsp.WORKSPACE_DIAGNOSTIC_REFRESH] = refresh
    return client


CONFIG = ClientServerConfig(
    server_command=[sys.executable, "-m", "sffi_lsp", "serve"],
    server_env=SERVER_ENV,
    client_factory=_counting_client,
)


def pulling_capabilities() -> lsp.ClientCapabilities:
    """VS Code 1.100 / vscode-languageclient 9: pull for documents and the workspace, refresh."""
    caps = client_capabilities("visual-studio-code")
    caps.text_document.diagnostic = lsp.DiagnosticClientCapabilities(  # type: ignore[union-attr]
        dynamic_registration=True, related_document_support=False)
    caps.workspace.diagnostics = lsp.DiagnosticWorkspaceClientCapabilities(  # type: ignore[union-attr]
        refresh_support=True)
    return caps


async def _start(client: LanguageClient, caps: lsp.ClientCapabilities, root: Path,
                 options: dict[str, Any] | None = None) -> lsp.InitializeResult:
    options = {"cacheDir": str(root.parent / "cache"), "diagnostics": {"debounceMs": 0}, **(options or {})}
    result = await client.initialize_session(lsp.InitializeParams(
        capabilities=caps,
        workspace_folders=[lsp.WorkspaceFolder(uri=uri(root), name=root.name)],
        root_uri=uri(root),
        initialization_options=options,
    ))
    await wait_for(lambda: any("indexed " in m.message for m in client.log_messages), "the initial index")
    return result


def cli_findings(root: Path) -> dict[str, list[tuple[str, int, int, str]]]:
    """``sffi-lsp check --format json``: per file URI, (code, line, column, message) of each finding."""
    run = subprocess.run([sys.executable, "-m", "sffi_lsp", "check", "--format", "json", "."],
                         cwd=root, env=SERVER_ENV, capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr
    found: dict[str, list[tuple[str, int, int, str]]] = {}
    for f in json.loads(run.stdout):
        found.setdefault(uri(Path(f["root"]) / f["path"]), []).append((f["code"], f["line"], f["column"], f["message"]))
    return {k: sorted(v) for k, v in found.items()}


def held(diagnostics: dict[str, Any]) -> dict[str, list[tuple[str, int, int, str]]]:
    return {u: sorted((str(d.code), d.range.start.line + 1, d.range.start.character + 1, d.message)
                      for d in items)
            for u, items in diagnostics.items() if items}


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


@pytest.mark.parametrize("name", PUSH_CLIENTS)
async def test_a_push_client_gets_each_finding_once_and_is_not_offered_pull(
        client: LanguageClient, demo: Path, name: str):
    result = await _start(client, client_capabilities(name), demo)
    assert result.capabilities.diagnostic_provider is None
    expected = cli_findings(demo)
    await wait_for(lambda: held(client.diagnostics) == expected,
                   f"the pushed findings to equal the CLI's (now {held(client.diagnostics)})")
    assert set(client.pushes) == set(expected)
    assert all(n == 1 for n in client.pushes.values()), client.pushes
    assert client.refreshes == 0


async def test_a_pulling_client_gets_no_push_and_each_finding_once(client: LanguageClient, demo: Path):
    result = await _start(client, pulling_capabilities(), demo)
    provider = result.capabilities.diagnostic_provider
    assert isinstance(provider, lsp.DiagnosticOptions) and provider.workspace_diagnostics
    await wait_for(lambda: client.refreshes >= 1, "a refresh request after the index")
    report = await client.workspace_diagnostic_async(lsp.WorkspaceDiagnosticParams(previous_result_ids=[]))
    full = [r for r in report.items if isinstance(r, lsp.WorkspaceFullDocumentDiagnosticReport)]
    assert len(full) == len(report.items)
    assert len({r.uri for r in full}) == len(full)
    assert held({r.uri: r.items for r in full}) == cli_findings(demo)

    # The periodic re-pull with the result ids: nothing changed, nothing sent.
    ids = [lsp.PreviousResultId(uri=r.uri, value=r.result_id) for r in full if r.result_id]
    assert len(ids) == len(full)
    again = await client.workspace_diagnostic_async(lsp.WorkspaceDiagnosticParams(previous_result_ids=ids))
    assert all(isinstance(r, lsp.WorkspaceUnchangedDocumentDiagnosticReport) for r in again.items)
    assert sorted(r.uri for r in again.items) == sorted(r.uri for r in full)

    # An edit: the document pull of that file is full, its unchanged neighbour stays unchanged.
    legacy = demo / "src/app/legacy_ffi.spl"
    text = open_doc(client, legacy)
    line = text.splitlines().index("extern fn bitset_popcount(value: i64) -> i64")
    before = client.refreshes
    change(client, legacy, 2, [(line, 10, line, 10, "rt_")])
    await wait_for(lambda: client.refreshes > before, "a refresh request after the edit")
    old_id = next(r.result_id for r in full if r.uri == uri(legacy))
    doc = await client.text_document_diagnostic_async(lsp.DocumentDiagnosticParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri(legacy)), previous_result_id=old_id))
    assert isinstance(doc, lsp.RelatedFullDocumentDiagnosticReport)
    assert "SFFI002" not in {str(d.code) for d in doc.items}
    same = await client.text_document_diagnostic_async(lsp.DocumentDiagnosticParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri(legacy)), previous_result_id=doc.result_id))
    assert isinstance(same, lsp.RelatedUnchangedDocumentDiagnosticReport)
    assert sum(client.pushes.values()) == 0


async def test_a_finding_that_went_away_is_cleared_by_the_workspace_pull(client: LanguageClient, demo: Path):
    await _start(client, pulling_capabilities(), demo)
    first = await client.workspace_diagnostic_async(lsp.WorkspaceDiagnosticParams(previous_result_ids=[]))
    ids = [lsp.PreviousResultId(uri=r.uri, value=r.result_id) for r in first.items if r.result_id]
    ffi = demo / "src/lib/bitset/ffi.spl"
    assert uri(ffi) in {r.uri for r in first.items}
    ffi.write_text("# emptied\n", encoding="utf-8")
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[
        lsp.FileEvent(uri=uri(ffi), type=lsp.FileChangeType.Changed)]))
    await wait_for(lambda: client.refreshes >= 2, "a refresh after the change on disk")
    again = await client.workspace_diagnostic_async(lsp.WorkspaceDiagnosticParams(previous_result_ids=ids))
    [report] = [r for r in again.items if r.uri == uri(ffi)]
    assert isinstance(report, lsp.WorkspaceFullDocumentDiagnosticReport) and list(report.items) == []


@pytest.mark.parametrize("name", ["visual-studio-code", "neovim@v0.7.0", "pull"])
async def test_settings_errors_pop_up_once(client: LanguageClient, demo: Path, name: str):
    (demo / "sffi-lsp.toml").write_text('plugin-manifest = "plugins/manifest.sdn"\nselect = 3\n', encoding="utf-8")
    caps = pulling_capabilities() if name == "pull" else client_capabilities(name)
    await _start(client, caps, demo, {"severity": {"SFFI001": "loud"}})
    await wait_for(lambda: len([m for m in client.messages if "settings" in m.message]) >= 2, "two settings errors")
    # re-index: the same errors are not shown again
    await client.workspace_execute_command_async(lsp.ExecuteCommandParams(command="sffi.reindex"))
    await wait_for(lambda: sum("indexed " in m.message for m in client.log_messages) >= 2, "the re-index")
    await asyncio.sleep(0.5)
    shown = Counter(m.message for m in client.messages if "settings" in m.message)
    assert sorted(shown) == [
        f"sffi-lsp settings: {demo / 'sffi-lsp.toml'}: setting 'select' must be a list of strings, got int",
        "sffi-lsp settings: setting 'severity.SFFI001' must be one of error, warning, information, hint, off",
    ], shown
    assert set(shown.values()) == {1}


@pytest.mark.parametrize("name", ["visual-studio-code", "pull"])
async def test_editing_sffi_lsp_toml_on_disk_reloads_the_settings_and_rechecks(
        client: LanguageClient, demo: Path, name: str):
    await _start(client, pulling_capabilities() if name == "pull" else client_capabilities(name), demo)
    [registration] = [r for r in client.registrations if r.method == lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    globs = {w["globPattern"] if isinstance(w, dict) else w.glob_pattern
             for w in (registration.register_options["watchers"] if isinstance(registration.register_options, dict)
                       else registration.register_options.watchers)}
    assert {"**/sffi-lsp.toml", "**/pyproject.toml"} <= globs
    legacy = demo / "src/app/legacy_ffi.spl"

    async def codes_of_legacy() -> list[str]:
        if name != "pull":
            return sorted(str(d.code) for d in client.diagnostics.get(uri(legacy), []))
        report = await client.text_document_diagnostic_async(lsp.DocumentDiagnosticParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri(legacy))))
        return sorted(str(d.code) for d in report.items)

    async def until(predicate: Any, what: str) -> None:
        for _ in range(200):
            if predicate(await codes_of_legacy()):
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}: {await codes_of_legacy()}")

    await until(lambda c: "SFFI002" in c, "SFFI002")
    settings = demo / "sffi-lsp.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + 'ignore = ["SFFI002"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[
        lsp.FileEvent(uri=uri(settings), type=lsp.FileChangeType.Changed)]))
    await until(lambda c: "SFFI002" not in c and "SFFI001" in c, "SFFI002 to go after the settings change")
    settings.unlink()
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[
        lsp.FileEvent(uri=uri(settings), type=lsp.FileChangeType.Deleted)]))
    await until(lambda c: "SFFI002" in c, "SFFI002 to come back once the file is gone")
