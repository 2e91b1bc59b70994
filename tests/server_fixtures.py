"""Shared pieces of the language-server tests: the server command with an isolated home
and cache, a client whose converter keeps CodeActions, the built demo workspace, and
waiting for diagnostics."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types as lsp
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import make_test_lsp_client

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo"
DEMO_CRATE = Path(".build/rust/ffi_bitset")
CLIENTS = ["visual-studio-code", "neovim"]

_HOME = Path(tempfile.mkdtemp(prefix="sffi-lsp-server-home-"))
SERVER_ENV = {
    **os.environ,
    "HOME": str(_HOME),
    "XDG_CACHE_HOME": str(_HOME / "cache"),
    "SIMPLE_PLUGIN_MANIFEST": str(_HOME / "no-manifest.sdn"),
}


def _client_factory() -> LanguageClient:
    """The test client, with CodeAction results kept as CodeActions.

    lsprotocol's client-side converter turns a CodeAction that carries a ``command``
    into a ``Command``; pick CodeAction unless ``command`` is a string.
    """
    client = make_test_lsp_client()
    converter = client.protocol._converter

    def structure(value: Any, _: Any) -> lsp.CodeAction | lsp.Command:
        if isinstance(value, dict) and isinstance(value.get("command"), str):
            return converter.structure(value, lsp.Command)
        return converter.structure(value, lsp.CodeAction)

    converter.register_structure_hook(lsp.CodeAction | lsp.Command, structure)
    client.registrations = []  # type: ignore[attr-defined]
    client.statuses = []  # type: ignore[attr-defined]

    @client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register(params: lsp.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    @client.feature("sffi/status")
    def status(params: Any) -> None:
        client.statuses.append(params)  # type: ignore[attr-defined]

    return client


CONFIG = ClientServerConfig(
    server_command=[sys.executable, "-m", "sffi_lsp", "serve"],
    server_env=SERVER_ENV,
    client_factory=_client_factory,
)


def uri(path: Path) -> str:
    return from_fs_path(str(path))


def cargo_build(crate: Path) -> None:
    env = {**os.environ, "CARGO_TARGET_DIR": str(crate / "target"), "CARGO_TERM_COLOR": "never"}
    subprocess.run(["cargo", "build", "--release", "--offline", "--quiet"], cwd=crate, env=env, check=True)


@pytest.fixture
def demo(built_demo: Path) -> Path:
    """The demo workspace with its crate built: a private copy per test (conftest.built_demo)."""
    return built_demo


async def start(client: LanguageClient, capabilities: str, root: Path,
                options: dict[str, Any] | None = None) -> None:
    options = {"cacheDir": str(root.parent / "cache"), "diagnostics": {"debounceMs": 0}, **(options or {})}
    await client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities(capabilities),
        workspace_folders=[lsp.WorkspaceFolder(uri=uri(root), name=root.name)],
        root_uri=uri(root),
        initialization_options=options,
    ))
    await wait_for(lambda: any(
        isinstance(v, lsp.WorkDoneProgressEnd) for reports in client.progress_reports.values() for v in reports
    ) or any("indexed " in m.message for m in client.log_messages), "the initial index")


async def wait_for(predicate: Callable[[], object], what: str, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def codes(client: LanguageClient, path: Path) -> list[str]:
    return sorted(str(d.code) for d in client.diagnostics.get(uri(path), []))


async def wait_codes(client: LanguageClient, path: Path, predicate: Callable[[list[str]], bool],
                     what: str, timeout: float = 20.0) -> list[str]:
    await wait_for(lambda: uri(path) in client.diagnostics and predicate(codes(client, path)),
                   f"{what} (now {codes(client, path) if uri(path) in client.diagnostics else 'none'})", timeout)
    return codes(client, path)


def open_doc(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    text = path.read_text(encoding="utf-8") if text is None else text
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=uri(path), language_id="simple", version=version, text=text)))
    return text


def change(client: LanguageClient, path: Path, version: int, edits: Sequence[tuple[int, int, int, int, str]]) -> None:
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri(path), version=version),
        content_changes=[lsp.TextDocumentContentChangePartial(
            range=lsp.Range(start=lsp.Position(line=a, character=b), end=lsp.Position(line=c, character=d)),
            text=text) for a, b, c, d, text in edits],
    ))


def position_of(path: Path, needle: str, offset: int = 0, text: str | None = None) -> lsp.Position:
    text = path.read_text(encoding="utf-8") if text is None else text
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    column = index - (text.rfind("\n", 0, index) + 1)
    return lsp.Position(line=line, character=len(text[index - column:index].encode("utf-16-le")) // 2)


# ----------------------------------------------------------------------------- commands


def _command_client_factory() -> LanguageClient:
    """The test client, also answering ``window/showMessageRequest`` with the action titled
    ``client.message_answer`` (None: dismissed) and recording each request."""
    client = _client_factory()
    client.message_requests = []  # type: ignore[attr-defined]
    client.message_answer = None  # type: ignore[attr-defined]

    @client.feature(lsp.WINDOW_SHOW_MESSAGE_REQUEST)
    def message_request(params: lsp.ShowMessageRequestParams) -> lsp.MessageActionItem | None:
        client.message_requests.append(params)  # type: ignore[attr-defined]
        answer = client.message_answer  # type: ignore[attr-defined]
        return next((a for a in params.actions or [] if a.title == answer), None)

    return client


COMMAND_CONFIG = ClientServerConfig(
    server_command=[sys.executable, "-m", "sffi_lsp", "serve"],
    server_env=SERVER_ENV,
    client_factory=_command_client_factory,
)


async def start_folders(client: LanguageClient, capabilities: str, roots: Sequence[Path],
                        options: dict[str, Any] | None = None) -> None:
    """``start`` with several workspace folders; waits until each was indexed."""
    options = {"cacheDir": str(roots[0].parent / "cache"), "diagnostics": {"debounceMs": 0}, **(options or {})}
    await client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities(capabilities),
        workspace_folders=[lsp.WorkspaceFolder(uri=uri(r), name=r.name) for r in roots],
        root_uri=uri(roots[0]),
        initialization_options=options,
    ))
    for root in roots:
        await wait_for(lambda root=root: any(f"indexed {root}:" in m.message for m in client.log_messages),
                       f"the index of {root}")


async def execute(client: LanguageClient, command: str, *arguments: Any, timeout: float = 120.0) -> Any:
    """``workspace/executeCommand`` and its result."""
    return await asyncio.wait_for(client.workspace_execute_command_async(lsp.ExecuteCommandParams(
        command=command, arguments=list(arguments))), timeout)


def progress_titled(client: LanguageClient, title: str) -> tuple[str, list[Any]]:
    """The token and values of the progress whose begin has ``title``."""
    for token, values in client.progress_reports.items():
        if any(isinstance(v, lsp.WorkDoneProgressBegin) and v.title == title for v in values):
            return str(token), values
    raise AssertionError(f"no progress titled {title!r}: "
                         f"{[v.title for vs in client.progress_reports.values() for v in vs if hasattr(v, 'title')]}")
