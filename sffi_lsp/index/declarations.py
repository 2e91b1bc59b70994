"""The Simple side of the index: extern declarations, fn/class declarations and call sites.

Each ``.spl`` file is parsed with the Simple grammar and read through the ``sffi``
query (``queries/simple/sffi.scm``). Closed files keep only what was extracted; open
documents also keep their tree so an edit re-parses incrementally (``tree.edit`` plus
the old tree) and replaces only that file's entries.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, KeysView
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
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


DeclRow = tuple  # a Declaration as plain nested tuples (see FileEntries)
_EXTERN_KINDS = frozenset({DeclKind.EXTERN_FN.value, DeclKind.EXTERN_TYPE.value, DeclKind.EXTERN_CLASS.value})
_FN_KIND = DeclKind.FN.value
CallRow = tuple


def _decl_row(d: Declaration) -> DeclRow:
    return (
        d.kind.value, d.name, tuple(d.span), tuple(d.name_span),
        tuple((p.name, p.type, tuple(p.name_span), tuple(p.type_span) if p.type_span else None) for p in d.params),
        tuple(d.params_span) if d.params_span else None, d.returns,
        tuple(d.returns_span) if d.returns_span else None, d.doc, d.is_pub, d.container,
    )


def _decl_from_row(path: Path, row: DeclRow) -> Declaration:
    kind, name, span, name_span, params, params_span, returns, returns_span, doc, is_pub, container = row
    return Declaration(
        DeclKind(kind), name, path, Span(*span), Span(*name_span),
        tuple(Param(n, t, Span(*ns), Span(*ts) if ts else None) for n, t, ns, ts in params),
        Span(*params_span) if params_span else None, returns,
        Span(*returns_span) if returns_span else None, doc, is_pub, container,
    )


class FileEntries:
    """What one ``.spl`` file contributes to the index: declarations and call sites.

    Between processes (the parallel cold index) the entries travel as plain nested
    tuples, which pickle at C speed; the objects are built on first use, and call sites
    only for the names asked about.
    """

    __slots__ = (
        "_call_rows", "_calls", "_decl_rows", "_declarations", "_externs", "path", "source_digest", "syntax_errors"
    )

    def __init__(
        self,
        path: Path,
        declarations: tuple[Declaration, ...] = (),
        calls: tuple[CallSite, ...] = (),
        syntax_errors: int = 0,
    ) -> None:
        self.path = path
        self._declarations: tuple[Declaration, ...] | None = declarations
        self._calls: tuple[CallSite, ...] | None = calls
        self._decl_rows: tuple[DeclRow, ...] | None = None
        self._call_rows: tuple[CallRow, ...] | None = None
        self._externs: tuple[Declaration, ...] | None = None
        self.syntax_errors = syntax_errors
        self.source_digest: str | None = None  # sha256 of the file's bytes as read from disk

    @classmethod
    def _from_rows(cls, path: Path, decl_rows: tuple[DeclRow, ...], call_rows: tuple[CallRow, ...],
                   syntax_errors: int, source_digest: str | None = None) -> FileEntries:
        entries = cls(path, syntax_errors=syntax_errors)
        entries.source_digest = source_digest
        entries._declarations = entries._calls = None
        entries._decl_rows, entries._call_rows = decl_rows, call_rows
        return entries

    def __reduce__(self) -> tuple[object, ...]:
        decl_rows = self._decl_rows if self._decl_rows is not None else tuple(map(_decl_row, self.declarations))
        call_rows = self._call_rows if self._call_rows is not None else tuple(
            (c.name, tuple(c.name_span), tuple(c.span), c.arg_count) for c in self.calls
        )
        return (FileEntries._from_rows, (self.path, decl_rows, call_rows, self.syntax_errors, self.source_digest))

    @property
    def declarations(self) -> tuple[Declaration, ...]:
        if self._declarations is None:
            self._declarations = tuple(_decl_from_row(self.path, r) for r in self._decl_rows or ())
        return self._declarations

    @property
    def calls(self) -> tuple[CallSite, ...]:
        if self._calls is None:
            self._calls = tuple(self._call(r) for r in self._call_rows or ())
        return self._calls

    def _call(self, row: CallRow) -> CallSite:
        name, name_span, span, arg_count = row
        return CallSite(name, self.path, Span(*name_span), Span(*span), arg_count)

    def call_names(self) -> Iterator[str]:
        if self._calls is not None:
            return (c.name for c in self._calls)
        return (r[0] for r in self._call_rows or ())

    def calls_named(self, name: str) -> list[CallSite]:
        if self._calls is not None:
            return [c for c in self._calls if c.name == name]
        return [self._call(r) for r in self._call_rows or () if r[0] == name]

    def externs(self) -> tuple[Declaration, ...]:
        """The extern declarations (built without building the file's other declarations)."""
        if self._externs is None:
            if self._declarations is not None:
                self._externs = tuple(d for d in self._declarations if d.is_extern)
            else:
                self._externs = tuple(
                    _decl_from_row(self.path, r) for r in self._decl_rows or () if r[0] in _EXTERN_KINDS
                )
        return self._externs

    def function_names(self) -> Iterator[str]:
        """Names of the ordinary functions the file defines."""
        if self._declarations is not None:
            return (d.name for d in self._declarations if d.kind is DeclKind.FN)
        return (r[1] for r in self._decl_rows or () if r[0] == _FN_KIND)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FileEntries):
            return NotImplemented
        return (self.path, self.declarations, self.calls, self.syntax_errors) == (
            other.path, other.declarations, other.calls, other.syntax_errors
        )

    def __hash__(self) -> int:
        return hash(self.path)

    def __repr__(self) -> str:
        return f"FileEntries({self.path!s}, {len(self.declarations)} declarations)"


def _clean(text: str) -> str:
    """Source text of a type or name with its whitespace collapsed to single spaces."""
    return " ".join(text.split())


def _field(node: Node, name: str) -> Node | None:
    """The child in field ``name``. (``child_by_field_name`` can answer with a field of an
    attribute child, e.g. ``extern`` for ``@extern fn rt_x()``.)"""
    found = node.children_by_field_name(name)
    return found[0] if found else None


class _Extractor:
    """Turns one parsed file into ``FileEntries`` rows (plain tuples, see ``FileEntries``)."""

    def __init__(self, path: Path, data: bytes, lines: LineIndex) -> None:
        self.path = path
        self.data = data
        self.lines = lines
        self.ascii = lines.ascii
        self.root: Node | None = None

    def text(self, node: Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", errors="replace")

    def span(self, node: Node) -> tuple[int, int, int, int, int, int]:
        start, end = node.start_point, node.end_point
        if self.ascii:
            return (start[0], start[1], end[0], end[1], node.start_byte, node.end_byte)
        (sl, sc), (el, ec) = self.lines.point_to_position(*start), self.lines.point_to_position(*end)
        return (sl, sc, el, ec, node.start_byte, node.end_byte)

    def params(self, node: Node | None) -> tuple[tuple[object, ...], ...]:
        if node is None:
            return ()
        result = []
        for child in node.named_children:
            if child.type != "parameter":
                continue
            name = _field(child, "name")
            type_node = _field(child, "type")
            name_node = name if name is not None else child
            result.append((
                self.text(name_node),
                _clean(self.text(type_node)) if type_node is not None else None,
                self.span(name_node),
                self.span(type_node) if type_node is not None else None,
            ))
        return tuple(result)

    def doc_above(self, node: Node) -> str | None:
        """The run of ``#`` / ``///`` comment lines just above ``node``.

        Comments are extras and may hang inside the previous item's node, so each line
        above is checked in the text first, then confirmed as a comment node in the tree
        (``#if`` directives and strings are not)."""
        assert self.root is not None
        anchor = node.parent if node.parent is not None and node.parent.type == "decorated_definition" else node
        lines: list[str] = []
        row = anchor.start_point[0]
        while row > 0:
            raw = self.lines.line_bytes(row - 1).rstrip(b"\r\n")
            text = raw.lstrip()
            if not text.startswith((b"#", b"///")):
                break
            column = len(raw) - len(text)
            hit = self.root.named_descendant_for_point_range((row - 1, column), (row - 1, column))
            if hit is None or hit.type != "comment":
                break
            body = text.decode("utf-8", errors="replace")
            lines.append((body[3:] if body.startswith("///") else body[1:]).strip())
            row -= 1
        return "\n".join(reversed(lines)) if lines else None

    def container(self, node: Node) -> str | None:
        parent = node.parent
        while parent is not None:
            if parent.type in _CLASS_LIKE:
                name = _field(parent, "name")
                return self.text(name) if name is not None else None
            if parent.type in ("function_definition", "source_file"):
                return None
            parent = parent.parent
        return None

    def declaration(self, kind: DeclKind, node: Node) -> DeclRow | None:
        name = _field(node, "name")
        if name is None or name.is_missing or name.has_error:
            return None
        params_node = None
        if kind in (DeclKind.EXTERN_FN, DeclKind.FN):
            params_node = _field(node, "parameters")
            if kind is DeclKind.EXTERN_FN and (params_node is None or node.has_error):
                return None  # a malformed extern is the parser's to report, not the index's
        returns_node = _field(node, "return_type")
        ordinary = kind in (DeclKind.FN, DeclKind.CLASS)
        return (
            kind.value,
            self.text(name),
            self.span(node),
            self.span(name),
            self.params(params_node),
            self.span(params_node) if params_node is not None else None,
            _clean(self.text(returns_node)) if returns_node is not None else None,
            self.span(returns_node) if returns_node is not None else None,
            None if ordinary else self.doc_above(node),
            any(c.type == "visibility_modifier" for c in node.children),
            self.container(node) if ordinary else None,
        )

    def run(self, tree: Tree) -> FileEntries:
        root = self.root = tree.root_node
        found = captures("simple", "sffi", root)
        rows: list[DeclRow] = []
        for capture, kind in (
            ("extern.function", DeclKind.EXTERN_FN),
            ("extern.type", DeclKind.EXTERN_TYPE),
            ("extern.class", DeclKind.EXTERN_CLASS),
            ("function", DeclKind.FN),
            ("class", DeclKind.CLASS),
        ):
            for node in found.get(capture, ()):
                row = self.declaration(kind, node)
                if row is not None:
                    rows.append(row)
        rows.sort(key=lambda r: r[2][4])
        calls = []
        for node in found.get("call", ()):
            callee = _field(node, "function")
            if callee is None:
                continue
            args = _field(node, "arguments")
            calls.append((self.text(callee), self.span(callee), self.span(node), args.named_child_count if args else 0))
        errors = _count_errors(root) if root.has_error else 0
        return FileEntries._from_rows(self.path, tuple(rows), tuple(calls), errors)


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
    entries = index_text(path, decode(raw))
    entries.source_digest = hashlib.sha256(raw).hexdigest()
    return entries


def _index_chunk(paths: list[Path]) -> list[FileEntries | Problem]:
    with _gc_paused():
        return [index_path(p) for p in paths]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Indexing creates many small objects and no cycles; the cyclic collector would
    rescan them again and again (it doubled the cost of a cold index)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
        self._calls_by_name: dict[str, list[FileEntries]] | None = None
        self._externs_sorted: list[Declaration] | None = None
        self._sorted_paths: list[Path] | None = None
        self._function_counts: dict[str, int] = {}  # ordinary function name -> files defining it

    # ---------------------------------------------------------------- building
    def build(
        self, paths: Iterable[Path], workers: int | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        """Index ``paths`` from disk, in parallel processes when there are many;
        ``on_progress(files_done)`` after each batch."""
        paths = list(paths)
        workers = workers if workers is not None else min(os.cpu_count() or 1, 8)
        done = 0
        with _gc_paused():
            if workers > 1 and len(paths) >= 64:
                chunk = max(16, len(paths) // (workers * 8))
                chunks = [paths[i : i + chunk] for i in range(0, len(paths), chunk)]
                # forkserver, not fork: a forked child of a threaded process (the language
                # server) can inherit a held lock and hang.
                context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
                with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                    for batch in pool.map(_index_chunk, chunks):
                        for result in batch:
                            self._store(result)
                        done += len(batch)
                        if on_progress is not None:
                            on_progress(done)
            else:
                for result in _index_chunk(paths):
                    self._store(result)
                if on_progress is not None:
                    on_progress(len(paths))
        self._invalidate()

    def _store(self, result: FileEntries | Problem) -> None:
        old = self.files.get(result.path)
        if isinstance(result, Problem):
            self.files.pop(result.path, None)
            self.problems[result.path] = result
        else:
            self.problems.pop(result.path, None)
            self.files[result.path] = result
        if old is None or isinstance(result, Problem):
            self._sorted_paths = None  # a file came or went
        self._count_functions(old, -1)
        if not isinstance(result, Problem):
            self._count_functions(result, +1)

    def _count_functions(self, entries: FileEntries | None, sign: int) -> None:
        if entries is None:
            return
        counts = self._function_counts
        for name in entries.function_names():
            left = counts.get(name, 0) + sign
            if left > 0:
                counts[name] = left
            else:
                counts.pop(name, None)

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
        self._sorted_paths = None
        self._count_functions(self.files.pop(path, None), -1)
        self.problems.pop(path, None)
        self._invalidate()

    def _invalidate(self) -> None:
        self._by_name = None
        self._calls_by_name = None
        self._externs_sorted = None

    # ---------------------------------------------------------------- queries
    def _name_tables(self) -> tuple[dict[str, list[Declaration]], dict[str, list[FileEntries]]]:
        if self._by_name is None or self._calls_by_name is None:
            by_name: dict[str, list[Declaration]] = defaultdict(list)
            calls: dict[str, list[FileEntries]] = defaultdict(list)
            for entry in self.files.values():
                for decl in entry.declarations:
                    by_name[decl.name].append(decl)
                for name in set(entry.call_names()):
                    calls[name].append(entry)
            self._by_name, self._calls_by_name = dict(by_name), dict(calls)
        return self._by_name, self._calls_by_name

    def declarations(self, name: str) -> list[Declaration]:
        return self._name_tables()[0].get(name, [])

    def calls(self, name: str) -> list[CallSite]:
        return [call for entry in self._name_tables()[1].get(name, ()) for call in entry.calls_named(name)]

    def called_names(self) -> Iterator[str]:
        """Every name called somewhere in the workspace."""
        return iter(self._name_tables()[1])

    def externs(self) -> Iterator[Declaration]:
        for entry in self.files.values():
            yield from entry.externs()

    def sorted_externs(self) -> list[Declaration]:
        """Every extern declaration, by path and position (cached until the next change)."""
        if self._externs_sorted is None:
            if self._sorted_paths is None:
                self._sorted_paths = sorted(self.files, key=str)
            files = self.files
            self._externs_sorted = [d for path in self._sorted_paths for d in files[path].externs()]
        return self._externs_sorted

    def function_count(self, name: str) -> int:
        return self._function_counts.get(name, 0)

    def function_names(self) -> KeysView[str]:
        """Names of every ordinary function: a live view, kept up to date file by file."""
        return self._function_counts.keys()

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
