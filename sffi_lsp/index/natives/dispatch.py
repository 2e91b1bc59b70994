"""The runtime's dispatch facts in its Rust sources (SFFI.md section 4.1 and 4.2).

From one Rust file, as ``NativeSymbol`` values (``kind`` RUNTIME_TABLE for rows that name
an extern, DISPATCH for facts that do not):

- interpreter rows (``table="interpreter"``): ``insert_simple!("name", ..)``,
  ``m.insert("name", (..) as ExternHandler)``, exact-name arms ``name == "a"``;
- family rows (``table="family"``, ``family`` = the module): rows of a static row table
  (``SDL2_FNS``) and string arms of ``match name { "a" | "b" => .. }``;
- prefix arms (``table="prefix-arm"``, ``name`` = the prefix, ``detail`` = exclusions,
  ``family`` = the module the arm calls; a leading ``"guarded"`` detail when another
  guard such as ``vulkan::signature_of(name).is_some()`` must pass too);
- capability-gap families (``table="capability-gap"``, ``family`` = the label),
  satellite prefixes (``table="satellite-prefix"``), codegen aliases
  (``table="alias"``, ``detail`` = the target).

Rows under ``#[cfg(..)]`` carry the predicate in ``cfg``; nothing inside a
``#[cfg(test)]`` item is a row. Everything is found by the queries in ``queries/rust/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from tree_sitter import Node

from sffi_lsp.model import NativeKind, NativeSymbol
from sffi_lsp.syntax.languages import captures, matches
from sffi_lsp.text import LineIndex

CAPABILITY_GAP_TABLE = "CAPABILITY_GAP_FAMILIES"
SATELLITE_TABLE = "SATELLITE_PREFIXES"
# Byte markers that a file may hold each kind of fact (cheap filters before a query).
_MARKERS = (b"insert_simple", b"ExternHandler", b"starts_with", b"name ==", b"match name",
            b"_FNS", CAPABILITY_GAP_TABLE.encode(), SATELLITE_TABLE.encode(), b"sffi_alias_target")


class _Add(Protocol):
    def __call__(self, name: str, kind: NativeKind, table: str, item: Node, name_node: Node, *,
                 family: str | None = None, detail: tuple[str, ...] = ()) -> None: ...


def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace") if node.text is not None else ""


def _string(node: Node) -> str:
    content = [c for c in node.named_children if c.type == "string_content"]
    return _text(content[0]) if content else _text(node).strip('"')


class _Cfg:
    """The ``#[cfg(..)]`` regions of one file: byte ranges of the attributed items."""

    def __init__(self, root: Node) -> None:
        self.regions: list[tuple[int, int, str]] = []
        self.test_regions: list[tuple[int, int]] = []
        for attribute in captures("rust", "cfg", root).get("attribute", []):
            target = attribute.next_named_sibling
            while target is not None and target.type in ("attribute_item", "line_comment", "block_comment"):
                target = target.next_named_sibling
            if target is None:
                continue
            predicate = " ".join(_text(attribute).removeprefix("#[cfg(").removesuffix(")]").split())
            if predicate == "test" or predicate.startswith("all(test"):
                self.test_regions.append((target.start_byte, target.end_byte))
            else:
                self.regions.append((target.start_byte, target.end_byte, predicate))

    def in_test(self, node: Node) -> bool:
        return any(s <= node.start_byte < e for s, e in self.test_regions)

    def of(self, node: Node) -> str | None:
        """The innermost cfg predicate around ``node``."""
        best: tuple[int, str] | None = None
        for start, end, predicate in self.regions:
            if start <= node.start_byte < end and (best is None or start > best[0]):
                best = (start, predicate)
        return best[1] if best else None


def feature_of(cfg: str | None) -> str | None:
    """``tui`` for ``feature = "tui"``; the predicate itself for any other cfg."""
    if cfg is None:
        return None
    if cfg.startswith("feature") and '"' in cfg:
        return cfg.split('"')[1]
    return cfg


def dispatch_facts(data: bytes, path: Path, index: LineIndex, root: Node) -> list[NativeSymbol]:
    """Every dispatch fact of one Rust file (empty when it holds none)."""
    if not any(marker in data for marker in _MARKERS):
        return []
    cfg = _Cfg(root)
    module = path.stem if path.stem != "mod" else path.parent.name
    found: list[NativeSymbol] = []

    def add(name: str, kind: NativeKind, table: str, item: Node, name_node: Node, *,
            family: str | None = None, detail: tuple[str, ...] = ()) -> None:
        if cfg.in_test(item):
            return
        found.append(NativeSymbol(
            name, kind, path, table=table, family=family, detail=detail, cfg=cfg.of(item),
            span=index.span_from_points(item.start_byte, item.end_byte, item.start_point, item.end_point),
            name_span=index.span_from_points(name_node.start_byte, name_node.end_byte,
                                             name_node.start_point, name_node.end_point),
        ))

    if b"insert_simple" in data or b"ExternHandler" in data:
        for _, caps in matches("rust", "interpreter_rows", root):
            form = "insert_simple" if "insert_simple" in caps else "m.insert"
            item = caps["insert_simple" if form == "insert_simple" else "map_insert"][0]
            name_node = caps["name"][0]
            add(_string(name_node), NativeKind.RUNTIME_TABLE, "interpreter", item, name_node, detail=(form,))

    aliases = captures("rust", "aliases", root) if b"sffi_alias_target" in data else {}
    alias_functions = [(f.start_byte, f.end_byte) for f in aliases.get("alias_fn", [])]
    if b"starts_with" in data or b"name ==" in data or b"match name" in data:
        dispatcher = any(s.table == "interpreter" for s in found)
        _prefix_dispatch(root, module, add, dispatcher, alias_functions)

    if b"_FNS" in data or CAPABILITY_GAP_TABLE.encode() in data or SATELLITE_TABLE.encode() in data:
        for _, caps in matches("rust", "row_tables", root):
            if "table" in caps:
                table = _text(caps["table"][0])
                row = caps["row"][0]
                tuple_node = row.parent or row
                if table == CAPABILITY_GAP_TABLE:
                    fields = [c for c in tuple_node.named_children if c.type == "string_literal"]
                    label = _string(fields[1]) if len(fields) > 1 else _string(row).rstrip("_")
                    add(_string(row), NativeKind.DISPATCH, "capability-gap", tuple_node, row, family=label)
                elif table.endswith("_FNS"):
                    add(_string(row), NativeKind.RUNTIME_TABLE, "family", tuple_node, row,
                        family=module, detail=(table,))
            elif _text(caps["list"][0]) == SATELLITE_TABLE:
                item = caps["item"][0]
                add(_string(item), NativeKind.DISPATCH, "satellite-prefix", item, item)

    if alias_functions:
        for arm, source, target in zip(aliases.get("alias", []), aliases.get("from", []), aliases.get("to", []),
                                       strict=False):
            if any(s <= arm.start_byte < e for s, e in alias_functions):
                add(_string(source), NativeKind.DISPATCH, "alias", arm, source, detail=(_string(target),))
    return found


def _prefix_dispatch(root: Node, module: str, add: _Add, dispatcher: bool, skip: list[tuple[int, int]]) -> None:
    """Prefix arms, exact-name arms and ``match name`` rows of the dispatch function."""
    result = captures("rust", "prefix_dispatch", root)
    arms = [a for a in result.get("arm", []) if _has_name_test(a, result)]
    conditions: dict[int, Node | None] = {a.id: a.child_by_field_name("condition") for a in arms}
    bodies: dict[int, Node | None] = {a.id: a.child_by_field_name("consequence") for a in arms}

    def inside(node: Node, outer: Node | None) -> bool:
        return outer is not None and outer.start_byte <= node.start_byte and node.end_byte <= outer.end_byte

    def arm_family(arm: Node) -> str | None:
        body = bodies[arm.id]
        for call in result.get("module", []):
            if inside(call, body):
                return _text(call)
        return None

    def innermost_arm(node: Node) -> Node | None:
        best: Node | None = None
        for arm in arms:
            if inside(node, bodies[arm.id]) and (best is None or arm.start_byte > best.start_byte):
                best = arm
        return best

    for arm in arms:
        condition = conditions[arm.id]
        prefixes = [p for p in result.get("prefix", []) if inside(p, condition)]
        excluded = tuple(_string(e) for e in result.get("excluded", []) if inside(e, condition))
        prefixes = [p for p in prefixes if _string(p) not in excluded]
        guarded = any(inside(g, condition) for g in result.get("guard", []))
        family = arm_family(arm)
        for prefix in prefixes:
            detail = (("guarded",) if guarded else ()) + excluded
            add(_string(prefix), NativeKind.DISPATCH, "prefix-arm", arm, prefix,
                family=family or _string(prefix), detail=detail)
        for exact in result.get("exact", []):
            if inside(exact, condition):
                add(_string(exact), NativeKind.RUNTIME_TABLE, "interpreter", arm, exact,
                    detail=("exact-arm",))
    for row in result.get("match_row", []):
        if any(s <= row.start_byte < e for s, e in skip):
            continue
        owner = innermost_arm(row)
        if owner is None and dispatcher:  # the dispatcher's own fallback match: interpreter rows
            add(_string(row), NativeKind.RUNTIME_TABLE, "interpreter", row, row, detail=("match",))
            continue
        family = module
        if owner is not None:
            family = arm_family(owner) or next(
                (_string(p) for p in result.get("prefix", []) if inside(p, conditions[owner.id])), module)
        add(_string(row), NativeKind.RUNTIME_TABLE, "family", row, row, family=family, detail=("match",))


def _has_name_test(arm: Node, result: dict[str, list[Node]]) -> bool:
    condition = arm.child_by_field_name("condition")
    if condition is None:
        return False
    return any(
        condition.start_byte <= n.start_byte and n.end_byte <= condition.end_byte
        for key in ("prefix", "exact") for n in result.get(key, [])
    )
