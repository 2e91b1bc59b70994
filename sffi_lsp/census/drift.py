"""Arity and type drift of one name across its contracts: the codegen row
(``RuntimeFuncSpec``, multi-line rows included — the index reads them), its Rust and C
definitions, and its ``.spl`` declarations. The job of the Simple repository's
``check-extern-abi-signatures.shs``, on the index instead of grep.

Types are compared by class: integer, float, pointer. A 64-bit integer (``I64``, ``i64``,
``int64_t``, ``usize``...) may carry a pointer, as Simple's handles do, so it agrees with
a pointer; a narrower integer does not. ``void`` against a value is drift between two
native contracts (row, Rust, C), and where a declaration expects a value the contract
does not return; a declaration that ignores a returned value is fine. A type this
module cannot classify (a struct, a Simple class) is not compared.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sffi_lsp.model import Declaration, NativeKind, NativeSymbol

INT, WORD, FLOAT, POINTER, VOID = "int", "word", "float", "pointer", "void"
_CLASS_WORDS = {INT: "integer", WORD: "integer", FLOAT: "float", POINTER: "pointer", VOID: "void"}

_CODEGEN = {"I64": WORD, "I32": INT, "I16": INT, "I8": INT, "F64": FLOAT, "F32": FLOAT}
_RUST_WORD = {"i64", "u64", "isize", "usize", "c_long", "c_ulong", "c_longlong", "c_ulonglong"}
_RUST_INT = {"i8", "i16", "i32", "u8", "u16", "u32", "bool", "c_int", "c_uint", "c_char", "c_uchar", "c_schar",
             "c_short", "c_ushort", "char"}
_RUST_FLOAT = {"f32", "f64", "c_float", "c_double"}
_C_WORD = {"int64_t", "uint64_t", "long", "unsigned long", "long long", "unsigned long long", "size_t", "ssize_t",
           "intptr_t", "uintptr_t", "ptrdiff_t", "off_t", "long int", "long unsigned int", "unsigned long int",
           "long long int", "signed long", "intmax_t", "uintmax_t", "u64", "i64", "uint64", "int64"}
_C_INT = {"int", "unsigned", "unsigned int", "signed", "signed int", "short", "unsigned short", "short int", "char",
          "signed char", "unsigned char", "bool", "_Bool", "int8_t", "int16_t", "int32_t", "uint8_t", "uint16_t",
          "uint32_t", "u8", "u16", "u32", "i8", "i16", "i32"}
_C_FLOAT = {"float", "double", "long double"}
_SIMPLE_WORD = {"i64", "u64", "int", "isize", "usize", "uint"}
_SIMPLE_INT = {"i32", "i16", "i8", "u32", "u16", "u8", "bool", "char"}
_SIMPLE_FLOAT = {"f64", "f32", "float"}
_SIMPLE_POINTER = {"text", "str", "string", "ptr", "cstr"}
_C_QUALIFIERS = re.compile(r"\b(const|volatile|restrict|__restrict|__restrict__|extern|static|inline|register|"
                           r"struct|enum|union)\b")


def codegen_class(kind: str | None) -> str | None:
    if kind is None or kind.strip() in ("", "()", "&[]"):
        return VOID
    return _CODEGEN.get(kind.strip())


def rust_class(rust: str | None) -> str | None:
    if rust is None:
        return VOID
    t = re.sub(r"\b(?:std|core|libc)::(?:os::raw::|ffi::)?", "", rust).strip()
    if t in ("", "()"):
        return VOID
    if t.startswith(("*", "&", "Option<&", "Option<extern", "Option<unsafe", "extern ", "unsafe extern", "fn(")) \
            or "NonNull<" in t or t.startswith("Box<"):
        return POINTER
    if t in _RUST_WORD:
        return WORD
    if t in _RUST_INT:
        return INT
    if t in _RUST_FLOAT:
        return FLOAT
    return None


def c_class(c: str | None) -> str | None:
    if c is None:
        return VOID
    if "*" in c or "[" in c:
        return POINTER
    t = " ".join(_C_QUALIFIERS.sub(" ", c).split())
    if t in ("", "void"):
        return VOID
    if t in _C_WORD:
        return WORD
    if t in _C_INT:
        return INT
    if t in _C_FLOAT:
        return FLOAT
    return None


def simple_class(simple: str | None, opaque: frozenset[str] = frozenset()) -> str | None:
    if simple is None:
        return VOID
    t = simple.strip()
    if t in ("", "void", "()"):
        return VOID
    if t in _SIMPLE_WORD or t in opaque:
        return WORD
    if t in _SIMPLE_INT:
        return INT
    if t in _SIMPLE_FLOAT:
        return FLOAT
    if t in _SIMPLE_POINTER or t.startswith("[") or (t.endswith("?") and t[:-1] in _SIMPLE_POINTER):
        return POINTER
    return None


@dataclass(frozen=True, slots=True)
class Shape:
    """One contract's view of a name: parameter classes (None: unknown) and return class."""

    source: str  # "codegen row", "Rust definition", "C definition", "declaration"
    path: Path
    line: int  # 1-based; 0 when unknown
    params: tuple[str | None, ...]
    returns: str | None
    native: bool  # a native contract (row or definition), not a Simple declaration


def _agree(a: str | None, b: str | None) -> bool:
    if a is None or b is None or a == b:
        return True
    pair = {a, b}
    return pair == {WORD, POINTER} or pair == {WORD, INT}


def _returns_agree(a: Shape, b: Shape) -> bool:
    if a.returns is None or b.returns is None:
        return True
    if (a.returns == VOID) != (b.returns == VOID):
        if a.native == b.native:
            return False
        declaration = b if a.native else a
        return declaration.returns == VOID  # ignoring a returned value is fine; expecting one is not
    return _agree(a.returns, b.returns)


def compare(shapes: Sequence[Shape], relative: Callable[[Path], str] = str) -> tuple[str, str] | None:
    """The first disagreement among ``shapes`` as (kind, words), kind being ``arity``,
    ``type`` or ``return``; None when they agree. ``relative`` shows a path."""

    def _describe(shape: Shape) -> str:
        return f"the {shape.source} ({relative(shape.path)}:{shape.line})"

    for i, a in enumerate(shapes):
        for b in shapes[i + 1:]:
            if len(a.params) != len(b.params):
                return "arity", (f"{_describe(a)} takes {len(a.params)}, "
                                 f"{_describe(b)} takes {len(b.params)}")
            for n, (x, y) in enumerate(zip(a.params, b.params, strict=True), start=1):
                if not _agree(x, y):
                    assert x is not None and y is not None
                    return "type", (f"parameter {n} is {_CLASS_WORDS[x]} in {_describe(a)}, "
                                    f"{_CLASS_WORDS[y]} in {_describe(b)}")
            if not _returns_agree(a, b):
                assert a.returns is not None and b.returns is not None
                return "return", (f"{_describe(a)} returns {_CLASS_WORDS[a.returns]}, "
                                  f"{_describe(b)} returns {_CLASS_WORDS[b.returns]}")
    return None


def native_shape(symbol: NativeSymbol) -> Shape | None:
    """The shape of a codegen row or a Rust/C definition (None for other symbols)."""
    if symbol.params is None:
        return None
    anchor = symbol.name_span or symbol.span
    where = (symbol.path, anchor.start_line + 1 if anchor is not None else 0)
    if symbol.kind is NativeKind.RUNTIME_TABLE and symbol.table == "codegen":
        return Shape("codegen row", *where, tuple(codegen_class(p.type) for p in symbol.params),
                     codegen_class(symbol.returns), True)
    if symbol.kind is NativeKind.RUST_SOURCE:
        return Shape("Rust definition", *where, tuple(rust_class(p.type) for p in symbol.params),
                     rust_class(symbol.returns), True)
    if symbol.kind is NativeKind.C_SOURCE and symbol.language in ("c", "cpp") and symbol.symbol_type != "declaration":
        params = [p for p in symbol.params if p.type.strip() != "void" and p.type.strip() != "..."]
        if any(p.type.strip() == "..." for p in symbol.params):
            return None  # variadic: any arity
        return Shape("C definition", *where, tuple(c_class(p.type) for p in params), c_class(symbol.returns), True)
    return None


def declaration_shape(decl: Declaration, opaque: frozenset[str]) -> Shape | None:
    if any(p.type is None for p in decl.params):
        return None
    params = tuple(simple_class(p.type, opaque) for p in decl.params)
    return Shape("declaration", decl.path, decl.name_span.start_line + 1, params,
                 simple_class(decl.returns, opaque), False)


def distinct(shapes: Iterable[Shape]) -> list[Shape]:
    """One shape per (source, params, returns): identical redeclarations are one."""
    seen: dict[tuple[str, tuple[str | None, ...], str | None], Shape] = {}
    for shape in shapes:
        seen.setdefault((shape.source, shape.params, shape.returns), shape)
    return list(seen.values())
