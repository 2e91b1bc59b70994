"""Core data of sffi-lsp: positions, declarations, native symbols, findings and fixes.

Plain, immutable Python values. Nothing here knows the Language Server Protocol; the
server converts these to lsprotocol types in one place (``server/convert.py``).

Positions follow LSP: 0-based lines and UTF-16 code-unit columns. Every ``Span`` also
carries the UTF-8 byte offsets of the same range, so edits can be applied to bytes
exactly and the CLI can report 1-based columns.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple


class Position(NamedTuple):
    """A 0-based line and a 0-based column counted in UTF-16 code units."""

    line: int
    character: int


class Range(NamedTuple):
    start: Position
    end: Position


class Span(NamedTuple):
    """A range in a text file, in both LSP positions and UTF-8 byte offsets.

    A flat tuple of six integers: the index holds millions of these, so one small object
    each (and fast pickling between index workers) matters. Build one from a ``Range``
    with ``Span.of``.
    """

    start_line: int
    start_character: int
    end_line: int
    end_character: int
    start_byte: int
    end_byte: int

    @classmethod
    def of(cls, range: Range, start_byte: int, end_byte: int) -> Span:
        (sl, sc), (el, ec) = range
        return cls(sl, sc, el, ec, start_byte, end_byte)

    @property
    def start(self) -> Position:
        return Position(self.start_line, self.start_character)

    @property
    def end(self) -> Position:
        return Position(self.end_line, self.end_character)

    @property
    def range(self) -> Range:
        return Range(self.start, self.end)


@dataclass(frozen=True, slots=True)
class Location:
    path: Path
    span: Span


# --------------------------------------------------------------------------- Simple side


class DeclKind(str, enum.Enum):
    """What a Simple declaration is."""

    EXTERN_FN = "extern-fn"
    EXTERN_TYPE = "extern-type"
    EXTERN_CLASS = "extern-class"
    FN = "fn"
    CLASS = "class"


class Param(NamedTuple):
    name: str
    type: str | None
    name_span: Span
    type_span: Span | None


class Declaration(NamedTuple):
    """A declaration in a ``.spl`` file: an extern (fn, type, class) or an ordinary fn/class.

    A named tuple, like the other per-file index values: cheap to build and to pickle.
    """

    kind: DeclKind
    name: str
    path: Path
    span: Span  # the whole declaration
    name_span: Span
    params: tuple[Param, ...] = ()
    params_span: Span | None = None  # the parenthesised parameter list
    returns: str | None = None
    returns_span: Span | None = None
    doc: str | None = None
    is_pub: bool = False
    container: str | None = None  # enclosing class/struct/impl name, for methods

    @property
    def is_extern(self) -> bool:
        return self.kind in (DeclKind.EXTERN_FN, DeclKind.EXTERN_TYPE, DeclKind.EXTERN_CLASS)

    def signature(self) -> str:
        """The declaration as Simple source, normalised to one line."""
        if self.kind is DeclKind.EXTERN_TYPE:
            return f"extern type {self.name}"
        if self.kind is DeclKind.EXTERN_CLASS:
            return f"extern class {self.name}"
        params = ", ".join(f"{p.name}: {p.type}" if p.type else p.name for p in self.params)
        prefix = "extern fn" if self.kind is DeclKind.EXTERN_FN else "fn"
        ret = f" -> {self.returns}" if self.returns else ""
        return f"{prefix} {self.name}({params}){ret}"


class CallSite(NamedTuple):
    """A call ``name(...)`` whose callee is a plain identifier."""

    name: str
    path: Path
    name_span: Span
    span: Span
    arg_count: int


# --------------------------------------------------------------------------- native side


class NativeKind(str, enum.Enum):
    """Where a native symbol was found."""

    LIBRARY = "library"
    RUST_SOURCE = "rust-source"
    C_SOURCE = "c-source"
    RUNTIME_TABLE = "runtime-table"
    MANIFEST = "manifest"
    DISPATCH = "dispatch"  # a dispatch fact that is not a name: a prefix arm, an alias, a C macro


@dataclass(frozen=True, slots=True)
class NativeParam:
    name: str
    type: str


@dataclass(frozen=True, slots=True)
class NativeSymbol:
    """A symbol an ``extern fn`` could bind to.

    ``name`` is the raw (mangled) symbol name and is the key; ``demangled`` is for display.
    Library symbols carry address/size/type/binding; source symbols carry a signature,
    the span of the whole item and of its name; runtime-table rows name their ``table``
    ("interpreter" or "codegen").
    """

    name: str
    kind: NativeKind
    path: Path
    address: int | None = None
    size: int | None = None
    symbol_type: str | None = None  # FUNC, OBJECT
    binding: str | None = None  # GLOBAL, WEAK
    demangled: str | None = None
    params: tuple[NativeParam, ...] | None = None
    returns: str | None = None
    span: Span | None = None
    table: str | None = None
    language: str | None = None  # rust, c, cpp for source symbols
    name_span: Span | None = None  # the name alone; ``span`` is the whole item
    cfg: str | None = None  # a row that exists only under this cfg (``feature = "tui"``)
    family: str | None = None  # the dispatch family (module) a row or prefix arm belongs to
    detail: tuple[str, ...] = ()  # per-table extras: the row's form, an arm's exclusions, ...

    def signature(self) -> str | None:
        """The native signature as source text, when it is known."""
        if self.params is None:
            return None
        params = ", ".join(f"{p.name}: {p.type}" if p.name else p.type for p in self.params)
        if self.language == "rust":
            ret = f" -> {self.returns}" if self.returns else ""
            return f'extern "C" fn {self.name}({params}){ret}'
        if self.language in ("c", "cpp"):
            c_params = ", ".join(f"{p.type} {p.name}".strip() for p in self.params)
            return f"{self.returns or 'void'} {self.name}({c_params})"
        return f"{self.name}({params})" + (f" -> {self.returns}" if self.returns else "")


@dataclass(frozen=True, slots=True)
class LibraryInfo:
    """A compiled library or object file and what it exports."""

    path: Path
    format: str  # elf, macho, pe, archive, object
    symbols: tuple[NativeSymbol, ...]
    soname: str | None = None
    needed: tuple[str, ...] = ()
    runpath: tuple[str, ...] = ()
    rpath: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """Something that could not be read, said once, with the path and the reason."""

    path: Path
    reason: str


# --------------------------------------------------------------------------- findings


class Severity(enum.IntEnum):
    """Same order and values as LSP's DiagnosticSeverity."""

    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4


class Tag(enum.IntEnum):
    UNNECESSARY = 1
    DEPRECATED = 2


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace ``span`` in ``path`` with ``new_text``. An insertion has an empty span."""

    path: Path
    span: Span
    new_text: str


@dataclass(frozen=True, slots=True)
class CreateFile:
    """Create ``path`` with ``content`` (fixes that add a manifest, for example)."""

    path: Path
    content: str


@dataclass(frozen=True, slots=True)
class CommandRef:
    """A command the editor or CLI runs for a fix that is not a text edit (build, regenerate)."""

    title: str
    command: str
    arguments: tuple[object, ...] = ()


@dataclass(frozen=True, slots=True)
class Fix:
    """A quick fix: text edits (and file creations), or a command, never both unknown.

    ``safe`` fixes keep behaviour and are applied by ``sffi-lsp check --fix``.
    """

    title: str
    edits: tuple[TextEdit, ...] = ()
    creates: tuple[CreateFile, ...] = ()
    command: CommandRef | None = None
    safe: bool = False
    preferred: bool = False


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that explains a finding (the other declaration, the library...)."""

    path: Path
    span: Span | None
    message: str


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # SFFI001 ...
    severity: Severity
    message: str
    path: Path
    span: Span
    related: tuple[Related, ...] = ()
    fixes: tuple[Fix, ...] = ()
    tags: tuple[Tag, ...] = ()
    data: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
