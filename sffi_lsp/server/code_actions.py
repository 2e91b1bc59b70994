"""textDocument/codeAction: every quick fix of the findings in the range, the source
action "Declare all undeclared exports", and ``source.fixAll.sffi``: every safe fix of the
file at once (what ``sffi-lsp check --fix`` would apply to it), like ruff's fix-all."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from sffi_lsp.checks.registry import run_checks
from sffi_lsp.fixes import plan
from sffi_lsp.model import Finding, TextEdit
from sffi_lsp.server import convert, diagnostics

if TYPE_CHECKING:
    from sffi_lsp.server.app import SffiServer

DECLARE_ALL = "source.sffi.declareAll"
FIX_ALL = "source.fixAll.sffi"
KINDS = [lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.Source, lsp.CodeActionKind.SourceFixAll, FIX_ALL,
         DECLARE_ALL]


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
    if only and _wants(only, FIX_ALL):  # asked for by kind only (on save, or the command)
        diagnostics.flush(ls, project.root)
        fix_all = _fix_all(ls, path, findings.of(path))
        if fix_all is not None:
            actions.append(fix_all)
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


def _fix_all(ls: SffiServer, path: Path, found: list[Finding]) -> lsp.CodeAction | None:
    """One action with every safe fix of ``path`` whose edits stay in that file and overlap
    no other (the rest wait for the next run, as in ``check --fix``)."""
    safe = [fix for f in found for fix in f.fixes
            if fix.safe and fix.edits and all(e.path == path for e in fix.edits)]
    chosen = plan(safe)
    edits = [e for fix in chosen.applied for e in fix.edits]
    if not edits:
        return None
    return lsp.CodeAction(
        title=f"Fix all safe SFFI problems ({len(chosen.applied)})",
        kind=FIX_ALL,
        edit=convert.workspace_edit(edits, ls.state.version_of),
    )
