"""SFFI001 unresolved extern, SFFI003 misnamed symbol."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.rule import DeclarationRule, extern_functions
from sffi_lsp.model import CommandRef, Declaration, Finding, Fix, Related, Severity
from sffi_lsp.resolution import NameResolution, Provider, ProviderKind, Route
from sffi_lsp.spec.abi import abi_functions
from sffi_lsp.workspace.discovery import SOURCE_SUFFIXES

_TIER1_KINDS = (ProviderKind.RUNTIME_EXPORT, ProviderKind.C_DEFINITION)
# Providers that define a name (a codegen row, an alias or a prefix arm only describe one).
_DEFINING = frozenset({
    ProviderKind.INTERPRETER_ROW, ProviderKind.FAMILY_ROW, ProviderKind.RUNTIME_EXPORT, ProviderKind.C_DEFINITION,
    ProviderKind.MACRO_DEFINITION, ProviderKind.ASSEMBLY, ProviderKind.LIBRARY, ProviderKind.SIMPLE_FUNCTION,
})


def tier1_definitions(ctx: CheckContext, res: NameResolution) -> list[Provider]:
    """Definitions inside a Tier 1 crate of the workspace (they export once built)."""
    return [p for p in res.providers if p.kind in _TIER1_KINDS and ctx.is_tier1(p.path)]


def _unresolved(ctx: CheckContext, decls: Iterable[Declaration]) -> Iterator[Declaration]:
    """Extern fns that nothing provides: no route, no library, no row in any judged lane, no
    definition anywhere (a capability-gap name is SFFI014's)."""
    for decl in extern_functions(decls):
        res = ctx.resolver.resolve(decl.name)
        if res.library_symbols or any(route != Route.RUNTIME_TABLE for route, _ in res.routes):
            continue  # table rows are judged lane by lane below
        lanes = ctx.lanes.resolve(decl.name)
        tier1 = tier1_definitions(ctx, lanes)
        others = [p for p in lanes.providers if p.kind in _DEFINING and p not in tier1]
        if lanes.capability_gap or others or (lanes.resolved and not tier1):
            continue
        yield decl


def searched_in_words(ctx: CheckContext, res: NameResolution) -> str:
    """What was searched for a name, lane by lane, and what a mangled name should be."""
    lanes = ctx.lanes
    if lanes.runtime_tables_visible:
        text = "; ".join(f"{v.lane.label}: {v.reason}" for v in res.lanes.values())
    else:
        text = (f"looked in {ctx.resolver.searched_for(res.name)}, workspace libraries and Tier 1 sources"
                + ("; C and assembly sources" if _has_c_sources(ctx) else ""))
    mangled = res.mangled
    if mangled is not None:
        if mangled.module_path is None:
            text += f"; as a mangled name it expects `fn {mangled.function}` in module `{mangled.module}`, " \
                    "which the workspace does not have"
        elif not mangled.found:
            text += f"; as a mangled name it expects `fn {mangled.function}` in " \
                    f"{ctx.project.relative(mangled.module_path)}, which does not define it"
    return text


def _has_c_sources(ctx: CheckContext) -> bool:
    return any(SOURCE_SUFFIXES.get(path.suffix) in ("c", "cpp", "asm") for path in ctx.project.natives.source_symbols)


class UnresolvedExtern(DeclarationRule):
    """Unresolved extern: nothing the runtime can load provides this symbol.

    ## What it does
    Reports an `extern fn` that no judged lane resolves and nothing defines: no
    interpreter table row, prefix family or dynamic route; no codegen binding; no
    runtime export, C/C++ or assembly definition (also macro-made or
    `__attribute__((alias))`) anywhere in the workspace or `runtime-sources`; no
    library, plugin manifest or Tier 1 source. The message says what was searched,
    lane by lane; for a mangled name (`a__b__f`) it names the module and function it
    expected. When a Tier 1 crate defines the function but no built library exports
    it yet, the message says a build is needed and offers one.

    ## Why is this bad?
    The call fails at run time with `semantic: unknown extern function: NAME`.

    ## Example
    ```simple
    extern fn rt_bitset_find_first(handle: i64) -> i64   # defined nowhere
    ```

    ## Use instead
    Define and export the function in the Tier 1 crate and build it, or remove the declaration:
    ```rust
    #[no_mangle]
    pub extern "C" fn rt_bitset_find_first(handle: i64) -> i64 { ... }
    ```
    """

    code = "SFFI001"
    name = "unresolved-extern"
    severity = Severity.ERROR

    def check_declarations(self, ctx: CheckContext, decls: Iterable[Declaration]) -> Iterator[Finding]:
        finder = ctx.near_misses
        for decl in _unresolved(ctx, decls):
            lanes = ctx.lanes.resolve(decl.name)
            tier1 = tier1_definitions(ctx, lanes)
            if tier1:
                source = tier1[0]
                anchor = source.span
                where = f"{ctx.project.relative(source.path)}:{source.line}"
                crate = ctx.crate_of(source.path)
                fixes: tuple[Fix, ...] = ()
                if crate is not None:
                    fixes = (Fix(
                        title=f"Build {ctx.project.relative(crate.root)}",
                        command=CommandRef(
                            "Build library", "sffi.buildLibrary", ({"crate": str(crate.root)},)
                        ),
                        preferred=True,
                    ),)
                yield Finding(
                    self.code, self.severity,
                    f"`{decl.name}` is defined in Tier 1 source ({where}) but no built library "
                    "exports it yet: build needed",
                    decl.path, decl.name_span,
                    related=(Related(source.path, anchor, "Tier 1 definition"),),
                    fixes=fixes,
                    data={"reason": "build-needed"},
                )
                continue
            if finder.find(decl.name) is not None:
                continue  # SFFI003 reports it with the near miss
            yield Finding(
                self.code, self.severity,
                f"`{decl.name}` is defined nowhere: {searched_in_words(ctx, lanes)}",
                decl.path, decl.name_span,
                data={"reason": "nowhere"},
            )


class MisnamedSymbol(DeclarationRule):
    """Misnamed symbol: the declared name is unresolved, but a near miss is exported.

    ## What it does
    For an unresolved `extern fn`, looks for the name the author probably meant among
    the exported symbols: a `simple_`-prefixed twin (an older generator emitted
    `simple_` instead of `rt_`), the generator's qualification rules
    (`rt_<lib>_<fn>` vs `rt_<lib>_<lib>_<fn>`, `rt_<lib>_<handle>_<method>`), a
    different case, or an edit distance of one or two.

    ## Why is this bad?
    The call fails at run time with `semantic: unknown extern function`, although the
    code it wants is there under another name.

    ## Example
    ```simple
    extern fn rt_bitset_flip(handle: i64, bit: i64)   # the library exports simple_bitset_flip
    ```

    ## Use instead
    Regenerate the wrapper from its `.wrapper_spec` with a current generator, then
    rebuild the crate, so the library exports `rt_bitset_flip` (the fixes offered).
    Renaming the declaration is offered only when the exported name itself carries an
    accepted extern prefix: renaming to `simple_bitset_flip` would trade this finding for
    SFFI002.
    """

    code = "SFFI003"
    name = "misnamed-symbol"
    severity = Severity.ERROR

    def check_declarations(self, ctx: CheckContext, decls: Iterable[Declaration]) -> Iterator[Finding]:
        finder = ctx.near_misses
        for decl in _unresolved(ctx, decls):
            if tier1_definitions(ctx, ctx.lanes.resolve(decl.name)):
                continue  # SFFI001 (build needed)
            hit = finder.find(decl.name)
            if hit is None:
                continue
            candidate, reason = hit
            providers = ctx.resolver.resolve(candidate)
            provider = providers.library_symbols or providers.table_symbols
            where = ctx.project.relative(provider[0].path) if provider else "the runtime"
            yield Finding(
                self.code, self.severity,
                f"`{decl.name}` is not exported; did you mean `{candidate}` (exported by {where}; {reason})?",
                decl.path, decl.name_span,
                related=tuple(Related(s.path, None, f"exports `{candidate}`") for s in provider[:3]),
                fixes=_misnamed_fixes(ctx, decl, candidate, reason, [s.path for s in provider]),
                data={"candidate": candidate, "reason": reason},
            )


def _misnamed_fixes(ctx: CheckContext, decl: Declaration, candidate: str, reason: str,
                    providers: list[Path]) -> tuple[Fix, ...]:
    """Fixes that never create a finding: regenerate from the spec that generates the
    declared name and rebuild the crate that exports the near miss; a rename only when the
    near miss carries an accepted prefix (else SFFI002 would report it)."""
    fixes: list[Fix] = []
    for spec_path, spec in ctx.specs.items():
        if any(decl.name in (f.symbol, f.tier2_symbol) for f in abi_functions(spec)):
            fixes.append(Fix(
                title=f"Regenerate from {ctx.project.relative(spec_path)} (it generates `{decl.name}`)",
                command=CommandRef("Regenerate wrapper", "sffi.regenerateWrapper", ({"spec": str(spec_path)},)),
                preferred=not fixes,
            ))
            break
    crates = {crate.root: crate for path in providers if (crate := ctx.crate_of(path)) is not None}
    for crate_root in sorted(crates):
        fixes.append(Fix(
            title=f"Rebuild {ctx.project.relative(crate_root)}",
            command=CommandRef("Build library", "sffi.buildLibrary", ({"crate": str(crate_root)},)),
            preferred=not fixes,
        ))
    if ctx.has_native_prefix(candidate):
        fixes.append(ctx.rename_fix(
            decl.name, candidate,
            title=f"Rename `{decl.name}` to `{candidate}`",
            safe=not reason.startswith("edit distance"),
            preferred=not fixes,
        ))
    return tuple(fixes)
