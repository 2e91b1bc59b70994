"""The one place converting core values to lsprotocol types and back."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from pathlib import Path

from lsprotocol import types as lsp
from pygls.uris import from_fs_path, to_fs_path, uri_scheme

from sffi_lsp.ide.completion import CompletionEntry
from sffi_lsp.ide.symbols import SymbolEntry, SymbolKind
from sffi_lsp.model import CommandRef, Finding, Fix, Location, Position, Range, Span, TextEdit

SOURCE = "sffi"
VersionOf = Callable[[Path], int | None]

# ----------------------------------------------------------------------------- paths


@lru_cache(maxsize=65536)  # pure, and pygls' parsing costs ~0.15 ms a URI (every pull maps them all)
def path_of(uri: str) -> Path | None:
    """The file path of a ``file:`` URI (spaces and non-ASCII decoded); None for others."""
    if uri_scheme(uri) != "file":
        return None
    fs = to_fs_path(uri)
    return Path(os.path.normpath(fs)) if fs else None


@lru_cache(maxsize=65536)
def uri_of(path: Path) -> str:
    return from_fs_path(str(path)) or path.as_uri()


def path_or_uri(value: object) -> Path | None:
    """A command argument: a plain path or a ``file:`` URI."""
    if not isinstance(value, str) or not value:
        return None
    if value.startswith("file:"):
        return path_of(value)
    if ":" in value.split("/", 1)[0] and not os.path.isabs(value):
        return None  # another URI scheme
    return Path(os.path.abspath(value))


# ----------------------------------------------------------------------------- positions


def position(p: Position) -> lsp.Position:
    return lsp.Position(line=p.line, character=p.character)


def range_of(span: Span | Range) -> lsp.Range:
    r = span.range if isinstance(span, Span) else span
    return lsp.Range(start=position(r.start), end=position(r.end))


def core_position(p: lsp.Position) -> Position:
    return Position(max(0, p.line), max(0, p.character))


def core_range(r: lsp.Range) -> Range:
    return Range(core_position(r.start), core_position(r.end))


def location(loc: Location) -> lsp.Location:
    return lsp.Location(uri=uri_of(loc.path), range=range_of(loc.span))


# ----------------------------------------------------------------------------- diagnostics


@cache
def rules_doc() -> Path | None:
    """The rules documentation: shipped in the package (``sffi_lsp/docs/rules.md``), or
    ``docs/rules.md`` of the source tree in an editable install."""
    here = Path(__file__).resolve()
    for base in (here.parents[1], here.parents[2]):
        candidate = base / "docs" / "rules.md"
        if candidate.is_file():
            return candidate
    return None


def code_description(code: str) -> lsp.CodeDescription | None:
    from sffi_lsp.checks.registry import rule_for

    doc = rules_doc()
    rule = rule_for(code)
    if doc is None or rule is None:
        return None
    return lsp.CodeDescription(href=f"{doc.as_uri()}#{rule.anchor()}")


def diagnostic(finding: Finding) -> lsp.Diagnostic:
    related = [
        lsp.DiagnosticRelatedInformation(
            location=lsp.Location(uri=uri_of(r.path), range=range_of(r.span) if r.span else _zero()),
            message=r.message,
        )
        for r in finding.related
    ]
    return lsp.Diagnostic(
        range=range_of(finding.span),
        message=finding.message,
        severity=lsp.DiagnosticSeverity(int(finding.severity)),
        code=finding.code,
        code_description=code_description(finding.code),
        source=str(finding.data.get("source") or SOURCE),  # "cargo" for compiler messages
        related_information=related or None,
        tags=[lsp.DiagnosticTag(int(t)) for t in finding.tags] or None,
    )


def _zero() -> lsp.Range:
    return lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0))


# ----------------------------------------------------------------------------- edits and fixes


def text_edit(edit: TextEdit) -> lsp.TextEdit:
    return lsp.TextEdit(range=range_of(edit.span), new_text=edit.new_text)


def workspace_edit(
    edits: Iterable[TextEdit], version_of: VersionOf, creates: Sequence[object] = ()
) -> lsp.WorkspaceEdit:
    """documentChanges: created files first (with their content), then one edit per file."""
    changes: list[lsp.TextDocumentEdit | lsp.CreateFile] = []
    for create in creates:
        uri = uri_of(create.path)  # type: ignore[attr-defined]
        changes.append(lsp.CreateFile(uri=uri, options=lsp.CreateFileOptions(ignore_if_exists=True)))
        changes.append(lsp.TextDocumentEdit(
            text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
            edits=[lsp.TextEdit(range=_zero(), new_text=create.content)],  # type: ignore[attr-defined]
        ))
    by_path: dict[Path, list[TextEdit]] = {}
    for edit in edits:
        by_path.setdefault(edit.path, []).append(edit)
    for path, file_edits in by_path.items():
        file_edits.sort(key=lambda e: (e.span.start_byte, e.span.end_byte))
        changes.append(lsp.TextDocumentEdit(
            text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri_of(path), version=version_of(path)),
            edits=[text_edit(e) for e in file_edits],
        ))
    return lsp.WorkspaceEdit(document_changes=changes)


def command(ref: CommandRef) -> lsp.Command:
    return lsp.Command(title=ref.title, command=ref.command, arguments=list(ref.arguments) or None)


def code_action(fix: Fix, diagnostics: list[lsp.Diagnostic], version_of: VersionOf,
                kind: str = lsp.CodeActionKind.QuickFix) -> lsp.CodeAction:
    edit = workspace_edit(fix.edits, version_of, fix.creates) if fix.edits or fix.creates else None
    return lsp.CodeAction(
        title=fix.title,
        kind=kind,
        diagnostics=diagnostics or None,
        edit=edit,
        command=command(fix.command) if fix.command else None,
        is_preferred=fix.preferred or None,
    )


# ----------------------------------------------------------------------------- symbols, completion

_SYMBOL_KINDS = {
    SymbolKind.FUNCTION: lsp.SymbolKind.Function,
    SymbolKind.METHOD: lsp.SymbolKind.Method,
    SymbolKind.CLASS: lsp.SymbolKind.Class,
    SymbolKind.STRUCT: lsp.SymbolKind.Struct,
    SymbolKind.MODULE: lsp.SymbolKind.Module,
    SymbolKind.TYPE: lsp.SymbolKind.TypeParameter,
}


def document_symbol(entry: SymbolEntry) -> lsp.DocumentSymbol:
    return lsp.DocumentSymbol(
        name=entry.name,
        kind=_SYMBOL_KINDS.get(entry.kind, lsp.SymbolKind.Variable),
        range=range_of(entry.span),
        selection_range=range_of(entry.selection_span),
        detail=entry.detail or None,
        children=[document_symbol(c) for c in entry.children] or None,
    )


def workspace_symbol(entry: SymbolEntry) -> lsp.WorkspaceSymbol:
    return lsp.WorkspaceSymbol(
        name=entry.name,
        kind=_SYMBOL_KINDS.get(entry.kind, lsp.SymbolKind.Variable),
        location=lsp.Location(uri=uri_of(entry.path), range=range_of(entry.selection_span)),
        container_name=entry.container,
    )


def completion_item(entry: CompletionEntry, cursor: lsp.Position) -> lsp.CompletionItem:
    start = lsp.Position(line=cursor.line, character=max(0, cursor.character - len(entry.replace_prefix)))
    return lsp.CompletionItem(
        label=entry.label,
        kind=lsp.CompletionItemKind.Snippet if entry.kind == "snippet" else lsp.CompletionItemKind.Function,
        detail=entry.detail,
        documentation=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=entry.documentation)
        if entry.documentation else None,
        insert_text_format=lsp.InsertTextFormat.Snippet if entry.snippet else lsp.InsertTextFormat.PlainText,
        text_edit=lsp.TextEdit(range=lsp.Range(start=start, end=cursor), new_text=entry.insert_text),
        filter_text=entry.label,
    )


def hover(markdown: str, span: Span) -> lsp.Hover:
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=markdown), range=range_of(span))
