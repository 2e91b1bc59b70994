"""The Simple side of the index: extern declarations, fn/class declarations and call sites.

Each ``.spl`` file is parsed with the Simple grammar and read through the ``sffi``
query (``queries/simple/sffi.scm``). Closed files keep only what was extracted; open
documents also keep their tree so an edit re-parses incrementally (``tree.edit`` plus
the old tree) and replaces only that file's entries.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tree_sitter import Node, Parser, Point, Tree

from sffi_lsp.model import CallSite, Declaration, DeclKind, Param, Position, Problem, Range, Span
from sffi_lsp.syntax.languages import captures, parser
from sffi_lsp.text import LineIndex, decode

_CLASS_LIKE = (
    "class_definition", "struct_definition", "enum_definition", "trait_definition",
    "impl_definition", "actor_definition",
)


@dataclass(frozen=True, slots=True)
class FileEntries:
    """What one ``.spl`` file contributes to the index."""

    path: Path
    declarations: tuple[Declaration, ...]
    calls: tuple[CallSite, ...]
    syntax_errors: int = 0  # ERROR / MISSING nodes in the file

    def externs(self) -> Iterator[Declaration]:
        return (d for d in self.declarations if d.is_extern)


def _clean(text: str) -> str:
    """Source text of a type or name with its whitespace collapsed to single spaces."""
    return " ".join(text.split())


class _Extractor:
    """Turns one parsed file into ``FileEntries``."""

    def __init__(self, path: Path, data: bytes, lines: LineIndex) -> None:
        self.path = path
        self.data = data
        self.lines = lines

    def text(self, node: Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", errors="replace")

    def span(self, node: Node) -> Span:
        return self.lines.span_from_points(
            node.start_byte, node.end_byte, tuple(node.start_point), tuple(node.end_point)
        )

    def params(self, node: Node | None) -> tuple[Param, ...]:
        if node is None:
            return ()
        result = []
        for child in node.named_children:
            if child.type != "parameter":
                continue
            name = child.child_by_field_name("name")
            type_node = child.child_by_field_name("type")
            name_node = name if name is not None else child
            result.append(
                Param(
                    name=self.text(name_node),
                    type=_clean(self.text(type_node)) if type_node is not None else None,
                    name_span=self.span(name_node),
                    type_span=self.span(type_node) if type_node is not None else None,
                )
            )
        return tuple(result)

    def doc_above(self, node: Node, comments_by_end_row: dict[int, Node]) -> str | None:
        """The run of line comments ending on the line just above ``node``."""
        row = node.start_point[0] - 1
        lines: list[str] = []
        while row in comments_by_end_row:
            comment = comments_by_end_row[row]
            text = self.text(comment).strip()
            if text.startswith("///"):
                text = text[3:]
            elif text.startswith("#"):
                text = text[1:]
            lines.append(text.strip())
            row = comment.start_point[0] - 1
        if not lines:
            return None
        return "\n".join(reversed(lines))

    def container(self, node: Node) -> str | None:
        parent = node.parent
        while parent is not None:
            if parent.type in _CLASS_LIKE:
                name = parent.child_by_field_name("name")
                return self.text(name) if name is not None else None
            if parent.type in ("function_definition", "source_file"):
                return None
            parent = parent.parent
        return None

    def declaration(
        self, kind: DeclKind, node: Node, comments_by_end_row: dict[int, Node]
    ) -> Declaration | None:
        name = node.child_by_field_name("name")
        if name is None or name.is_missing or name.has_error:
            return None
        if kind in (DeclKind.EXTERN_FN, DeclKind.FN):
            params_node = node.child_by_field_name("parameters")
            if params_node is None or params_node.has_error:
                if kind is DeclKind.EXTERN_FN:
                    return None  # a malformed extern is reported by the parser, not indexed
        else:
            params_node = None
        if kind is DeclKind.EXTERN_FN and node.has_error:
            return None
        returns_node = node.child_by_field_name("return_type")
        is_pub = any(c.type == "visibility_modifier" for c in node.children)
        return Declaration(
            kind=kind,
            name=self.text(name),
            path=self.path,
            span=self.span(node),
            name_span=self.span(name),
            params=self.params(params_node),
            params_span=self.span(params_node) if params_node is not None else None,
            returns=_clean(self.text(returns_node)) if returns_node is not None else None,
            returns_span=self.span(returns_node) if returns_node is not None else None,
            doc=self.doc_above(node, comments_by_end_row) if kind is not DeclKind.FN else None,
            is_pub=is_pub,
            container=self.container(node) if kind in (DeclKind.FN, DeclKind.CLASS) else None,
        )

    def run(self, tree: Tree) -> FileEntries:
        root = tree.root_node
        found = captures("simple", "sffi", root)
        comments_by_end_row = {c.end_point[0]: c for c in found.get("comment", ())}
        declarations: list[Declaration] = []
        for capture, kind in (
            ("extern.function", DeclKind.EXTERN_FN),
            ("extern.type", DeclKind.EXTERN_TYPE),
            ("extern.class", DeclKind.EXTERN_CLASS),
            ("function", DeclKind.FN),
            ("class", DeclKind.CLASS),
        ):
            for node in found.get(capture, ()):
                decl = self.declaration(kind, node, comments_by_end_row)
                if decl is not None:
                    declarations.append(decl)
        declarations.sort(key=lambda d: d.span.start_byte)
        calls = []
        for node in found.get("call", ()):
            callee = node.child_by_field_name("function")
            if callee is None or callee.type != "identifier":
                continue
            args = node.child_by_field_name("arguments")
            arg_count = 0 if args is None else sum(1 for a in args.named_children if a.type not in ("comment", "block_comment"))
            calls.append(
                CallSite(self.text(callee), self.path, self.span(callee), self.span(node), arg_count)
            )
        errors = _count_errors(root) if root.has_error else 0
        return FileEntries(self.path, tuple(declarations), tuple(calls), errors)


def _count_errors(root: Node) -> int:
    return sum(len(v) for v in captures("simple", "errors", root).values())


_thread_parser: Parser | None = None


def _parser() -> Parser:
    global _thread_parser
    if _thread_parser is None:
        _thread_parser = parser("simple")
    return _thread_parser


def extract(path: Path, data: bytes, tree: Tree, lines: LineIndex | None = None) -> FileEntries:
    return _Extractor(path, data, lines or LineIndex(data)).run(tree)


def index_text(path: Path, text: str) -> FileEntries:
    """Parse and index one file's text (no tree kept)."""
    data = text.encode("utf-8")
    return extract(path, data, _parser().parse(data))


def index_path(path: Path) -> FileEntries | Problem:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Problem(path, f"cannot read: {exc.strerror or exc}")
    return index_text(path, decode(raw))


def _index_chunk(paths: list[Path]) -> list[FileEntries | Problem]:
    return [index_path(p) for p in paths]


@dataclass
class Document:
    """An open document: its current text and tree, re-parsed incrementally on edits."""

    path: Path
    text: str
    version: int | None = None
    data: bytes = b""
    tree: Tree | None = None
    lines: LineIndex = field(default_factory=lambda: LineIndex(b""))

    def __post_init__(self) -> None:
        self.data = self.text.encode("utf-8")
        self.lines = LineIndex(self.data)
        self.tree = _parser().parse(self.data)

    def apply_change(self, new_text: str, change: Range | None = None) -> None:
        """Replace ``change`` (or everything) with ``new_text``, re-parsing incrementally."""
        if change is None:
            self.text = new_text
            self.data = new_text.encode("utf-8")
            self.lines = LineIndex(self.data)
            self.tree = _parser().parse(self.data)
            return
        start = self.lines.position_to_offset(change.start)
        end = max(start, self.lines.position_to_offset(change.end))
        inserted = new_text.encode("utf-8")
        data = self.data[:start] + inserted + self.data[end:]
        start_point = self.lines.position_to_point(change.start)
        old_end_point = self.lines.position_to_point(change.end)
        if old_end_point < start_point:
            old_end_point = start_point
        new_lines = LineIndex(data)
        new_end = start + len(inserted)
        new_end_pos = new_lines.offset_to_position(new_end)
        new_end_point = new_lines.position_to_point(new_end_pos)
        assert self.tree is not None
        self.tree.edit(
            start_byte=start,
            old_end_byte=end,
            new_end_byte=new_end,
            start_point=Point(*start_point),
            old_end_point=Point(*old_end_point),
            new_end_point=Point(*new_end_point),
        )
        self.tree = _parser().parse(data, self.tree)
        self.data = data
        self.lines = new_lines
        self.text = decode(data)

    def entries(self) -> FileEntries:
        assert self.tree is not None
        return extract(self.path, self.data, self.tree, self.lines)


class DeclarationIndex:
    """Every ``.spl`` file's declarations and call sites, by file and by name."""

    def __init__(self) -> None:
        self.files: dict[Path, FileEntries] = {}
        self.problems: dict[Path, Problem] = {}
        self._by_name: dict[str, list[Declaration]] | None = None
        self._calls_by_name: dict[str, list[CallSite]] | None = None

    # ---------------------------------------------------------------- building
    def build(self, paths: Iterable[Path], workers: int | None = None) -> None:
        """Index ``paths`` from disk, in parallel processes when there are many."""
        paths = list(paths)
        workers = workers if workers is not None else min(os.cpu_count() or 1, 8)
        if workers > 1 and len(paths) >= 64:
            chunk = max(16, len(paths) // (workers * 8))
            chunks = [paths[i : i + chunk] for i in range(0, len(paths), chunk)]
            with ProcessPoolExecutor(max_workers=workers) as pool:
                results = [r for batch in pool.map(_index_chunk, chunks) for r in batch]
        else:
            results = _index_chunk(paths)
        for result in results:
            self._store(result)
        self._invalidate()

    def _store(self, result: FileEntries | Problem) -> None:
        if isinstance(result, Problem):
            self.files.pop(result.path, None)
            self.problems[result.path] = result
        else:
            self.problems.pop(result.path, None)
            self.files[result.path] = result

    def update(self, entries: FileEntries) -> None:
        """Replace one file's entries (after an edit or a change on disk)."""
        self._store(entries)
        self._invalidate()

    def update_from_disk(self, path: Path) -> None:
        if path.exists():
            self._store(index_path(path))
        else:
            self.remove(path)
            return
        self._invalidate()

    def remove(self, path: Path) -> None:
        self.files.pop(path, None)
        self.problems.pop(path, None)
        self._invalidate()

    def _invalidate(self) -> None:
        self._by_name = None
        self._calls_by_name = None

    # ---------------------------------------------------------------- queries
    def _name_tables(self) -> tuple[dict[str, list[Declaration]], dict[str, list[CallSite]]]:
        if self._by_name is None or self._calls_by_name is None:
            by_name: dict[str, list[Declaration]] = defaultdict(list)
            calls: dict[str, list[CallSite]] = defaultdict(list)
            for entry in self.files.values():
                for decl in entry.declarations:
                    by_name[decl.name].append(decl)
                for call in entry.calls:
                    calls[call.name].append(call)
            self._by_name, self._calls_by_name = dict(by_name), dict(calls)
        return self._by_name, self._calls_by_name

    def declarations(self, name: str) -> list[Declaration]:
        return self._name_tables()[0].get(name, [])

    def calls(self, name: str) -> list[CallSite]:
        return self._name_tables()[1].get(name, [])

    def externs(self) -> Iterator[Declaration]:
        for entry in self.files.values():
            yield from entry.externs()

    def all_declarations(self) -> Iterator[Declaration]:
        for entry in self.files.values():
            yield from entry.declarations

    def declaration_at(self, path: Path, position: Position) -> Declaration | None:
        """The declaration whose name is at ``position`` in ``path``."""
        entry = self.files.get(path)
        if entry is None:
            return None
        for decl in entry.declarations:
            if _contains(decl.name_span, position):
                return decl
        return None

    def call_at(self, path: Path, position: Position) -> CallSite | None:
        entry = self.files.get(path)
        if entry is None:
            return None
        for call in entry.calls:
            if _contains(call.name_span, position):
                return call
        return None


def _contains(span: Span, position: Position) -> bool:
    return span.start <= position <= span.end
