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
import stat
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, KeysView
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

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


def _shift(span: tuple[int, ...] | None, lines: int, nbytes: int) -> tuple[int, ...] | None:
    if span is None:
        return None
    return (span[0] + lines, span[1], span[2] + lines, span[3], span[4] + nbytes, span[5] + nbytes)


def _move_decl(r: DeclRow, lines: int, nbytes: int) -> DeclRow:
    params = tuple((n, t, _shift(ns, lines, nbytes), _shift(ts, lines, nbytes)) for n, t, ns, ts in r[4])
    return (r[0], r[1], _shift(r[2], lines, nbytes), _shift(r[3], lines, nbytes), params,
            _shift(r[5], lines, nbytes), r[6], _shift(r[7], lines, nbytes), r[8], r[9], r[10])


def _move_call(r: CallRow, lines: int, nbytes: int) -> CallRow:
    return (r[0], _shift(r[1], lines, nbytes), _shift(r[2], lines, nbytes), r[3])


class Segment(NamedTuple):
    """Rows in document order, all to be moved by ``lines`` and ``nbytes`` when read: an
    edit moves everything after it without touching each row."""

    rows: tuple[tuple[Any, ...], ...]
    lines: int = 0
    nbytes: int = 0


def _rows(segments: list[Segment], move: Callable[[Any, int, int], Any],
          keep: Callable[[tuple[Any, ...]], bool] | None = None) -> Iterator[Any]:
    """The rows of ``segments`` (those ``keep`` accepts), moved into place."""
    for rows, lines, nbytes in segments:
        selected = rows if keep is None else (r for r in rows if keep(r))
        if lines or nbytes:
            yield from (move(r, lines, nbytes) for r in selected)
        else:
            yield from selected


class FileEntries:
    """What one ``.spl`` file contributes to the index: declarations and call sites.

    Between processes (the parallel cold index) the entries travel as plain nested
    tuples, which pickle at C speed; the objects are built on first use, and call sites
    only for the names asked about. An open document's entries keep rows in segments
    with pending moves (see ``Document.entries``).
    """

    __slots__ = (
        "_call_segs", "_calls", "_decl_segs", "_declarations", "_externs", "path", "source_digest", "syntax_errors"
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
        self._decl_segs: list[Segment] | None = None
        self._call_segs: list[Segment] | None = None
        self._externs: tuple[Declaration, ...] | None = None
        self.syntax_errors = syntax_errors
        self.source_digest: str | None = None  # sha256 of the file's bytes as read from disk

    @classmethod
    def _from_rows(cls, path: Path, decl_rows: tuple[DeclRow, ...], call_rows: tuple[CallRow, ...],
                   syntax_errors: int, source_digest: str | None = None) -> FileEntries:
        return cls._from_segments(path, [Segment(decl_rows)], [Segment(call_rows)], syntax_errors, source_digest)

    @classmethod
    def _from_segments(cls, path: Path, decls: list[Segment], calls: list[Segment],
                       syntax_errors: int, source_digest: str | None = None) -> FileEntries:
        entries = cls(path, syntax_errors=syntax_errors)
        entries.source_digest = source_digest
        entries._declarations = entries._calls = None
        entries._decl_segs, entries._call_segs = decls, calls
        return entries

    def decl_segments(self) -> list[Segment]:
        if self._decl_segs is None:
            return [Segment(tuple(map(_decl_row, self.declarations)))]
        return self._decl_segs

    def call_segments(self) -> list[Segment]:
        if self._call_segs is None:
            return [Segment(tuple((c.name, tuple(c.name_span), tuple(c.span), c.arg_count) for c in self.calls))]
        return self._call_segs

    def __reduce__(self) -> tuple[object, ...]:
        decl_rows = tuple(_rows(self.decl_segments(), _move_decl))
        call_rows = tuple(_rows(self.call_segments(), _move_call))
        return (FileEntries._from_rows, (self.path, decl_rows, call_rows, self.syntax_errors, self.source_digest))

    @property
    def declarations(self) -> tuple[Declaration, ...]:
        if self._declarations is None:
            self._declarations = tuple(
                _decl_from_row(self.path, r) for r in _rows(self._decl_segs or [], _move_decl)
            )
        return self._declarations

    @property
    def calls(self) -> tuple[CallSite, ...]:
        if self._calls is None:
            self._calls = tuple(self._call(r) for r in _rows(self._call_segs or [], _move_call))
        return self._calls

    def _call(self, row: CallRow) -> CallSite:
        name, name_span, span, arg_count = row
        return CallSite(name, self.path, Span(*name_span), Span(*span), arg_count)

    def call_names(self) -> Iterator[str]:
        if self._calls is not None:
            return (c.name for c in self._calls)
        return (r[0] for seg in self._call_segs or () for r in seg.rows)

    def calls_named(self, name: str) -> list[CallSite]:
        if self._calls is not None:
            return [c for c in self._calls if c.name == name]
        return [self._call(r) for r in _rows(self._call_segs or [], _move_call, lambda r: r[0] == name)]

    def externs(self) -> tuple[Declaration, ...]:
        """The extern declarations (built without building the file's other declarations)."""
        if self._externs is None:
            if self._declarations is not None:
                self._externs = tuple(d for d in self._declarations if d.is_extern)
            else:
                self._externs = tuple(
                    _decl_from_row(self.path, r)
                    for r in _rows(self._decl_segs or [], _move_decl, lambda r: r[0] in _EXTERN_KINDS)
                )
        return self._externs

    def function_names(self) -> Iterator[str]:
        """Names of the ordinary functions the file defines."""
        if self._declarations is not None:
            return (d.name for d in self._declarations if d.kind is DeclKind.FN)
        return (r[1] for seg in self._decl_segs or () for r in seg.rows if r[0] == _FN_KIND)

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
        rows, calls = self.rows(tree)
        root = tree.root_node
        errors = _count_errors(root) if root.has_error else 0
        return FileEntries._from_rows(self.path, tuple(rows), tuple(calls), errors)

    def rows(self, tree: Tree, region: tuple[int, int] | None = None) -> tuple[list[DeclRow], list[CallRow]]:
        """Declaration and call rows of the file, or of the nodes starting in ``region``."""
        root = self.root = tree.root_node
        found = captures("simple", "sffi", root, region)
        if region is not None:
            lo, hi = region
            found = {k: [n for n in nodes if lo <= n.start_byte < hi] for k, nodes in found.items()}
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
            callee = _field(node, "function") or _field(node, "kernel")  # kernel_launch: `k<<<..>>>(x)`
            if callee is None:
                continue
            args = _field(node, "arguments")
            calls.append((self.text(callee), self.span(callee), self.span(node), args.named_child_count if args else 0))
        return rows, calls


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
        if not stat.S_ISREG(os.stat(path).st_mode):
            return Problem(path, "not a regular file (a FIFO, device or socket): not read")
        raw = path.read_bytes()
    except OSError as exc:
        return Problem(path, f"cannot read: {exc.strerror or exc}")
    if b"\0" in raw[:8192]:
        return Problem(path, "binary data, not Simple source")
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

    # The entries of the last ``entries()`` and the edits since: one edit lets ``entries()``
    # re-extract only the top-level items around it (``None`` means: extract everything).
    _last: FileEntries | None = field(default=None, repr=False)
    _edits: list[_Edit] | None = field(default=None, repr=False)

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
            self._edits = None
            return
        start = self.lines.position_to_offset(change.start)
        end = max(start, self.lines.position_to_offset(change.end))
        inserted = new_text.encode("utf-8")
        # Comments are doc text of the item below them, wherever that sits in the tree: an
        # edit in or of a comment line is re-extracted in full.
        touches_comment = _commentish(self.data[start:end]) or _commentish(inserted) or any(
            _commentish(self.lines.line_bytes(row).lstrip()[:2])
            for row in range(change.start.line, min(change.end.line, self.lines.line_count - 1) + 1)
        )
        data = self.data[:start] + inserted + self.data[end:]
        start_point = self.lines.position_to_point(change.start)
        old_end_point = self.lines.position_to_point(change.end)
        if old_end_point < start_point:
            old_end_point = start_point
        # The top-level items the edit lands in, as they were: all they held is extracted
        # again (an edit can end a class early and leave its methods outside).
        assert self.tree is not None
        touched = [c for c in self.tree.root_node.children if c.start_byte <= end and c.end_byte >= start]
        old_lo = min([start, *(c.start_byte for c in touched)])
        old_hi = max([end, *(c.end_byte for c in touched)])
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
        old_tree = self.tree
        self.tree = _parser().parse(data, old_tree)
        self.data = data
        self.lines = new_lines
        self.text = decode(data)
        if self._edits is not None:
            # Where the syntax changed (e.g. a new ':' nests the lines below it), in new bytes.
            changed = [(r.start_byte, r.end_byte) for r in self.tree.changed_ranges(old_tree)]
            lo = min([old_lo, *(a for a, _ in changed)])
            hi = max([new_end, old_hi + len(inserted) - (end - start), *(b for _, b in changed)])
            if touches_comment or any(
                _commentish(self.lines.line_bytes(row).lstrip()[:2])
                for row in range(start_point[0], min(new_end_point[0], self.lines.line_count - 1) + 1)
            ):
                self._edits = None
            else:
                self._edits.append(_Edit(start, end, new_end, old_end_point[0], new_end_point[0], lo, hi))

    def entries(self) -> FileEntries:
        """The document's entries; after a single edit, only the top-level items around it
        are extracted again and the rest are kept (moved by the edit's line and byte delta)."""
        assert self.tree is not None
        edits, last = self._edits, self._last
        if last is not None and edits == []:
            return last
        result = None
        if last is not None and edits is not None and len(edits) == 1 and self.lines.ascii:
            result = self._reextract(last, edits[0])
        if result is None:
            result = extract(self.path, self.data, self.tree, self.lines)
        self._last, self._edits = result, []
        return result

    def _reextract(self, last: FileEntries, edit: _Edit) -> FileEntries | None:
        assert self.tree is not None
        root = self.tree.root_node
        children = root.children
        # The top-level items the edit (or the syntax change it caused) touches, and the one
        # after (its doc comment may have changed), in new coordinates.
        first = next((i for i, c in enumerate(children) if c.end_byte >= edit.lo), len(children))
        last_i = max((i for i, c in enumerate(children) if c.start_byte <= edit.hi), default=-1)
        last_i = min(max(last_i, first) + 1, len(children) - 1)
        while last_i + 1 < len(children) and children[last_i].type in ("comment", "block_comment"):
            last_i += 1  # a run of comments is the doc of the item after it
        lo = min(children[first].start_byte, edit.lo) if first < len(children) else edit.lo
        hi = max(children[last_i].end_byte, edit.hi) if children else edit.hi
        delta = edit.new_end - edit.old_end
        old_lo, old_hi = lo, hi - delta
        line_delta = edit.new_end_row - edit.old_end_row
        new_decls, new_calls = _Extractor(self.path, self.data, self.lines).rows(self.tree, (lo, hi))
        moves = (old_lo, old_hi, line_delta, delta, edit.old_end_row)
        decls = _resegment(last.decl_segments(), *moves, new_decls, _move_decl)
        calls = _resegment(last.call_segments(), *moves, new_calls, _move_call)
        if decls is None or calls is None:
            return None
        errors = _count_errors(root) if root.has_error else 0
        return FileEntries._from_segments(self.path, decls, calls, errors)


MAX_SEGMENTS = 24  # then the rows are moved into place once, and the list starts over


def _resegment(
    segments: list[Segment], old_lo: int, old_hi: int, line_delta: int, byte_delta: int, edit_row: int,
    new_rows: list[tuple[Any, ...]], move: Callable[[Any, int, int], Any],
) -> list[Segment] | None:
    """The segments after an edit: rows before ``old_lo`` kept, rows from ``old_hi`` on moved
    (lazily: their segment's pending move grows), ``new_rows`` in between. None when a
    moved row shares a line with the edit (its columns would move too)."""
    before: list[Segment] = []
    after: list[Segment] = []
    for rows, lines, nbytes in segments:
        cut = bisect_left(rows, old_lo - nbytes, key=lambda r: r[2][4])
        resume = bisect_left(rows, old_hi - nbytes, key=lambda r: r[2][4])
        if cut:
            before.append(Segment(rows[:cut], lines, nbytes))
        if resume < len(rows):
            if not after and rows[resume][2][0] + lines == edit_row:
                return None
            after.append(Segment(rows[resume:], lines + line_delta, nbytes + byte_delta))
    result = [*before, Segment(tuple(new_rows)), *after]
    if len(result) > MAX_SEGMENTS:
        result = [Segment(tuple(_rows(result, move)))]
    return result


def _commentish(data: bytes) -> bool:
    return b"#" in data or b"/" in data


class _Edit(NamedTuple):
    """One edit of a document: old and new byte ranges, end rows, and the new-byte range
    whose syntax changed (``lo``..``hi``, covering the edit)."""

    start: int
    old_end: int
    new_end: int
    old_end_row: int
    new_end_row: int
    lo: int
    hi: int


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
