"""Which channel carries diagnostics to the client, decided once per session, and the result
ids of pull reports.

A client gets every diagnostic once: either pushed (``textDocument/publishDiagnostics``) or
pulled (``textDocument/diagnostic`` + ``workspace/diagnostic``), never both. vscode-languageclient
keeps the two in separate collections and shows both, so a server that pushes and answers
pulls doubles every problem.

Pull is chosen when the client can pull documents *and* be told to pull again
(``workspace.diagnostics.refreshSupport``): the findings of a file change when another file
changes, and without refresh a pulling client would keep stale findings. Everything else
(Neovim 0.7, and Neovim 0.10/0.11 which pull open buffers but take no refresh) gets push,
and the server does not advertise a diagnostic provider to it at all, so it never pulls.

Result ids are a digest of the report's items: an unchanged file answers ``unchanged``, so
VS Code's periodic workspace re-pull costs a hash per file and carries no diagnostics.
"""

from __future__ import annotations

import hashlib
from enum import Enum

from lsprotocol import types as lsp


class Channel(Enum):
    PUSH = "push"
    PULL = "pull"


def choose(capabilities: lsp.ClientCapabilities | None) -> Channel:
    """Pull when the client pulls documents and accepts ``workspace/diagnostic/refresh``."""
    if capabilities is None:
        return Channel.PUSH
    document = capabilities.text_document.diagnostic if capabilities.text_document else None
    workspace = capabilities.workspace.diagnostics if capabilities.workspace else None
    if document is not None and workspace is not None and workspace.refresh_support:
        return Channel.PULL
    return Channel.PUSH


def result_id(items: list[lsp.Diagnostic]) -> str:
    """A stable id for a report's content (the same items give the same id)."""
    return hashlib.sha256(repr(items).encode("utf-8")).hexdigest()[:20]
