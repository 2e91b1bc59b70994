"""SFFI013 lane gap, SFFI014 capability gap: where the toolchain's lanes disagree."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.rule import DeclarationRule, extern_functions
from sffi_lsp.model import Declaration, Finding, Related, Severity
from sffi_lsp.resolution import Lane, LaneState, LaneVerdict, NameResolution, Provider

_RELATED_LIMIT = 3


def _related(providers: Iterable[Provider], limit: int = _RELATED_LIMIT) -> tuple[Related, ...]:
    return tuple(Related(p.path, p.span, f"{p.kind.value}: `{p.name}`") for p in list(providers)[:limit])


class LaneGap(DeclarationRule):
    """Lane gap: the extern resolves in one execution lane and not in another.

    ## What it does
    Resolves each `extern fn` in every judged lane (SFFI.md section 4): the
    interpreter (dispatch table, prefix families and their row tables, capability
    gaps, the dynamic SFFI gate), the JIT (runtime symbols, else `rt_interp_call`) and
    the native build (an export or definition to link against). When the name
    resolves in one lane and not in another, it says which lane fails and what
    happens there. A lane is judged only when its tables are visible (in the
    workspace or through `runtime-path` / `runtime-sources`); `lanes` picks them. A
    row that exists only under a cargo feature or cfg is an information-level finding
    that names the feature.

    ## Why is this bad?
    The same program works in one mode and fails in another: a name only in the
    interpreter table fails to link AOT ("undefined symbol"); a name only in the
    codegen table reaches the interpreter only through dynamic SFFI, which refuses
    anything but all-`I64` rows ("unknown extern function").

    ## Example
    ```rust
    // codegen/runtime_sffi.rs: a row, but no interpreter table row
    RuntimeFuncSpec::new("rt_flag_get", &[I64], &[I8]),
    ```
    ```simple
    extern fn rt_flag_get(h: i64) -> bool   # interpreted: unknown extern function
    ```

    ## Use instead
    Add the interpreter row beside the codegen row (or make the row all-`I64` so the
    dynamic path can load it):
    ```rust
    insert_simple!("rt_flag_get", flags::rt_flag_get);
    ```
    """

    code = "SFFI013"
    name = "lane-gap"
    severity = Severity.WARNING

    def check_declarations(self, ctx: CheckContext, decls: Iterable[Declaration]) -> Iterator[Finding]:
        if len(ctx.lanes.judged) < 2:
            return
        for decl in extern_functions(decls):
            res = ctx.lanes.resolve(decl.name)
            good = ", ".join(
                v.lane.label if v.state is LaneState.OK else f"{v.lane.label} (with `{v.feature}`)"
                for v in res.lanes.values() if v.state in (LaneState.OK, LaneState.FEATURE_ONLY)
            )
            if not good:
                continue
            for verdict in res.lanes.values():
                if verdict.state is LaneState.GAP:
                    yield self._finding(decl, res, verdict, good, Severity.WARNING)
                elif verdict.state is LaneState.FEATURE_ONLY:
                    yield self._finding(decl, res, verdict, good, Severity.INFORMATION)

    def _finding(self, decl: Declaration, res: NameResolution, verdict: LaneVerdict, good: str,
                 severity: Severity) -> Finding:
        if verdict.state is LaneState.FEATURE_ONLY:
            message = (f"`{decl.name}` resolves {verdict.lane.label} only with cargo feature "
                       f"`{verdict.feature}`: {verdict.reason}")
        else:
            message = f"`{decl.name}` resolves {good} but not {verdict.lane.label}: {verdict.reason}"
        return Finding(
            self.code, severity, message, decl.path, decl.name_span,
            related=_related(verdict.providers or res.providers),
            data={"name": decl.name, "lane": verdict.lane.value, "state": verdict.state.value,
                  **({"feature": verdict.feature} if verdict.feature else {})},
        )


class CapabilityGap(DeclarationRule):
    """Capability gap: the extern falls in a capability-gap family and no row serves it.

    ## What it does
    Reports an `extern fn` whose name starts with a prefix of the interpreter's
    `CAPABILITY_GAP_FAMILIES` (`rt_webgpu_`, `rt_vk_`, `rt_gui_`, ...) when no
    dispatch-table row or earlier prefix family serves the exact name.

    ## Why is this bad?
    Every call fails with "`<family>`: no native implementation (capability gap)":
    the runtime knows the family has no native code anywhere.

    ## Example
    ```simple
    extern fn rt_webgpu_device_create() -> i64
    ```

    ## Use instead
    Implement the function and register its row (`insert_simple!("rt_webgpu_device_create", ..)`),
    or call an implemented family instead (`rt_vulkan_*`).
    """

    code = "SFFI014"
    name = "capability-gap"
    severity = Severity.WARNING

    def check_declarations(self, ctx: CheckContext, decls: Iterable[Declaration]) -> Iterator[Finding]:
        if Lane.INTERPRETER not in ctx.lanes.judged:
            return
        for decl in extern_functions(decls):
            res = ctx.lanes.resolve(decl.name)
            verdict = res.lanes.get(Lane.INTERPRETER)
            if verdict is None or verdict.state is not LaneState.CAPABILITY_GAP:
                continue
            family = res.capability_gap or verdict.family or "?"
            yield Finding(
                self.code, self.severity,
                f"`{decl.name}` falls in capability-gap family `{family}` and no row serves it: it fails "
                f"with \"{family}: no native implementation\"",
                decl.path, decl.name_span, related=_related(verdict.providers),
                data={"name": decl.name, "family": family},
            )
