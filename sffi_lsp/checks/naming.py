"""SFFI002 missing `rt_` prefix."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.rule import DeclarationRule, extern_functions
from sffi_lsp.model import Declaration, Finding, Severity
from sffi_lsp.resolution import PRELUDE, Lane, LaneState, ProviderKind
from sffi_lsp.resolution.mangled import looks_mangled

# Providers that bind a name on purpose: the runtime's rows and exports, C/assembly code.
_ON_PURPOSE = frozenset({
    ProviderKind.INTERPRETER_ROW, ProviderKind.FAMILY_ROW, ProviderKind.CODEGEN_ROW, ProviderKind.ALIAS,
    ProviderKind.RUNTIME_EXPORT, ProviderKind.C_DEFINITION, ProviderKind.MACRO_DEFINITION,
    ProviderKind.ASSEMBLY, ProviderKind.SIMPLE_FUNCTION,
})


def bound_on_purpose(ctx: CheckContext, name: str) -> bool:
    """A prelude builtin, a mangled Simple name, a name the runtime's tables serve, or one
    the workspace's own C, assembly or runtime code defines (not a Tier 1 crate's export,
    whose generator convention is the prefix)."""
    if name in PRELUDE or looks_mangled(name):
        return True
    res = ctx.lanes.resolve(name)
    if res.state(Lane.INTERPRETER) is LaneState.OK:
        return True
    return any(p.kind in _ON_PURPOSE and not ctx.is_tier1(p.path) for p in res.providers)


class MissingPrefix(DeclarationRule):
    """Missing `rt_` prefix: an extern fn whose name does not follow the SFFI convention.

    ## What it does
    Reports an `extern fn` whose name starts with none of the accepted extern prefixes
    (`rt_` by default) and that resolves nowhere on purpose: a prelude builtin
    (`print`, `abs`...), a mangled Simple name (`a__b__f`), a name the runtime's tables
    serve (`sys_get_args`, `spl_dlopen`), and a plain C name that the workspace's own C,
    assembly or runtime code defines (`serial_println` on a bare-metal target) are not
    findings. A Tier 1 crate's export without the prefix still is: the generator's
    convention is `rt_`. (`extern-prefixes` and `per-file-ignores` tune it further.)

    ## Why is this bad?
    Every native symbol of the SFFI is `rt_` + category + name; tools, the runtime's
    satellite loader (`rt_<prefix>_*` -> `libspl_<prefix>.so`) and readers rely on it.

    ## Example
    ```simple
    extern fn bitset_popcount(value: i64) -> i64
    ```

    ## Use instead
    ```simple
    extern fn rt_bitset_popcount(value: i64) -> i64
    ```
    The fix renames the declaration, every call and the Tier 1 definition; rebuild the
    library afterwards.
    """

    code = "SFFI002"
    name = "missing-rt-prefix"
    severity = Severity.WARNING

    def check_declarations(self, ctx: CheckContext, decls: Iterable[Declaration]) -> Iterator[Finding]:
        prefix = ctx.settings.extern_prefixes[0] if ctx.settings.extern_prefixes else "rt_"
        for decl in extern_functions(decls):
            if ctx.has_native_prefix(decl.name) or bound_on_purpose(ctx, decl.name):
                continue
            new_name = prefix + decl.name.removeprefix("simple_")
            accepted = ", ".join(f"`{p}`" for p in ctx.settings.extern_prefixes)
            yield Finding(
                self.code, self.severity,
                f"extern `{decl.name}` does not start with {accepted}",
                decl.path, decl.name_span,
                fixes=(ctx.rename_fix(
                    decl.name, new_name,
                    title=f"Rename `{decl.name}` to `{new_name}` (with its calls and Tier 1 definition)",
                    native_sources=True,
                ),),
            )
