"""Messages from the server to the client: logs, shown messages, ``sffi/status``, progress."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

if TYPE_CHECKING:
    from sffi_lsp.server.app import SffiServer

STATUS = "sffi/status"


def log(ls: SffiServer, message: str, kind: lsp.MessageType = lsp.MessageType.Log) -> None:
    ls.window_log_message(lsp.LogMessageParams(type=kind, message=message))


def show(ls: SffiServer, message: str, kind: lsp.MessageType = lsp.MessageType.Info) -> None:
    ls.window_show_message(lsp.ShowMessageParams(type=kind, message=message))


def show_settings_errors(ls: SffiServer, errors: list[str], keep_shown: bool = False) -> None:
    """Pop up each settings error once: one already on screen (from the editor's settings,
    another project, or the previous index) is not shown again until it was fixed.

    ``errors`` is the whole current list, unless ``keep_shown`` (then it adds to it)."""
    state = ls.state
    current = list(dict.fromkeys(errors))
    for error in current:
        if error not in state.shown_settings_errors:
            show(ls, f"sffi-lsp settings: {error}", lsp.MessageType.Error)
    state.shown_settings_errors = (state.shown_settings_errors if keep_shown else set()) | set(current)


def status(ls: SffiServer, state: str, **fields: Any) -> None:
    """``sffi/status`` {state: indexing|ready|error, done?, total?, errors?, message?}."""
    ls.protocol.notify(STATUS, {"state": state, **{k: v for k, v in fields.items() if v is not None}})


def capability(ls: SffiServer, *path: str) -> Any:
    """A nested client capability (``capability(ls, "window", "workDoneProgress")``), or None."""
    value: Any = ls.client_capabilities
    for name in path:
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


class Progress:
    """Work-done progress the server starts; ``cancelled`` turns true when the user cancels."""

    def __init__(self, ls: SffiServer, title: str, cancellable: bool = False) -> None:
        self.ls = ls
        self.title = title
        self.cancellable = cancellable
        self.token = f"sffi-{uuid.uuid4().hex[:12]}"
        self.enabled = bool(capability(ls, "window", "work_done_progress"))
        self.on_cancel: list[Any] = []

    async def begin(self, message: str | None = None, percentage: int | None = None) -> None:
        if not self.enabled:
            return
        try:
            await self.ls.work_done_progress.create_async(self.token)
        except Exception as exc:  # the client refused the token: carry on without progress
            log(self.ls, f"progress not available: {exc}")
            self.enabled = False
            return
        future = self.ls.work_done_progress.tokens.get(self.token)
        if future is not None:
            future.add_done_callback(self._done)
        self.ls.work_done_progress.begin(self.token, lsp.WorkDoneProgressBegin(
            title=self.title, message=message, percentage=percentage, cancellable=self.cancellable))

    def _done(self, future: Any) -> None:
        if future.cancelled():
            for callback in self.on_cancel:
                callback()

    def report(self, message: str | None = None, percentage: int | None = None) -> None:
        if self.enabled:
            self.ls.work_done_progress.report(self.token, lsp.WorkDoneProgressReport(
                message=message, percentage=percentage, cancellable=self.cancellable or None))

    def end(self, message: str | None = None) -> None:
        if self.enabled:
            self.ls.work_done_progress.end(self.token, lsp.WorkDoneProgressEnd(message=message))
            self.ls.work_done_progress.tokens.pop(self.token, None)
            self.enabled = False
