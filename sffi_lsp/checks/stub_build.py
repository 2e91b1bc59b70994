"""SFFI009 stub build: the library was built without the native backend it wraps."""

from __future__ import annotations

from collections.abc import Iterator

from sffi_lsp.backends.cargo import last_build_was_stub
from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.rule import Rule
from sffi_lsp.model import CommandRef, Finding, Fix, Related, Severity


class StubBuild(Rule):
    """Stub build: the providing library silently returns defaults.

    ## What it does
    Reports a Tier 1 crate whose `stub` feature is on by default and whose built library
    does not link the native library it wraps (no such `DT_NEEDED` entry, judged from the
    spec's `link:` list), or whose last build printed the stub-mode warning
    (`building in stub mode`).

    ## Why is this bad?
    When `build.rs` does not find the native library it compiles the bridge without
    `HAS_<NAME>`; every function then returns a default value (0, false, empty) and the
    program runs on, wrong.

    ## Example
    `cargo build` printed `warning: PyTorch not found - building in stub mode (no GPU acceleration)`.

    ## Use instead
    Point the build at the native library (e.g. `LIBTORCH_PATH`, setting
    `cargo.env`) and rebuild.
    """

    code = "SFFI009"
    name = "stub-build"
    severity = Severity.WARNING

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        natives = ctx.project.natives
        specs_by_name = {spec.name: (path, spec) for path, spec in ctx.specs.items() if spec.name}
        for crate in natives.crates:
            if not crate.stub_by_default:
                continue
            libraries = [
                info for path, info in natives.libraries.items()
                if path.name in crate.output_names and path.parent in crate.output_dirs()
            ]
            name = crate.lib_name.removeprefix("simple_").removesuffix("_ffi")
            spec_entry = specs_by_name.get(name)
            links = spec_entry[1].link if spec_entry else ()
            reason = None
            if last_build_was_stub(crate.root, ctx.settings, ctx.project.root):
                reason = "its last build printed the stub-mode warning"
            else:
                for info in libraries:
                    if info.format != "elf" or not links:
                        continue
                    wrapped = tuple(f"lib{link}{sep}" for link in links for sep in (".", "_"))
                    if not any(needed.startswith(wrapped) for needed in info.needed):
                        reason = (
                            f"{ctx.project.relative(info.path)} links none of "
                            f"{', '.join('lib' + link for link in links)} "
                            f"(DT_NEEDED: {', '.join(info.needed) or 'none'})"
                        )
                        break
            if reason is None:
                continue
            if spec_entry is not None and spec_entry[1].spans.get("name") is not None:
                path, span = spec_entry[0], spec_entry[1].spans["name"]
            else:
                path, span = crate.manifest, ctx.lines(crate.manifest).span(0, 0)
            yield Finding(
                self.code, self.severity,
                f"`{crate.package}` is a stub build (the `stub` feature is on by default and {reason}): "
                "every function returns a default value",
                path, span,
                related=(Related(crate.manifest, None, "Tier 1 crate"),),
                fixes=(Fix(
                    f"Rebuild {crate.package}",
                    command=CommandRef("Build library", "sffi.buildLibrary", ({"crate": str(crate.root)},)),
                ),),
            )
