"""textDocument/codeAction: every quick fix of the findings in the range, and the source
action "Declare all undeclared exports"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from sffi_lsp.checks.registry import run_checks
from sffi_lsp.model import TextEdit
from sffi_lsp.server import convert

if TYPE_CHECKING:
    from sffi_lsp.server.app import SffiServer

DECLARE_ALL = "source.sffi.declareAll"
KINDS = [lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.Source, DECLARE_ALL]


def _wants(only: list[str] | None, kind: str) -> bool:
    return not only or any(kind == k or kind.startswith(k + ".") for k in only)


def on_code_action(ls: SffiServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
    found = ls.state.locate(params.text_document.uri)
    if found is None:
        return None
    project, path = found
    findings = ls.state.findings.get(project.root)
    if findings is None:
        return None
    only = [str(k) for k in params.context.only] if params.context.only else None
    actions: list[lsp.CodeAction] = []
    if _wants(only, lsp.CodeActionKind.QuickFix):
        ctx = ls.state.context(project)
        for finding in findings.overlapping(path, convert.core_range(params.range), ctx):
            diag = convert.diagnostic(finding)
            for fix in finding.fixes:
                actions.append(convert.code_action(fix, [diag], ls.state.version_of))
    if _wants(only, DECLARE_ALL):
        edits: list[TextEdit] = []
        for finding in run_checks(ls.state.context(project), select=("SFFI011",)):
            for fix in finding.fixes[:1]:
                edits.extend(fix.edits)
        if edits:
            unique = list({(e.path, e.span.start_byte, e.new_text): e for e in edits}.values())
            actions.append(lsp.CodeAction(
                title=f"Declare all undeclared exports ({len(unique)})",
                kind=DECLARE_ALL,
                edit=convert.workspace_edit(unique, ls.state.version_of),
            ))
    return actions
