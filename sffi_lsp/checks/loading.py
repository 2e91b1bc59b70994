"""SFFI007 not loadable, SFFI008 not marshallable: what the runtime's loader can reach."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from sffi_lsp.backends.register import default_manifest_path, functions_to_register, plugin_name
from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.rule import DeclarationRule, extern_functions
from sffi_lsp.index.natives.manifest import add_or_update_entry, parse_manifest
from sffi_lsp.model import CommandRef, CreateFile, Declaration, Finding, Fix, Related, Severity, TextEdit
from sffi_lsp.resolution import (
    MAX_DYNAMIC_PARAMS,
    RUNTIME_LIBRARY,
    is_marshallable_type,
    satellite_library_name,
    satellite_prefix,
)


class NotLoadable(DeclarationRule):
    """Not loadable: the symbol exists only in a library the runtime never loads.

    ## What it does
    Reports an `extern fn` whose symbol is exported only by libraries that are neither
    the runtime library (`libsimple_runtime.so`), nor a satellite library
    `libspl_<prefix>.so` on the satellite search path (for `rt_ts_`, `rt_torch_`,
    `rt_cuda_`, `rt_vulkan_`, `rt_vhdl_`), nor listed for that symbol in a plugin manifest.
    The message names what the runtime searches.

    ## Why is this bad?
    The library is built but never opened: the call fails with
    `semantic: unknown extern function`. (A torch library built as
    `libsimple_torch.so` is never found by the rule that looks for `libspl_torch.so`.)

    ## Example
    A crate builds `libsimple_torch.so`; `ffi.spl` declares `extern fn rt_torch_zeros(...)`.

    ## Use instead
    Add a plugin-manifest entry for the library (the fix writes it), or install the
    library as `libspl_torch.so` where the runtime looks (`sffi.registerLibrary`).
    """

    code = "SFFI007"
    name = "not-loadable"
    severity = Severity.ERROR

    def check_declarations(self, ctx: CheckContext, decls: Iterable[Declaration]) -> Iterator[Finding]:
        for decl in extern_functions(decls):
            res = ctx.resolver.resolve(decl.name)
            if res.loadable or not res.library_symbols:
                continue
            libraries = sorted({s.path for s in res.library_symbols})
            shown = ", ".join(ctx.project.relative(p) for p in libraries[:3])
            prefix = satellite_prefix(decl.name)
            looks_for = f"{RUNTIME_LIBRARY}"
            if prefix:
                looks_for += (
                    f", {satellite_library_name(prefix)} (executable dir, ../lib, target/*, build/, system path)"
                )
            looks_for += ", and libraries a plugin manifest lists for this symbol"
            yield Finding(
                self.code, self.severity,
                f"`{decl.name}` is exported only by {shown}, which the runtime never loads; "
                f"it loads {looks_for}",
                decl.path, decl.name_span,
                related=tuple(Related(p, None, f"exports `{decl.name}`") for p in libraries[:3]),
                fixes=tuple(self.fixes(ctx, decl, libraries[0])),
            )

    def fixes(self, ctx: CheckContext, decl: Declaration, library: Path) -> Iterator[Fix]:
        target = default_manifest_path(ctx.settings, ctx.project.root)
        name = plugin_name(library)
        # Every declared extern this library exports goes into its entry, so one fix serves all.
        info = ctx.project.natives.libraries.get(library)
        exported = {s.name for s in info.symbols} if info is not None else {decl.name}
        functions = functions_to_register(exported, ctx.declared_names, ctx.settings.extern_prefixes)
        existing_text = ctx.text(target) if target.is_file() else ""
        manifest = parse_manifest(existing_text, target)
        entry = next((e for e in manifest.entries if e.name == name), None)
        if entry is not None:
            functions = sorted(set(entry.functions) | set(functions))
        new_text = add_or_update_entry(existing_text, name, str(library), functions)
        title = f"Register {library.name} in plugin manifest {target}"
        if target.is_file():
            whole = ctx.lines(target).span(0, len(ctx.lines(target).data))
            yield Fix(title, edits=(TextEdit(target, whole, new_text),), preferred=True)
        else:
            yield Fix(title, creates=(CreateFile(target, new_text),), preferred=True)
        prefix = satellite_prefix(decl.name)
        if prefix:
            yield Fix(
                f"Install {library.name} as {satellite_library_name(prefix)} where the runtime looks",
                command=CommandRef(
                    "Register library", "sffi.registerLibrary",
                    ({"library": str(library), "mode": "satellite", "prefix": prefix},),
                ),
            )


class NotMarshallable(DeclarationRule):
    """Not marshallable: a dynamically loaded extern with a non-integer parameter or return.

    ## What it does
    Reports an `extern fn` that can only resolve through the dynamic SFFI path (a plugin
    manifest or a satellite library) but has a parameter or return type that is not an
    integer (`text`, `f64`, arrays, tuples...), or more than 13 parameters.

    ## Why is this bad?
    The dynamic path marshals only 64-bit integers; anything else fails at run time with
    `SFFI_UNSUPPORTED_CONVERSION`.

    ## Example
    ```simple
    extern fn rt_bitset_version() -> text   # found through manifest.sdn
    ```

    ## Use instead
    Pass text through an integer handle API (e.g. return a handle and read it with a
    runtime built-in), or provide the function from the runtime itself.
    """

    code = "SFFI008"
    name = "not-marshallable"
    severity = Severity.ERROR

    def check_declarations(self, ctx: CheckContext, decls: Iterable[Declaration]) -> Iterator[Finding]:
        for decl in extern_functions(decls):
            res = ctx.resolver.resolve(decl.name)
            if not res.dynamic_only:
                continue
            problems = [
                f"parameter `{p.name}: {p.type}`" for p in decl.params
                if not is_marshallable_type(ctx.effective_type(p.type))
            ]
            if not is_marshallable_type(ctx.effective_type(decl.returns)):
                problems.append(f"return type `{decl.returns}`")
            if len(decl.params) > MAX_DYNAMIC_PARAMS:
                problems.append(f"{len(decl.params)} parameters (at most {MAX_DYNAMIC_PARAMS})")
            if not problems:
                continue
            route, path = res.routes[0]
            yield Finding(
                self.code, self.severity,
                f"`{decl.name}` loads dynamically ({route}: {ctx.project.relative(path)}), which passes only "
                f"integers: {', '.join(problems)} fails with SFFI_UNSUPPORTED_CONVERSION",
                decl.path, decl.name_span,
            )
