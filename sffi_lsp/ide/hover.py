"""Hover text for extern names and ``.wrapper_spec`` entries, as Markdown.

The most useful line first: the Simple signature, then the native definition it binds
to, the library that exports it (and whether the runtime would load it), and the
generator's ABI mapping where the tiers' types differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.declare import simple_declaration
from sffi_lsp.ide.targets import Target, TargetKind, target_at
from sffi_lsp.model import Declaration, DeclKind, NativeKind, NativeSymbol, Position, Span
from sffi_lsp.resolution import Lane, LaneState, Resolution, satellite_library_name, satellite_prefix
from sffi_lsp.spec.abi import AbiFunction, expected_rust_params, expected_rust_return


@dataclass(frozen=True)
class HoverText:
    markdown: str
    span: Span


def _where(ctx: CheckContext, path: Path, span: Span | None) -> str:
    rel = ctx.project.relative(path)
    return f"{rel}:{span.start.line + 1}" if span is not None else rel


def _code(text: str, lang: str = "") -> str:
    return f"```{lang}\n{text}\n```"


def _backend(ctx: CheckContext, symbol: NativeSymbol) -> str:
    crate = ctx.crate_of(symbol.path)
    return crate.backend if crate is not None else "cpp"


def _abi_lines(ctx: CheckContext, decl: Declaration, definition: NativeSymbol | None) -> list[str]:
    """``[i64]`` -> ``*const i64, dims_len: usize`` for every parameter whose types differ."""
    if decl.kind is not DeclKind.EXTERN_FN:
        return []
    backend = _backend(ctx, definition) if definition is not None else "cpp"
    lines = []
    for param in decl.params:
        if param.type is None:
            continue
        native = expected_rust_params([param.type], backend)
        if native != [param.type]:
            rendered = [f"{param.name}: {native[0]}"] + [f"{param.name}_len: {t}" for t in native[1:]]
            lines.append(f"`{param.name}: {param.type}` → `{', '.join(rendered)}`")
    ret = expected_rust_return(decl.returns, backend)
    if decl.returns and ret != decl.returns:
        lines.append(f"returns `{decl.returns}` → `{ret}`")
    if lines:
        return [f"**ABI** ({backend} backend): " + "; ".join(lines)]
    return []


def _library_lines(ctx: CheckContext, res: Resolution) -> list[str]:
    lines = []
    for symbol in res.library_symbols[:3]:
        facts = [f"`{ctx.project.relative(symbol.path)}`"]
        if symbol.address is not None:
            facts.append(f"@0x{symbol.address:x}")
        if symbol.size is not None:
            facts.append(f"size {symbol.size}")
        if symbol.demangled and symbol.demangled != symbol.name:
            facts.append(f"`{symbol.demangled}`")
        crate = next((c for c in ctx.project.natives.crates if symbol.path.is_relative_to(c.root)), None)
        if crate is not None and crate.stub_by_default:
            facts.append("stub build (default feature `stub`)")
        lines.append("**Library**: " + " ".join(facts))
    for symbol in res.table_symbols[:2]:
        lines.append(f"**Runtime table** ({symbol.table or 'runtime'}): {_where(ctx, symbol.path, symbol.span)}")
    if res.loadable:
        routes = ", ".join(f"{route} ({ctx.project.relative(path)})" for route, path in res.routes[:3])
        note = " — integers only (dynamic SFFI)" if res.dynamic_only else ""
        lines.append(f"**Loadable**: yes, via {routes}{note}")
    else:
        why = "no library exports it" if not res.library_symbols else "no route reaches its library"
        prefix = satellite_prefix(res.name)
        if res.library_symbols and prefix:
            why += f" (the satellite loader wants {satellite_library_name(prefix)})"
        lines.append(f"**Loadable**: no — {why}; searched {ctx.resolver.searched_for(res.name)}")
    return lines


_MARKS = {LaneState.OK: "✓", LaneState.FEATURE_ONLY: "◐", LaneState.CAPABILITY_GAP: "✗",
          LaneState.GAP: "✗", LaneState.MISSING: "✗"}


def lane_lines(ctx: CheckContext, name: str) -> list[str]:
    """One line per lane: where the name resolves (file:line, feature) or why it fails."""
    lanes = ctx.lanes
    res = lanes.resolve(name)
    lines = ["**Lanes**:"]
    for lane in (Lane.INTERPRETER, Lane.JIT, Lane.NATIVE):
        verdict = res.lanes.get(lane)
        if verdict is None:
            lines.append(f"- {lane.label}: not judged ({lanes.why_not_judged(lane)})")
            continue
        where = ", ".join(
            f"{p.kind.value} {_where(ctx, p.path, p.span)}" + (f" (feature `{p.feature}`)" if p.feature else "")
            for p in verdict.providers[:3])
        lines.append(f"- {lane.label}: {_MARKS[verdict.state]} {verdict.state.value} — {verdict.reason}"
                     + (f" [{where}]" if where and verdict.state is not LaneState.OK else ""))
    if res.gate is not None:
        lines.append(f"- dynamic gate: {'passes' if res.gate.passes else 'refuses'} — {res.gate.reason}")
    if res.mangled is not None:
        where = ctx.project.relative(res.mangled.module_path) if res.mangled.module_path else "not in the workspace"
        state = "found" if res.mangled.found else "missing"
        lines.append(f"- mangled: `fn {res.mangled.function}` of module `{res.mangled.module}` ({where}): {state}")
    return lines


def extern_hover(ctx: CheckContext, name: str, decl: Declaration | None) -> str:
    res = ctx.resolver.resolve(name)
    definitions = [s for s in res.source_symbols if s.kind in (NativeKind.RUST_SOURCE, NativeKind.C_SOURCE)]
    definition = definitions[0] if definitions else None
    parts: list[str] = []
    if decl is not None:
        parts.append(_code(decl.signature(), "simple"))
    elif definition is not None and (derived := simple_declaration(definition)):
        parts.append(_code(derived, "simple") + "\n*(not declared; derived from Tier 1)*")
    else:
        parts.append(f"`{name}`")
    if decl is not None and decl.doc:
        parts.append(decl.doc)
    facts: list[str] = []
    if definition is not None:
        sig = definition.signature() or definition.name
        lang = "rust" if definition.language == "rust" else "c"
        facts.append(f"**Native** ({_where(ctx, definition.path, definition.span)}):\n" + _code(sig, lang))
    facts += _library_lines(ctx, res)
    facts.append("\n".join(lane_lines(ctx, name)))
    if decl is not None:
        facts += _abi_lines(ctx, decl, definition)
    parts.append("\n\n".join(facts))
    return "\n\n".join(p for p in parts if p)


def spec_hover(function: AbiFunction) -> str:
    lines = [_code(function.rust_signature(), "rust"), _code(function.simple_declaration(), "simple")]
    if function.tier2_name:
        lines.append(f"Tier 1 exports `{function.symbol}`, Tier 2 declares `{function.tier2_name}`")
    return "\n\n".join(lines)


def hover(ctx: CheckContext, path: Path, position: Position) -> HoverText | None:
    target = target_at(ctx.project, path, position, ctx.text(path) if path.suffix == ".wrapper_spec" else None)
    if target is None:
        return None
    return HoverText(hover_for(ctx, target), target.span)


def hover_for(ctx: CheckContext, target: Target) -> str:
    if target.kind == TargetKind.SPEC and target.abi is not None:
        return spec_hover(target.abi) + "\n\n" + extern_hover(ctx, target.name, None).split("\n\n", 1)[-1]
    decl = target.declaration
    if decl is None:
        decls = [d for d in ctx.project.declarations.declarations(target.name) if d.is_extern]
        decl = decls[0] if decls else None
    return extern_hover(ctx, target.name, decl)
