"""Renaming an extern across the three tiers: Simple declarations and calls, Tier 1
definitions, the ``.wrapper_spec`` entry that generates the name, and the ``functions:``
lists of the workspace's plugin manifests."""

from __future__ import annotations

import re
from pathlib import Path

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.ide.navigation import all_references
from sffi_lsp.ide.targets import Target, target_at
from sffi_lsp.model import Position, TextEdit
from sffi_lsp.spec.abi import AbiFunction, abi_functions
from sffi_lsp.spec.parser import WrapperSpec

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class RenameError(ValueError):
    """Why a rename cannot be done; its message is shown to the user."""


def prepare_rename(ctx: CheckContext, path: Path, position: Position) -> Target:
    target = target_at(ctx.project, path, position, ctx.text(path) if path.suffix == ".wrapper_spec" else None)
    if target is None:
        raise RenameError("only extern names (declarations, calls, Tier 1 definitions, spec entries) can be renamed")
    return target


def _spec_entry_name(spec: WrapperSpec, function: AbiFunction, new_symbol: str) -> str | None:
    """The spec entry name that makes the generator emit ``new_symbol``, if one does."""
    prefix = f"rt_{spec.name}_"
    if function.origin == "method":
        for method in spec.methods:
            if method.name_span == function.spec_span:
                prefix += f"{method.handle.lower()}_"
                break
    if not new_symbol.startswith(prefix) or len(new_symbol) == len(prefix):
        return None
    return new_symbol[len(prefix):]


def rename_edits(ctx: CheckContext, path: Path, position: Position, new_name: str) -> list[TextEdit]:
    """The edits renaming the extern at ``position`` to ``new_name`` everywhere."""
    target = prepare_rename(ctx, path, position)
    if not _IDENTIFIER.match(new_name):
        raise RenameError(f"`{new_name}` is not an identifier")
    old = target.name
    edits: list[TextEdit] = []
    spec_spans = set()
    for spec_path, spec in ctx.specs.items():
        for function in abi_functions(spec):
            if function.origin not in ("function", "method") or function.spec_span is None:
                continue
            if old not in (function.symbol, function.tier2_symbol):
                continue
            entry = _spec_entry_name(spec, function, new_name)
            if entry is None:
                raise RenameError(
                    f"{ctx.project.relative(spec_path)} generates `{old}`; "
                    f"`{new_name}` does not start with the name the spec implies (`rt_{spec.name}_...`)"
                )
            spec_spans.add((spec_path, function.spec_span.start_byte))
            edits.append(TextEdit(spec_path, function.spec_span, entry))
    for loc in all_references(ctx, old):
        if (loc.path, loc.span.start_byte) in spec_spans:
            continue
        lines = ctx.lines(loc.path)
        if lines.data[loc.span.start_byte : loc.span.end_byte] != old.encode():
            continue  # a span wider than the name (older index data): leave it alone
        edits.append(TextEdit(loc.path, loc.span, new_name))
    taken = {(e.path, e.span.start_byte) for e in edits}
    edits += [e for e in ctx.manifest_rename_edits(old, new_name) if (e.path, e.span.start_byte) not in taken]
    return edits
