"""Native symbols declared in source: Tier 1 Rust exports, C/C++ functions with C
linkage, and the rows of the runtime's own extern tables.

Everything is found by the queries in ``queries/{rust,c,cpp}/``; Python only reads the
fields of the captured nodes.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from pathlib import Path

from tree_sitter import Node

from sffi_lsp.index.natives.c_macros import assembly_symbols, macro_definitions, macro_uses
from sffi_lsp.index.natives.dispatch import dispatch_facts
from sffi_lsp.model import NativeKind, NativeParam, NativeSymbol
from sffi_lsp.syntax.languages import captures, matches, parser
from sffi_lsp.text import LineIndex

log = logging.getLogger(__name__)

C_ABIS = ('"C"', '"C-unwind"')
_SPACES = re.compile(r"\s+")
_TYPE_NOISE = ("storage_class_specifier", "attribute_specifier", "attribute_declaration",
               "ms_declspec_modifier", "virtual", "explicit_function_specifier")


def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace") if node.text is not None else ""


def _tidy(text: str) -> str:
    """Source text on one line: whitespace runs become one space."""
    return _SPACES.sub(" ", text).strip()


def _symbol(
    name: str, kind: NativeKind, path: Path, index: LineIndex, item: Node, name_node: Node,
    params: tuple[NativeParam, ...] | None, returns: str | None, language: str | None, table: str | None = None,
) -> NativeSymbol:
    return NativeSymbol(
        name, kind, path, params=params, returns=returns, language=language, table=table,
        span=index.span_from_points(item.start_byte, item.end_byte, item.start_point, item.end_point),
        name_span=index.span_from_points(
            name_node.start_byte, name_node.end_byte, name_node.start_point, name_node.end_point
        ),
    )


# --------------------------------------------------------------------------- Rust


_EXPORT_NAME = re.compile(r'^#\[(?:unsafe\()?export_name="((?:[^"\\]|\\.)*)"\)?\]$')


def _exported_name(function: Node, name: str) -> str | None:
    """The symbol the attributes right before ``function`` export it as: its own name for
    ``#[no_mangle]`` / ``#[unsafe(no_mangle)]``, ``x`` for ``#[export_name = "x"]``."""
    sibling = function.prev_named_sibling
    while sibling is not None and sibling.type in ("attribute_item", "line_comment", "block_comment"):
        if sibling.type == "attribute_item":
            text = _SPACES.sub("", _text(sibling))
            if text in ("#[no_mangle]", "#[unsafe(no_mangle)]"):
                return name
            exported = _EXPORT_NAME.match(text)
            if exported:
                return exported.group(1)
        sibling = sibling.prev_named_sibling
    return None


def rust_exports(
    data: bytes, path: Path, index: LineIndex | None = None, tree_root: Node | None = None
) -> list[NativeSymbol]:
    """``#[no_mangle] pub extern "C" fn`` items (also ``unsafe`` and ``#[unsafe(no_mangle)]``),
    and ``#[export_name = "x"]`` ones under the name ``x``."""
    index = index or LineIndex(data)
    root = tree_root or parser("rust").parse(data).root_node
    found = []
    for _, caps in matches("rust", "exports", root):
        function = caps["function"][0]
        if not _text(caps["visibility"][0]).startswith("pub") or _text(caps["abi"][0]) not in C_ABIS:
            continue
        exported = _exported_name(function, _text(caps["name"][0]))
        if exported is None:
            continue
        params = []
        for param in caps["params"][0].named_children:
            if param.type == "parameter":
                pattern = param.child_by_field_name("pattern")
                type_node = param.child_by_field_name("type")
                params.append(NativeParam(_text(pattern) if pattern else "",
                                          _tidy(_text(type_node)) if type_node else ""))
            elif param.type == "variadic_parameter":
                params.append(NativeParam("", "..."))
        ret = function.child_by_field_name("return_type")
        name_node = caps["name"][0]
        found.append(_symbol(
            exported, NativeKind.RUST_SOURCE, path, index, function, name_node,
            tuple(params), _tidy(_text(ret)) if ret else None, "rust",
        ))
    return found


def _abi_types(node: Node) -> tuple[str, ...]:
    """``&[I64, F64]`` / ``&[I64; 3]`` / ``&[]`` -> the element types as written."""
    while node.type == "reference_expression":
        value = node.child_by_field_name("value")
        if value is None:
            return ()
        node = value
    if node.type == "token_tree":  # inside a macro: `[I64, F64]` or `[I64; 3]` as tokens
        names = [_text(c) for c in node.named_children if c.type == "identifier"]
        counts = [c for c in node.named_children if c.type == "integer_literal"]
        if len(names) == 1 and counts:
            try:
                return (names[0],) * int(_text(counts[0]).replace("_", ""))
            except ValueError:
                pass
        return tuple(names)
    if node.type != "array_expression":
        return (_tidy(_text(node)),)
    length = node.child_by_field_name("length")
    elements = [c for c in node.named_children if c != length and not c.type.endswith("comment")]
    if length is not None and elements:
        try:
            return (_tidy(_text(elements[0])),) * int(_text(length).replace("_", ""))
        except ValueError:
            return (_tidy(_text(elements[0])),)
    return tuple(_tidy(_text(e)) for e in elements)


def _string_value(node: Node) -> str:
    content = [c for c in node.named_children if c.type == "string_content"]
    return _text(content[0]) if content else _text(node).strip('"')


def runtime_table_rows(
    data: bytes, path: Path, index: LineIndex | None = None, tree_root: Node | None = None
) -> list[NativeSymbol]:
    """``RuntimeFuncSpec::new(..)`` rows (table "codegen"); the interpreter's rows are
    ``dispatch.dispatch_facts``'s."""
    if b"RuntimeFuncSpec" not in data:
        return []
    index = index or LineIndex(data)
    root = tree_root or parser("rust").parse(data).root_node
    found = []
    for _, caps in matches("rust", "runtime_tables", root):
        name_node = caps["name"][0]
        name = _string_value(name_node)
        params = tuple(NativeParam("", t) for t in _abi_types(caps["params"][0]))
        returns = _abi_types(caps["returns"][0])
        found.append(_symbol(name, NativeKind.RUNTIME_TABLE, path, index, caps["codegen"][0], name_node,
                             params, returns[0] if returns else None, None, "codegen"))
    return found


# --------------------------------------------------------------------------- C / C++


def _innermost_identifier(node: Node | None) -> Node | None:
    while node is not None and node.type not in ("identifier", "field_identifier"):
        node = node.child_by_field_name("declarator")
    return node


def _c_params(params_node: Node) -> tuple[NativeParam, ...]:
    params = []
    for param in params_node.named_children:
        if param.type == "variadic_parameter":
            params.append(NativeParam("", "..."))
            continue
        if param.type not in ("parameter_declaration", "optional_parameter_declaration"):
            continue
        text = _text(param)
        ident = _innermost_identifier(param.child_by_field_name("declarator"))
        if ident is None:
            if _tidy(text) == "void" and len(params_node.named_children) == 1:
                return ()
            params.append(NativeParam("", _tidy(text)))
            continue
        start = ident.start_byte - param.start_byte
        end = ident.end_byte - param.start_byte
        raw = param.text or b""
        type_text = (raw[:start] + raw[end:]).decode("utf-8", "replace")
        params.append(NativeParam(_text(ident), _tidy(type_text).replace(" *", "*").replace("*", " *").strip()))
    return tuple(params)


def _c_return_type(function: Node, name_node: Node) -> str:
    start = None
    for child in function.children:
        if child.start_byte >= name_node.start_byte:
            break
        if child.type in _TYPE_NOISE or (child.type == "type_qualifier" and _text(child) == "inline"):
            continue
        if start is None:
            start = child.start_byte
    if start is None:
        return "int"
    raw = (function.text or b"")[start - function.start_byte : name_node.start_byte - function.start_byte]
    return _tidy(raw.decode("utf-8", "replace")).replace(" *", "*").replace("*", " *").strip()


def c_functions(data: bytes, path: Path, language: str, index: LineIndex | None = None) -> list[NativeSymbol]:
    """Functions with external C linkage declared or defined in a C/C++ file.

    C: every function that is not ``static``. C++: only those inside ``extern "C"``
    (elsewhere the symbol name is mangled and cannot be an extern's target by name).
    """
    index = index or LineIndex(data)
    root = parser(language).parse(data).root_node
    found_matches = matches(language, "functions", root)
    c_blocks = [
        (caps["linkage"][0].start_byte, caps["linkage"][0].end_byte)
        for _, caps in found_matches
        if "linkage" in caps and _text(caps["abi"][0]) in C_ABIS
    ]
    aliased = [a.parent for a in captures(language, "aliases", root).get("attribute", []) if a.parent]
    found = []
    seen: set[tuple[str, int]] = set()
    for _, caps in found_matches:
        if "function" not in caps:
            continue
        function = caps["function"][0]
        # A definition, or a declaration made one by __attribute__((alias("x"))).
        defined = function.type == "function_definition" or any(
            function.start_byte <= a.start_byte and a.end_byte <= function.end_byte for a in aliased)
        if any(_text(c) == "static" for c in function.children if c.type == "storage_class_specifier"):
            continue
        if language == "cpp" and not any(s <= function.start_byte and function.end_byte <= e for s, e in c_blocks):
            continue
        name_node = caps["name"][0]
        key = (_text(name_node), function.start_byte)
        if key in seen:
            continue
        seen.add(key)
        symbol = _symbol(
            key[0], NativeKind.C_SOURCE, path, index, function, name_node,
            _c_params(caps["params"][0]), _c_return_type(function, name_node), language,
        )
        found.append(replace(symbol, symbol_type="FUNC" if defined else "declaration"))
    found += macro_definitions(path, index, root, language)
    found += macro_uses(data, path, index, language)
    _log_errors(path, root)
    return found


def _log_errors(path: Path, root: Node) -> None:
    """One log line for a file with syntax errors: what could be read was read."""
    if root.has_error:
        log.info("%s: syntax errors; rows and definitions read where readable, the rest skipped", path)


def source_symbols(path: Path, data: bytes, language: str) -> tuple[NativeSymbol, ...]:
    """All native symbols one source file declares (``language``: rust, c, cpp or asm)."""
    if language == "asm":
        return tuple(assembly_symbols(data, path))
    index = LineIndex(data)
    if language == "rust":
        root = parser("rust").parse(data).root_node
        exports = rust_exports(data, path, index, root) if b"extern" in data else []
        facts = dispatch_facts(data, path, index, root)
        _log_errors(path, root)
        return tuple(exports + runtime_table_rows(data, path, index, root) + facts)
    return tuple(c_functions(data, path, language, index))
