"""Functions that C defines through a macro, and assembly's global labels.

``#define S1(n) int64_t n(int64_t port) { ... }`` then ``S1(rt_port_inb)`` at file
scope defines ``rt_port_inb``. The definition may sit in a header and the use in a
``.c`` file, so a file records both halves as DISPATCH facts and the resolution joins
them: ``table="c-macro"`` (``name`` = the macro, ``detail`` = (parameter index,
prefix, suffix) of the name it pastes) and ``table="c-macro-use"`` (``name`` = the
macro, ``detail`` = the arguments).

Macro uses are found by a narrow line scanner, not a query: tree-sitter parses
``S1(x)`` at file scope as a declaration, a call or an error depending on what follows,
and a line scan of ``NAME(args)`` at column 0 is both exact enough and cheap on a
5 MB generated file. Assembly has no grammar here either: ``.globl``/``.global``
names that also stand as labels are the exported functions.
"""

from __future__ import annotations

import re
from pathlib import Path

from tree_sitter import Node

from sffi_lsp.model import NativeKind, NativeSymbol
from sffi_lsp.syntax.languages import matches
from sffi_lsp.text import LineIndex

# NAME(args) alone on a line at column 0 (an optional `;`): a file-scope macro use.
_MACRO_USE = re.compile(rb"^([A-Za-z_]\w*)[ \t]*\(([^()\n]*)\)[ \t]*;?[ \t]*(?://.*)?$", re.MULTILINE)
_C_KEYWORDS = frozenset({"if", "while", "for", "switch", "return", "sizeof", "defined", "static_assert",
                         "_Static_assert", "typedef"})
_GLOBAL = re.compile(rb"^[ \t]*\.glob(?:a)?l[ \t]+([A-Za-z_.$][\w.$]*)", re.MULTILINE)
_LABEL = re.compile(rb"^[ \t]*([A-Za-z_.$][\w.$]*):", re.MULTILINE)


def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace") if node.text is not None else ""


def macro_definitions(path: Path, index: LineIndex, root: Node, language: str) -> list[NativeSymbol]:
    """Function-like macros whose body defines a function named by a parameter."""
    found = []
    for _, caps in matches(language, "macros", root):
        params = [_text(p) for p in caps["params"][0].named_children if p.type == "identifier"]
        body = _text(caps["body"][0])
        if "{" not in body:
            continue
        for position, param in enumerate(params):
            # A type (or `*`) before it, optional `prefix ##` / `## suffix`, then `(`, and a
            # body after: `int64_t n(...) {`, `ret rt_##n(void) {`.
            pattern = re.compile(
                rf"[\w*][\s*]+(?:(\w+)\s*##\s*)?\b{re.escape(param)}\b(?:\s*##\s*(\w+))?\s*\([^{{;]*\)\s*\{{"
            )
            hit = pattern.search(body)
            if hit is None:
                continue
            node = caps["macro"][0]
            name = caps["name"][0]
            found.append(NativeSymbol(
                _text(name), NativeKind.DISPATCH, path, table="c-macro", language=language,
                detail=(str(position), hit.group(1) or "", hit.group(2) or ""),
                span=index.span(node.start_byte, node.end_byte),
                name_span=index.span(name.start_byte, name.end_byte),
            ))
            break
    return found


def macro_uses(data: bytes, path: Path, index: LineIndex, language: str) -> list[NativeSymbol]:
    """``NAME(args)`` lines at file scope (column 0): candidate macro-made definitions."""
    found = []
    for hit in _MACRO_USE.finditer(data):
        macro = hit.group(1).decode("utf-8", "replace")
        if macro in _C_KEYWORDS:
            continue
        args = tuple(a.strip() for a in hit.group(2).decode("utf-8", "replace").split(","))
        if not all(re.fullmatch(r"[\w\s*]*", a) for a in args):
            continue  # odd tokens: not a definition we can name
        found.append(NativeSymbol(
            macro, NativeKind.DISPATCH, path, table="c-macro-use", language=language, detail=args,
            span=index.span(hit.start(), hit.end()), name_span=index.span(hit.start(1), hit.end(1)),
        ))
    return found


def expand(definition: NativeSymbol, use: NativeSymbol) -> str | None:
    """The function name ``use`` defines through ``definition``, or None."""
    position, prefix, suffix = definition.detail
    args = use.detail
    index = int(position)
    if index >= len(args) or not re.fullmatch(r"[A-Za-z_]\w*", args[index]):
        return None
    return f"{prefix}{args[index]}{suffix}"


def assembly_symbols(data: bytes, path: Path) -> list[NativeSymbol]:
    """``.globl name`` / ``.global name`` with a ``name:`` label in the same file."""
    index = LineIndex(data)
    labels = {m.group(1) for m in _LABEL.finditer(data)}
    found = []
    for hit in _GLOBAL.finditer(data):
        name = hit.group(1)
        if name not in labels:
            continue
        found.append(NativeSymbol(
            name.decode("utf-8", "replace"), NativeKind.C_SOURCE, path, language="asm", symbol_type="FUNC",
            span=index.span(hit.start(), hit.end()), name_span=index.span(hit.start(1), hit.end(1)),
        ))
    return found
