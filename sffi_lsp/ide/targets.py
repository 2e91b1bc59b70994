"""What an editor position points at: an extern name in Simple, a Tier 1 definition, or a
``.wrapper_spec`` entry, reduced to the native symbol name it stands for."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sffi_lsp.model import CallSite, Declaration, NativeKind, NativeSymbol, Position, Span
from sffi_lsp.spec.abi import AbiFunction, abi_functions
from sffi_lsp.spec.parser import WrapperSpec, parse_wrapper_spec
from sffi_lsp.workspace.project import Project


class TargetKind:
    DECLARATION = "declaration"  # an extern declaration's name in a .spl
    CALL = "call"  # a call's callee in a .spl
    NATIVE = "native"  # a Tier 1 source definition's name
    SPEC = "spec"  # a function or method name in a .wrapper_spec


@dataclass(frozen=True)
class Target:
    """The symbol name at a position and the span of the text that names it there."""

    name: str
    kind: str
    path: Path
    span: Span
    declaration: Declaration | None = None
    call: CallSite | None = None
    native: NativeSymbol | None = None
    abi: AbiFunction | None = None
    spec: WrapperSpec | None = None


def contains(span: Span | None, position: Position) -> bool:
    return span is not None and span.start <= position <= span.end


def spec_entry_at(spec: WrapperSpec, position: Position) -> AbiFunction | None:
    """The generated function whose spec entry name is at ``position``."""
    for function in abi_functions(spec):
        if function.origin in ("function", "method") and contains(function.spec_span, position):
            return function
    return None


def target_at(project: Project, path: Path, position: Position, text: str | None = None) -> Target | None:
    """The extern-related name at ``position`` in ``path`` (``text``: the buffer, for specs)."""
    if path.suffix == ".spl":
        decl = project.declarations.declaration_at(path, position)
        if decl is not None:
            if not decl.is_extern:
                return None
            return Target(decl.name, TargetKind.DECLARATION, path, decl.name_span, declaration=decl)
        call = project.declarations.call_at(path, position)
        if call is not None and ((project.declarations.declarations(call.name) and any(
            d.is_extern for d in project.declarations.declarations(call.name)
        )) or call.name.startswith(tuple(project.settings.extern_prefixes))):
            return Target(call.name, TargetKind.CALL, path, call.name_span, call=call)
        return None
    if path.suffix == ".wrapper_spec":
        if text is None:
            return None
        spec, _ = parse_wrapper_spec(text)
        function = spec_entry_at(spec, position)
        if function is None or function.spec_span is None:
            return None
        return Target(function.symbol, TargetKind.SPEC, path, function.spec_span, abi=function, spec=spec)
    for symbol in project.natives.source_symbols.get(path, ()):
        if symbol.kind in (NativeKind.RUST_SOURCE, NativeKind.C_SOURCE) and contains(symbol.name_span, position):
            assert symbol.name_span is not None
            return Target(symbol.name, TargetKind.NATIVE, path, symbol.name_span, native=symbol)
    return None
