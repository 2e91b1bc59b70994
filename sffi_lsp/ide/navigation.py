"""Go to definition and find references for extern names, across the three tiers."""

from __future__ import annotations

from pathlib import Path

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.ide.targets import TargetKind, target_at
from sffi_lsp.model import Location, NativeKind, Position
from sffi_lsp.spec.abi import abi_functions

_SOURCE_KINDS = (NativeKind.RUST_SOURCE, NativeKind.C_SOURCE)


def native_definitions(ctx: CheckContext, name: str) -> list[Location]:
    """Every provider of ``name`` with a place in source: Tier 1 and runtime exports, C/C++ and
    assembly definitions, macro-made ones, interpreter and family rows, codegen rows, the
    alias row, and the Simple function behind a mangled name."""
    out = []
    for symbol in ctx.project.natives.lookup(name):
        if symbol.kind in _SOURCE_KINDS and (symbol.name_span or symbol.span) is not None:
            out.append(Location(symbol.path, symbol.name_span or symbol.span))  # type: ignore[arg-type]
    for provider in ctx.lanes.resolve(name).providers:
        if provider.span is not None:
            out.append(Location(provider.path, provider.span))
    return _unique(out)


def _unique(locations: list[Location]) -> list[Location]:
    seen: set[tuple[Path, int]] = set()
    unique = []
    for loc in locations:
        key = (loc.path, loc.span.start_byte)
        if key not in seen:
            seen.add(key)
            unique.append(loc)
    return unique


def extern_declarations(ctx: CheckContext, name: str) -> list[Location]:
    return [Location(d.path, d.name_span) for d in ctx.project.declarations.declarations(name) if d.is_extern]


def spec_entries(ctx: CheckContext, name: str) -> list[Location]:
    """The ``.wrapper_spec`` function/method entries that generate ``name``."""
    out = []
    for path, spec in ctx.specs.items():
        for function in abi_functions(spec):
            if function.origin in ("function", "method") and function.spec_span is not None and name in (
                function.symbol, function.tier2_symbol
            ):
                out.append(Location(path, function.spec_span))
    return out


def definition(ctx: CheckContext, path: Path, position: Position) -> list[Location]:
    """Call site -> extern declaration; declaration (or spec entry) -> Tier 1 definition."""
    target = target_at(ctx.project, path, position, ctx.text(path) if path.suffix == ".wrapper_spec" else None)
    if target is None:
        return []
    if target.kind == TargetKind.CALL:
        found = extern_declarations(ctx, target.name)
        return found or native_definitions(ctx, target.name)
    if target.kind == TargetKind.NATIVE:
        return extern_declarations(ctx, target.name)
    return native_definitions(ctx, target.name)


def references(ctx: CheckContext, path: Path, position: Position, include_declaration: bool = True) -> list[Location]:
    """Every mention of the extern at ``position``: calls, declarations, Tier 1, spec entries."""
    target = target_at(ctx.project, path, position, ctx.text(path) if path.suffix == ".wrapper_spec" else None)
    if target is None:
        return []
    return all_references(ctx, target.name, include_declaration)


def all_references(ctx: CheckContext, name: str, include_declaration: bool = True) -> list[Location]:
    found = [Location(c.path, c.name_span) for c in ctx.project.declarations.calls(name)]
    if include_declaration:
        found += extern_declarations(ctx, name) + native_definitions(ctx, name) + spec_entries(ctx, name)
    unique = _unique(found)
    unique.sort(key=lambda loc: (str(loc.path), loc.span.start_byte))
    return unique
