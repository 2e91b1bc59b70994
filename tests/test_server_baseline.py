"""The ``baseline`` setting in the language server (real server over stdio): findings the
baseline records are not published, or (``baseline.show``) published as hints; edits that
move them keep them hidden; a new finding shows; a changed baseline file is re-read."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient
from server_fixtures import CONFIG, change, open_doc, start, uri, wait_codes, wait_for

from sffi_lsp.baseline import Baseline, BaselineKey

FFI = "extern fn rt_old_a() -> i64\nextern fn rt_old_b() -> i64\n"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "src").mkdir(parents=True)
    (root / "src/ffi.spl").write_text(FFI)
    (root / "sffi-lsp.toml").write_text("")
    Baseline.of([BaselineKey("SFFI001", "src/ffi.spl", "rt_old_a"),
                 BaselineKey("SFFI001", "src/ffi.spl", "rt_old_b")]).write(root / "ci/baseline.json")
    return root


def diagnostics(client: LanguageClient, path: Path) -> list[tuple[str, int, str]]:
    return sorted((str(d.code), d.range.start.line, d.message.split("`")[1])
                  for d in client.diagnostics.get(uri(path), []))


@pytest_lsp.fixture(config=CONFIG)
async def hiding(lsp_client: LanguageClient, workspace: Path):
    await start(lsp_client, "visual-studio-code", workspace, {"baseline": {"path": "ci/baseline.json"}})
    yield
    await lsp_client.shutdown_session()


async def test_the_server_hides_findings_the_baseline_records(hiding: LanguageClient, workspace: Path):
    client = hiding
    ffi = workspace / "src/ffi.spl"
    open_doc(client, ffi)
    # A new declaration, and the recorded ones moved two lines down: only the new one shows.
    change(client, ffi, 2, [(0, 0, 0, 0, "extern fn rt_new() -> i64\n\n")])
    await wait_codes(client, ffi, lambda c: c == ["SFFI001"], "the new finding alone")
    assert diagnostics(client, ffi) == [("SFFI001", 0, "rt_new")]
    # The baseline file changes on disk (rt_old_b no longer recorded): its finding shows.
    Baseline.of([BaselineKey("SFFI001", "src/ffi.spl", "rt_old_a")]).write(workspace / "ci/baseline.json")
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(
        uri=uri(workspace / "ci/baseline.json"), type=lsp.FileChangeType.Changed)]))
    await wait_codes(client, ffi, lambda c: len(c) == 2, "rt_old_b's finding back")
    assert diagnostics(client, ffi) == [("SFFI001", 0, "rt_new"), ("SFFI001", 3, "rt_old_b")]


async def test_the_baseline_file_is_watched(hiding: LanguageClient, workspace: Path):
    client = hiding
    await wait_for(lambda: client.registrations, "the watcher registration")  # type: ignore[attr-defined]
    options = client.registrations[0].register_options  # type: ignore[attr-defined]
    patterns = [w["globPattern"] for w in options["watchers"]]
    baseline = workspace / "ci/baseline.json"
    assert ({"baseUri": uri(baseline.parent), "pattern": "baseline.json"} in patterns
            or baseline.as_posix() in patterns), patterns


@pytest_lsp.fixture(config=CONFIG)
async def showing(lsp_client: LanguageClient, workspace: Path):
    await start(lsp_client, "neovim", workspace, {"baseline": {"path": "ci/baseline.json", "show": True}})
    yield
    await lsp_client.shutdown_session()


async def test_baseline_show_publishes_suppressed_findings_as_hints(showing: LanguageClient, workspace: Path):
    client = showing
    ffi = workspace / "src/ffi.spl"
    open_doc(client, ffi)
    await wait_codes(client, ffi, lambda c: c == ["SFFI001", "SFFI001"], "both findings")
    shown = sorted((d.range.start.line, d.severity, d.message.endswith("(in the baseline)"))
                   for d in client.diagnostics[uri(ffi)])
    assert shown == [(0, lsp.DiagnosticSeverity.Hint, True), (1, lsp.DiagnosticSeverity.Hint, True)]


@pytest_lsp.fixture(config=CONFIG)
async def broken(lsp_client: LanguageClient, workspace: Path):
    (workspace / "ci/baseline.json").write_text("not json")
    await start(lsp_client, "neovim", workspace, {"baseline": "ci/baseline.json"})
    yield
    await lsp_client.shutdown_session()


async def test_an_unreadable_baseline_is_said_once_and_hides_nothing(broken: LanguageClient, workspace: Path):
    client = broken
    ffi = workspace / "src/ffi.spl"
    open_doc(client, ffi)
    await wait_codes(client, ffi, lambda c: c == ["SFFI001", "SFFI001"], "both findings")
    warnings = [m.message for m in client.messages if m.type == lsp.MessageType.Warning]
    assert warnings == [f"sffi-lsp baseline: {workspace}/ci/baseline.json: not a baseline file "
                        "(invalid JSON at line 1)"]
