"""SFFI002 missing `rt_` prefix."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.rule import DeclarationRule, extern_functions
from sffi_lsp.model import Declaration, Finding, Severity


class MissingPrefix(DeclarationRule):
    """Missing `rt_` prefix: an extern fn whose name does not follow the SFFI convention.

    ## What it does
    Reports an `extern fn` whose name starts with none of the accepted extern prefixes
    (`rt_` by default; configure `extern-prefixes` for code that binds plain C symbols,
    such as bare-metal targets, or ignore the rule per folder with `per-file-ignores`).

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
            if ctx.has_native_prefix(decl.name):
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
