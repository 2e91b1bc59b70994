"""The language server: construction, feature registration (all in one place), serve().

Every handler is a thin adapter over ``sffi_lsp.ide`` and the checks; each runs inside a
guard so an exception is logged to the client with its traceback and the server goes on
(a request gets an error response instead of a result).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import sys
import traceback
from collections.abc import Callable, Coroutine
from typing import Any

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

from sffi_lsp import __version__
from sffi_lsp.server import (
    channel,
    code_actions,
    code_lens,
    commands,
    completion,
    configuration,
    diagnostics,
    documents,
    hover,
    indexing,
    navigation,
    rename,
    symbols,
    watchers,
)
from sffi_lsp.server.client import log
from sffi_lsp.server.state import ServerState


class SffiServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("sffi-lsp", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.state = ServerState()
        self._tasks: set[asyncio.Task[Any]] = set()

    def report_handler_error(self, exc: BaseException, where: str) -> None:
        detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        try:
            log(self, f"sffi-lsp: {where} failed:\n{detail}", lsp.MessageType.Error)
        except Exception:
            logging.getLogger(__name__).exception("cannot report an error")

    def spawn(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        """Run a background task, keeping a reference and reporting its failure."""
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)

        def done(t: asyncio.Task[Any]) -> None:
            self._tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                self.report_handler_error(t.exception(), "background task")  # type: ignore[arg-type]

        task.add_done_callback(done)


def _guard(method: str, handler: Callable[..., Any], request: bool) -> Callable[..., Any]:
    """``handler`` with its exceptions logged; a request re-raises (an error response)."""

    def failed(ls: SffiServer, exc: Exception) -> None:
        if isinstance(exc, JsonRpcException):
            raise exc
        ls.report_handler_error(exc, method)
        if request:
            raise exc

    if inspect.iscoroutinefunction(handler):
        async def run_async(ls, params):  # type: ignore[no-untyped-def]
            try:
                return await handler(ls, params)
            except Exception as exc:
                failed(ls, exc)
                return None
        return run_async

    def run(ls, params):  # type: ignore[no-untyped-def]
        try:
            return handler(ls, params)
        except Exception as exc:
            failed(ls, exc)
            return None
    return run


def _command(name: str, handler: Callable[..., Any]) -> Callable[..., Any]:
    async def run(ls, *args):  # type: ignore[no-untyped-def]
        try:
            return await handler(ls, *args)
        except Exception as exc:
            ls.report_handler_error(exc, name)
            if isinstance(exc, JsonRpcException):
                raise
            return {"ok": False, "message": f"{name} failed: {exc}"}
    return run


async def _initialized(ls: SffiServer, params: lsp.InitializedParams) -> None:
    await configuration.fetch(ls)
    configuration.validate(ls, ls.state.overrides())
    await watchers.register(ls)
    ls.spawn(indexing.index_folders(ls, list(ls.state.folders)))


def _initialize(ls: SffiServer, params: lsp.InitializeParams) -> None:
    configuration.initialize(ls, params)
    ls.state.channel = channel.choose(params.capabilities)
    if ls.state.channel is channel.Channel.PULL:
        # Advertised only to a client that pulls: it never gets the same findings pushed.
        for method, handler, options in PULL_REQUESTS:
            ls.feature(method, options)(_guard(method, handler, request=True))


PULL_REQUESTS: list[tuple[str, Callable[..., Any], Any]] = [
    (lsp.TEXT_DOCUMENT_DIAGNOSTIC, diagnostics.document_diagnostic,
     lsp.DiagnosticOptions(identifier="sffi", inter_file_dependencies=True, workspace_diagnostics=True)),
    (lsp.WORKSPACE_DIAGNOSTIC, diagnostics.workspace_diagnostic, None),
]


def create_server() -> SffiServer:
    server = SffiServer()
    notifications: list[tuple[str, Callable[..., Any], Any]] = [
        (lsp.INITIALIZED, _initialized, None),
        (lsp.TEXT_DOCUMENT_DID_OPEN, documents.did_open, None),
        (lsp.TEXT_DOCUMENT_DID_CHANGE, documents.did_change, None),
        (lsp.TEXT_DOCUMENT_DID_SAVE, documents.did_save, None),
        (lsp.TEXT_DOCUMENT_DID_CLOSE, documents.did_close, None),
        (lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES, watchers.did_change_watched_files, None),
        (lsp.WORKSPACE_DID_CHANGE_CONFIGURATION, configuration.did_change_configuration, None),
        (lsp.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS, configuration.did_change_folders, None),
    ]
    requests: list[tuple[str, Callable[..., Any], Any]] = [
        (lsp.INITIALIZE, _initialize, None),
        (lsp.TEXT_DOCUMENT_HOVER, hover.on_hover, None),
        (lsp.TEXT_DOCUMENT_DEFINITION, navigation.on_definition, None),
        (lsp.TEXT_DOCUMENT_REFERENCES, navigation.on_references, None),
        (lsp.TEXT_DOCUMENT_PREPARE_RENAME, rename.on_prepare_rename, None),
        (lsp.TEXT_DOCUMENT_RENAME, rename.on_rename, lsp.RenameOptions(prepare_provider=True)),
        (lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL, symbols.on_document_symbol, None),
        (lsp.WORKSPACE_SYMBOL, symbols.on_workspace_symbol, None),
        (lsp.TEXT_DOCUMENT_COMPLETION, completion.on_completion,
         lsp.CompletionOptions(trigger_characters=completion.TRIGGERS)),
        (lsp.TEXT_DOCUMENT_CODE_ACTION, code_actions.on_code_action,
         lsp.CodeActionOptions(code_action_kinds=code_actions.KINDS)),
        (lsp.TEXT_DOCUMENT_CODE_LENS, code_lens.on_code_lens, None),
    ]
    for method, handler, options in notifications:
        server.feature(method, options)(_guard(method, handler, request=False))
    for method, handler, options in requests:
        server.feature(method, options)(_guard(method, handler, request=True))
    for name, command_handler in (
        (commands.REGENERATE, commands.regenerate_wrapper),
        (commands.BUILD, commands.build_library),
        (commands.REGISTER, commands.register_library),
        (commands.REINDEX, commands.reindex),
    ):
        server.command(name)(_command(name, command_handler))
    return server


def serve(tcp: str | None = None, log_file: str | None = None) -> int:
    if log_file:
        logging.basicConfig(filename=log_file, level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    server = create_server()
    if tcp:
        host, _, port = tcp.rpartition(":")
        server.start_tcp(host or "127.0.0.1", int(port))
    else:
        server.start_io(sys.stdin.buffer, sys.stdout.buffer)
    return 0
