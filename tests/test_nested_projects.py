"""Nested projects: a directory with its own ``sffi-lsp.toml`` inside a checked folder is a
project of its own (its settings, its index), for the CLI and for the server alike."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient, client_capabilities
from server_fixtures import SERVER_ENV, uri
from test_server_diagnostic_channel import CONFIG, _start, held, pulling_capabilities

FILES = {
    "alpha/sffi-lsp.toml": 'ignore = ["SFFI002"]\n',
    "alpha/src/ffi.spl": "extern fn rt_shared_open(path: text) -> i64\nextern fn alpha_close(handle: i64)\n"
                         "extern fn rt_alpha_tick(handle: i64)\n",
    "beta/sffi-lsp.toml": "# every rule\n",
    "beta/src/ffi.spl": "extern fn rt_shared_open(path: text) -> i64\nextern fn beta_close(handle: i64)\n",
    "beta/src/use.spl": "fn use_alpha(handle: i64):\n    rt_alpha_tick(handle)\n",  # declared in alpha only
    "shared/util.spl": "extern fn rt_util_now() -> i64\n",
}


def make(root: Path) -> Path:
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def check_json(root: Path) -> list[tuple[str, int, str]]:
    run = subprocess.run([sys.executable, "-m", "sffi_lsp", "check", "--format", "json", "."],
                         cwd=root, env=SERVER_ENV, capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    return sorted(((Path(f["root"]) / f["path"]).relative_to(root).as_posix(), f["line"], f["code"])
                  for f in json.loads(run.stdout))


def test_the_cli_checks_each_nested_project_with_its_own_settings(tmp_path: Path):
    root = make(tmp_path / "ws")
    assert check_json(root) == [
        ("alpha/src/ffi.spl", 1, "SFFI001"), ("alpha/src/ffi.spl", 2, "SFFI001"),  # SFFI002 ignored in alpha
        ("alpha/src/ffi.spl", 3, "SFFI001"),
        ("beta/src/ffi.spl", 1, "SFFI001"), ("beta/src/ffi.spl", 2, "SFFI001"), ("beta/src/ffi.spl", 2, "SFFI002"),
        ("beta/src/use.spl", 2, "SFFI012"),  # beta's index does not hold alpha's declarations
        ("shared/util.spl", 1, "SFFI001"),
    ]


def test_without_the_inner_settings_files_it_is_one_project(tmp_path: Path):
    root = make(tmp_path / "ws")
    (root / "alpha/sffi-lsp.toml").unlink()
    (root / "beta/sffi-lsp.toml").unlink()
    codes = check_json(root)
    assert ("alpha/src/ffi.spl", 2, "SFFI002") in codes
    assert not [c for c in codes if c[0] == "beta/src/use.spl"]


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


@pytest.mark.parametrize("name", ["neovim@v0.7.0", "pull"])
async def test_the_server_holds_what_the_cli_reports_and_follows_a_new_project(
        client: LanguageClient, tmp_path: Path, name: str):
    root = make(tmp_path / "ws")
    await _start(client, pulling_capabilities() if name == "pull" else client_capabilities(name), root)

    async def now() -> list[tuple[str, int, str]]:
        if name == "pull":
            report = await client.workspace_diagnostic_async(lsp.WorkspaceDiagnosticParams(previous_result_ids=[]))
            got = {r.uri: r.items for r in report.items}
        else:
            got = dict(client.diagnostics)
        return sorted((Path(u.removeprefix("file://")).relative_to(root).as_posix(), line, code)
                      for u, rows in held(got).items() for code, line, _, _ in rows)

    async def until(expected: list[tuple[str, int, str]], what: str) -> None:
        for _ in range(300):
            if await now() == expected:
                return
            await asyncio.sleep(0.05)
        assert await now() == expected, what

    await until(check_json(root), "the findings of the three projects")
    # alpha stops being a project of its own: its files join the folder's project (and
    # its `ignore` no longer applies)
    (root / "alpha/sffi-lsp.toml").unlink()
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[
        lsp.FileEvent(uri=uri(root / "alpha/sffi-lsp.toml"), type=lsp.FileChangeType.Deleted)]))
    expected = check_json(root)
    assert ("alpha/src/ffi.spl", 2, "SFFI002") in expected
    await until(expected, "the findings once alpha joined the folder's project")
