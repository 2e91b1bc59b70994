"""Fixes that declare a native symbol in Simple: derive the `extern fn` from Tier 1 and
insert it where its siblings are declared."""

from __future__ import annotations

import re
from pathlib import Path
from weakref import WeakKeyDictionary

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.model import Fix, NativeKind, NativeSymbol, TextEdit

_RUST_TO_SIMPLE = {
    "i64": "i64", "i32": "i32", "i16": "i32", "i8": "i32", "u64": "u64", "u32": "u32",
    "u16": "u32", "u8": "u8", "f64": "f64", "f32": "f32", "bool": "bool",
    "usize": "i64", "isize": "i64", "c_int": "i32", "c_long": "i64", "c_double": "f64",
    "int": "i32", "long": "i64", "double": "f64", "float": "f32", "int64_t": "i64",
    "int32_t": "i32", "uint64_t": "u64", "uint32_t": "u32", "uint8_t": "u8", "size_t": "i64",
}


_C_CHAR = re.compile(r"(\* (const|mut) )?(std::os::raw::|core::ffi::|libc::|std::ffi::)?c_char|(const )?char \*")


def simple_type_of_native(native: str) -> str:
    """The Simple type for a Tier 1 (Rust or C) parameter type."""
    compact = " ".join(native.replace("*", " * ").split())
    if _C_CHAR.fullmatch(compact):
        return "text"
    if re.fullmatch(r"\* const (i64|f64)", compact):
        return f"[{compact.split()[-1]}]"
    if "*" in compact:
        return "i64"  # an opaque pointer travels as an i64 handle
    base = compact.split("::")[-1]
    return _RUST_TO_SIMPLE.get(base, "i64")


def simple_declaration(symbol: NativeSymbol) -> str | None:
    """``extern fn name(params) -> T`` for a Tier 1 source symbol, or None without a signature."""
    if symbol.params is None:
        return None
    params = []
    skip_next = False
    native_params = list(symbol.params)
    for i, param in enumerate(native_params):
        if skip_next:
            skip_next = False
            continue
        simple = simple_type_of_native(param.type)
        # cpp backend arrays: a pointer followed by its `<name>_len: usize`
        nxt = native_params[i + 1] if i + 1 < len(native_params) else None
        if simple.startswith("[") and nxt is not None and nxt.name == f"{param.name}_len":
            skip_next = True
        params.append(f"{param.name or f'arg{i}'}: {simple}")
    returns = symbol.returns
    ret = ""
    if returns and returns.strip() not in ("()", "void"):
        ret = f" -> {simple_type_of_native(returns)}"
    return f"extern fn {symbol.name}({', '.join(params)}){ret}"


def source_definition(ctx: CheckContext, name: str) -> NativeSymbol | None:
    for symbol in ctx.project.natives.lookup(name):
        if symbol.kind in (NativeKind.RUST_SOURCE, NativeKind.C_SOURCE) and symbol.params is not None:
            return symbol
    return None


def _family(name: str) -> str:
    """``rt_bitset_`` for ``rt_bitset_new``: names declared together."""
    parts = name.split("_")
    return "_".join(parts[:2]) + "_" if len(parts) > 2 else name


# ctx -> family prefix -> the externs of that family by file (one pass per context, not per name)
_FAMILIES: WeakKeyDictionary[CheckContext, dict[str, dict[Path, list]]] = WeakKeyDictionary()


def _family_files(ctx: CheckContext, family: str) -> dict[Path, list]:
    if not family.endswith("_"):  # a two-part name: every extern that starts with it
        by_file: dict[Path, list] = {}
        for decl in ctx.extern_functions:
            if decl.name.startswith(family):
                by_file.setdefault(decl.path, []).append(decl)
        return by_file
    index = _FAMILIES.get(ctx)
    if index is None:
        index = {}
        for decl in ctx.extern_functions:
            index.setdefault(_family(decl.name), {}).setdefault(decl.path, []).append(decl)
        _FAMILIES[ctx] = index
    return index.get(family, {})


def insertion_point(ctx: CheckContext, name: str) -> tuple[Path, int] | None:
    """The file and byte offset after the last extern of the same family (most declared file)."""
    by_file = _family_files(ctx, _family(name))
    if not by_file:
        return None
    path = max(sorted(by_file), key=lambda p: len(by_file[p]))
    last = max(by_file[path], key=lambda d: d.span.end_byte)
    index = ctx.lines(path)
    line = last.span.end.line
    offset = index.line_starts[line + 1] if line + 1 < index.line_count else len(index.data)
    return path, offset


def declare_fix(ctx: CheckContext, name: str) -> Fix | None:
    """Insert the extern declaration for ``name``, derived from its Tier 1 definition."""
    symbol = source_definition(ctx, name)
    if symbol is None:
        return None
    text = simple_declaration(symbol)
    point = insertion_point(ctx, name)
    if text is None or point is None:
        return None
    path, offset = point
    index = ctx.lines(path)
    prefix = "" if offset == 0 or index.data[offset - 1 : offset] == b"\n" else "\n"
    return Fix(
        title=f"Declare `{text}` in {ctx.project.relative(path)}",
        edits=(TextEdit(path, index.span(offset, offset), f"{prefix}{text}\n"),),
        safe=True, preferred=True,
    )
