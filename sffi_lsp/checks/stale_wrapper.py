"""SFFI010 stale wrapper: generated files that no longer match their `.wrapper_spec`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.rule import Rule
from sffi_lsp.model import CommandRef, DeclKind, Finding, Fix, NativeKind, Related, Severity
from sffi_lsp.spec.abi import abi_symbols, generated_marker, tier1_crate_dir, tier2_path, tier3_path
from sffi_lsp.spec.parser import WrapperSpec

# A generated file older than its spec by more than this was generated before the spec's
# last edit (a fresh checkout writes all files within a moment of each other).
MTIME_SLACK_SECONDS = 2.0


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def _names(label: str, names: set[str]) -> str:
    shown = ", ".join(f"`{n}`" for n in sorted(names)[:4])
    more = f" and {len(names) - 4} more" if len(names) > 4 else ""
    return f"{label} {shown}{more}"


class StaleWrapper(Rule):
    """Stale wrapper: generated Tier 1/2/3 files that no longer match their spec.

    ## What it does
    For each `.wrapper_spec`, computes the symbols the generator emits and compares them
    with the generated Tier 1 source (`.build/rust/ffi_<name>/src/lib.rs`) and Tier 2
    declarations (`src/lib/<name>/ffi.spl`): functions added to, removed from or renamed
    in the spec since generation. A generated file (Tier 1, 2 or 3) older than the spec
    is stale too. Reported on the spec and on the stale file.

    ## Why is this bad?
    The spec says one thing and the code another: new functions are missing, removed
    ones linger, and the next regeneration brings surprises.

    ## Example
    `functions:` gained `- name: clear`, but `ffi.spl` declares no `rt_bitset_clear`.

    ## Use instead
    Regenerate the wrapper (`sffi.regenerateWrapper`), which keeps a backup of any
    generated file edited by hand.
    """

    code = "SFFI010"
    name = "stale-wrapper"
    severity = Severity.WARNING

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for spec_path, spec in ctx.specs.items():
            if spec.name:
                yield from self._check_spec(ctx, spec_path, spec)

    def _check_spec(self, ctx: CheckContext, spec_path: Path, spec: WrapperSpec) -> Iterator[Finding]:
        root = ctx.project.root
        abi = abi_symbols(spec)
        spec_time = _mtime(spec_path)
        regenerate = Fix(
            f"Regenerate from {spec_path.name}",
            command=CommandRef("Regenerate wrapper", "sffi.regenerateWrapper", ({"spec": str(spec_path)},)),
            preferred=True,
        )
        anchor = spec.spans.get("name") or ctx.lines(spec_path).span(0, 0)
        tier1 = tier1_crate_dir(spec, root) / "src" / "lib.rs"
        tier2 = root / tier2_path(spec)
        tier3 = root / tier3_path(spec)
        for tier, path in ((1, tier1), (2, tier2), (3, tier3)):
            if not path.is_file():
                continue
            marker = generated_marker(ctx.text(path))
            if marker is None or marker[1] != spec.name:
                continue  # not (or no longer) generated from this spec
            reasons = []
            if tier == 1:
                defined = {
                    s.name for s in ctx.project.natives.source_symbols.get(path, ())
                    if s.kind is NativeKind.RUST_SOURCE
                }
                expected = set(abi)
            elif tier == 2:
                entry = ctx.project.declarations.files.get(path)
                defined = {d.name for d in entry.declarations if d.kind is DeclKind.EXTERN_FN} if entry else set()
                expected = {fn.tier2_symbol for fn in abi.values() if fn.in_tier2}
            else:
                defined = expected = set()
            if expected - defined:
                reasons.append(_names("the spec has", expected - defined) + " which this file lacks")
            if defined - expected:
                reasons.append(_names("this file has", defined - expected) + " which the spec no longer emits")
            file_time = _mtime(path)
            if spec_time is not None and file_time is not None and spec_time - file_time > MTIME_SLACK_SECONDS:
                reasons.append(f"it is older than {spec_path.name}")
            if not reasons:
                continue
            rel = ctx.project.relative(path)
            message = f"Tier {tier} wrapper {rel} is stale: " + "; ".join(reasons)
            yield Finding(
                self.code, self.severity, message, path, self._first_line(ctx, path),
                related=(Related(spec_path, anchor, "wrapper spec"),), fixes=(regenerate,),
            )
            yield Finding(
                self.code, self.severity, message, spec_path, anchor,
                related=(Related(path, None, "stale generated file"),), fixes=(regenerate,),
            )

    @staticmethod
    def _first_line(ctx: CheckContext, path: Path):
        index = ctx.lines(path)
        end = index.line_starts[1] - 1 if index.line_count > 1 else len(index.data)
        return index.span(0, end)
