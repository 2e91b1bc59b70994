"""Settings: ``initializationOptions``, the ``sffi`` section of ``workspace/configuration``,
re-read on ``workspace/didChangeConfiguration``; workspace folders added and removed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

from sffi_lsp.server import convert, diagnostics, indexing
from sffi_lsp.server.channel import Channel
from sffi_lsp.server.client import capability, log, show_settings_errors
from sffi_lsp.workspace.settings import Settings

if TYPE_CHECKING:
    from sffi_lsp.server.app import SffiServer

SECTION = "sffi"


def section_of(raw: Any) -> dict[str, Any]:
    """The ``sffi`` settings from a payload that may or may not be wrapped in ``{"sffi": ...}``."""
    if not isinstance(raw, dict):
        return {}
    inner = raw.get(SECTION)
    return inner if isinstance(inner, dict) else raw


def validate(ls: SffiServer, raw: dict[str, Any]) -> None:
    _, errors = Settings().merged(raw)
    show_settings_errors(ls, errors, keep_shown=True)


def initialize(ls: SffiServer, params: lsp.InitializeParams) -> None:
    state = ls.state
    state.init_options = section_of(params.initialization_options)
    folders: list[Path] = []
    for folder in params.workspace_folders or []:
        path = convert.path_of(folder.uri)
        if path is None:
            log(ls, f"ignoring workspace folder {folder.uri}: not a file: URI")
        else:
            folders.append(path)
    if not folders:
        root = params.root_uri and convert.path_of(params.root_uri)
        if not root and params.root_path:
            root = Path(params.root_path)
        if root:
            folders.append(Path(root))
    state.folders = folders


async def fetch(ls: SffiServer) -> None:
    """Ask the client for the ``sffi`` section (when it can answer)."""
    if not capability(ls, "workspace", "configuration"):
        return
    try:
        result = await ls.workspace_configuration_async(
            lsp.ConfigurationParams(items=[lsp.ConfigurationItem(section=SECTION)]))
    except Exception as exc:
        log(ls, f"workspace/configuration failed: {exc}", lsp.MessageType.Warning)
        return
    ls.state.editor_settings = section_of(result[0]) if result else {}


async def did_change_configuration(ls: SffiServer, params: lsp.DidChangeConfigurationParams) -> None:
    before = ls.state.overrides()
    if capability(ls, "workspace", "configuration"):
        await fetch(ls)
    else:
        ls.state.editor_settings = section_of(params.settings)
    if ls.state.overrides() != before:
        await indexing.index_folders(ls, list(ls.state.folders))


async def did_change_folders(ls: SffiServer, params: lsp.DidChangeWorkspaceFoldersParams) -> None:
    state = ls.state
    for folder in params.event.removed:
        path = convert.path_of(folder.uri)
        if path is not None and path in state.folders:
            state.folders.remove(path)
            for file in [p for p in state.published if p.is_relative_to(path)]:
                ls.text_document_publish_diagnostics(
                    lsp.PublishDiagnosticsParams(uri=convert.uri_of(file), diagnostics=[])
                )
                state.published.discard(file)
            state.remove_project(path)
            for nested in state.nested.pop(path, []):
                state.remove_project(nested)
            if state.channel is Channel.PULL:
                diagnostics.request_pull(ls)
    added = []
    for folder in params.event.added:
        path = convert.path_of(folder.uri)
        if path is not None and path not in state.folders:
            state.folders.append(path)
            added.append(path)
    if added:
        await indexing.index_folders(ls, added)
