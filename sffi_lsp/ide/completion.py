"""Completion of extern names: native symbols not declared yet in an ``extern fn``
name position, declared externs at a call site."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.declare import simple_declaration
from sffi_lsp.model import NativeKind

_EXTERN_NAME = re.compile(r"^\s*(?:pub\s+)?extern\s+(?:async\s+)?fn\s+([A-Za-z0-9_]*)$")
_CALL_NAME = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)$")


@dataclass(frozen=True)
class CompletionEntry:
    label: str
    kind: str  # "function" (an extern to call) or "snippet" (a declaration to insert)
    detail: str
    insert_text: str
    snippet: bool = False
    documentation: str = ""
    replace_prefix: str = ""  # the typed text the item replaces


def _snippet_of(declaration: str, name: str) -> str:
    """``extern fn rt_x(a: i64) -> i64`` -> ``rt_x(${1:a: i64}) -> i64`` (the name on)."""
    rest = declaration.split(name, 1)[1]
    m = re.match(r"\((.*)\)(.*)", rest)
    if m is None:
        return name + rest
    params = [p.strip() for p in m.group(1).split(",") if p.strip()]
    body = ", ".join(f"${{{i + 1}:{p.replace('}', '')}}}" for i, p in enumerate(params))
    return f"{name}({body}){m.group(2)}$0"


def undeclared_natives(ctx: CheckContext, prefix: str) -> list[CompletionEntry]:
    natives = ctx.project.natives
    declared = ctx.declared_names
    seen: set[str] = set()
    out = []
    candidates = [s for info in natives.libraries.values() for s in info.symbols]
    candidates += [s for symbols in natives.source_symbols.values() for s in symbols
                   if s.kind in (NativeKind.RUST_SOURCE, NativeKind.C_SOURCE)]
    for symbol in candidates:
        name = symbol.name
        if name in seen or name in declared or not name.startswith(prefix) or not ctx.has_native_prefix(name):
            continue
        seen.add(name)
        definition = next((s for s in natives.lookup(name) if s.params is not None
                           and s.kind in (NativeKind.RUST_SOURCE, NativeKind.C_SOURCE)), None)
        declaration = simple_declaration(definition) if definition is not None else None
        if definition is None or declaration is None:
            out.append(CompletionEntry(name, "function", f"exported by {ctx.project.relative(symbol.path)}",
                                       f"{name}($0)", True, replace_prefix=prefix))
            continue
        out.append(CompletionEntry(
            name, "snippet", declaration, _snippet_of(declaration, name), True,
            documentation=f"{definition.signature()} ({ctx.project.relative(definition.path)})",
            replace_prefix=prefix,
        ))
    out.sort(key=lambda e: e.label)
    return out


def declared_externs(ctx: CheckContext, prefix: str) -> list[CompletionEntry]:
    out = []
    seen: set[str] = set()
    for decl in ctx.extern_functions:
        if decl.name.startswith(prefix) and decl.name not in seen:
            seen.add(decl.name)
            params = ", ".join(f"${{{i + 1}:{p.name}}}" for i, p in enumerate(decl.params))
            out.append(CompletionEntry(decl.name, "function", decl.signature(), f"{decl.name}({params})$0", True,
                                       documentation=decl.doc or "", replace_prefix=prefix))
    return out


def completions(ctx: CheckContext, line_prefix: str) -> list[CompletionEntry]:
    """Items for the text of the current line up to the cursor."""
    m = _EXTERN_NAME.match(line_prefix)
    if m is not None:
        return undeclared_natives(ctx, m.group(1))
    stripped = line_prefix.rstrip("\n")
    if stripped.lstrip().startswith("#"):
        return []
    word = _CALL_NAME.search(stripped)
    prefix = word.group(1) if word else ""
    before = stripped[: len(stripped) - len(prefix)]
    if before.endswith("."):
        return []  # a method call: not an extern
    return declared_externs(ctx, prefix)
