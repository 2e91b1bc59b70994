"""SFFI011 undeclared export, SFFI012 call to an undeclared extern."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.declare import declare_fix, insertion_point, source_definition
from sffi_lsp.checks.rule import NameRule, Rule
from sffi_lsp.model import Finding, Related, Severity

# Helpers the generator exports for the runtime's own marshalling, not for Simple code.
_INTERNAL_SUFFIXES = ("_free_string",)


class UndeclaredExport(Rule):
    """Undeclared export: a workspace library exports an `rt_*` symbol no `.spl` declares.

    ## What it does
    Lists `rt_*` symbols that a library built in the workspace exports, or a Tier 1
    crate defines, but that no `extern fn` declares. Generator-internal helpers
    (`rt_<lib>_free_string`) are left out.

    ## Why is this bad?
    Native code that Simple cannot call is dead weight, or a declaration was lost.

    ## Example
    The crate exports `rt_bitset_clear`; no `.spl` file declares it.

    ## Use instead
    ```simple
    extern fn rt_bitset_clear(handle: i64)
    ```
    The fix inserts the declaration, derived from the Tier 1 signature, next to the
    other externs of the same library.
    """

    code = "SFFI011"
    name = "undeclared-export"
    severity = Severity.HINT

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        natives = ctx.project.natives
        candidates: set[str] = set()
        for path, info in natives.libraries.items():
            if ctx.resolver.is_runtime_library(path) or not path.is_relative_to(ctx.project.root):
                continue
            candidates.update(s.name for s in info.symbols)
        for symbols in natives.source_symbols.values():
            candidates.update(s.name for s in symbols if s.kind.value in ("rust-source", "c-source"))
        for name in sorted(candidates):
            if not ctx.has_native_prefix(name) or name in ctx.declared_names or name.endswith(_INTERNAL_SUFFIXES):
                continue
            definition = source_definition(ctx, name)
            anchor = definition.name_span or definition.span if definition is not None else None
            if definition is not None and anchor is not None:
                path, span = definition.path, anchor
            else:
                point = insertion_point(ctx, name)
                if point is None:
                    continue
                path = point[0]
                span = ctx.lines(path).span(0, 0)
            fix = declare_fix(ctx, name)
            yield Finding(
                self.code, self.severity,
                f"`{name}` is exported but no .spl file declares it",
                path, span,
                fixes=(fix,) if fix else (),
            )


class UndeclaredCall(NameRule):
    """Call to an undeclared extern: an `rt_*` call with no `extern fn` declaring it.

    ## What it does
    Reports a call to an `rt_*` name that no extern declaration in the workspace
    declares, e.g. a Tier 3 `mod.spl` calling `rt_torch_torchtensor_free` that its
    Tier 2 `ffi.spl` lacks.

    ## Why is this bad?
    The compiler rejects the call (unknown function), or it binds to nothing at run time.

    ## Example
    ```simple
    rt_bitset_bitset_reset(handle)    # ffi.spl declares no such extern
    ```

    ## Use instead
    Declare it in the Tier 2 file (the fix does, when a Tier 1 definition gives its
    signature), or call a declared extern.
    """

    code = "SFFI012"
    name = "undeclared-call"
    severity = Severity.ERROR
    touched_by = "calls"

    def all_names(self, ctx: CheckContext) -> Iterable[str]:
        return ctx.project.declarations.called_names()

    def check_names(self, ctx: CheckContext, names: Iterable[str]) -> Iterator[Finding]:
        for name in names:
            if not ctx.has_native_prefix(name) or name in ctx.declared_names or name in ctx.ordinary_names:
                continue
            for call in ctx.project.declarations.calls(name):
                fix = declare_fix(ctx, name)
                res = ctx.resolver.resolve(name)
                provided = res.library_symbols or res.source_symbols or res.table_symbols
                detail = (
                    f"; {ctx.project.relative(provided[0].path)} provides it" if provided else ""
                )
                yield Finding(
                    self.code, self.severity,
                    f"call to `{name}`, which no extern declaration declares{detail}",
                    call.path, call.name_span,
                    related=tuple(Related(s.path, s.name_span or s.span, "native definition") for s in provided[:1]),
                    fixes=(fix,) if fix else (),
                    data={"name": name},
                )
