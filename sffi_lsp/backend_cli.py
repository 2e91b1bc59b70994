"""``sffi-lsp regenerate | build | register``: the generator and build backends from a shell.

Thin adapters over ``sffi_lsp.backends``; the language server runs the same functions
for ``sffi.regenerateWrapper``, ``sffi.buildLibrary`` and ``sffi.registerLibrary``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from sffi_lsp.backends.cargo import build_crate
from sffi_lsp.backends.generated_state import plan_regeneration, run_regeneration
from sffi_lsp.backends.generator import GeneratorNotFound
from sffi_lsp.backends.register import (
    default_manifest_path,
    functions_to_register,
    install_satellite,
    plugin_name,
    register_in_manifest,
)
from sffi_lsp.workspace.project import Project, find_root


def _echo(stream: str, line: str) -> None:
    print(line, file=sys.stderr)


def _progress(message: str) -> None:
    print(f"sffi-lsp: {message}", file=sys.stderr)


def _root(args: argparse.Namespace, target: Path) -> Path:
    return Path(args.root).resolve() if args.root else find_root(target)


def add_backend_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("regenerate", help="run the wrapper generator for a .wrapper_spec")
    p.add_argument("spec", type=Path)
    p.add_argument("--root", help="workspace root (default: found from the spec)")
    p.add_argument("--yes", action="store_true", help="overwrite hand-edited outputs (after backing them up)")
    p.set_defaults(handler=run_regenerate)

    p = sub.add_parser("build", help="cargo build a Tier 1 crate")
    p.add_argument("crate", type=Path, help="the crate directory (holding Cargo.toml)")
    p.add_argument("--root", help="workspace root (default: found from the crate)")
    p.set_defaults(handler=run_build)

    p = sub.add_parser("register", help="make a built library loadable by the runtime")
    p.add_argument("library", type=Path)
    p.add_argument("--root", help="workspace root (default: found from the library)")
    p.add_argument("--manifest", type=Path, help="plugin manifest to write (default: from settings)")
    p.add_argument("--satellite", metavar="PREFIX", help="install as libspl_PREFIX.so instead")
    p.add_argument("--dest", type=Path, help="directory for --satellite (default: <root>/build)")
    p.set_defaults(handler=run_register)


def run_regenerate(args: argparse.Namespace) -> int:
    spec = args.spec.resolve()
    if not spec.is_file():
        print(f"sffi-lsp: no such spec: {args.spec}", file=sys.stderr)
        return 2
    root = _root(args, spec)
    project = Project.open(root, natives=False)
    try:
        plan = plan_regeneration(root, spec, project.settings)
    except GeneratorNotFound as exc:
        print(f"sffi-lsp: {exc}", file=sys.stderr)
        return 2

    async def confirm(edited: list[Path]) -> bool:
        names = ", ".join(project.relative(p) for p in edited)
        if args.yes:
            return True
        print(f"sffi-lsp: these generated files were edited by hand and would be overwritten: {names}",
              file=sys.stderr)
        if not sys.stdin.isatty():
            print("sffi-lsp: not regenerating; pass --yes to back them up and regenerate", file=sys.stderr)
            return False
        return input("Back them up and regenerate? [y/N] ").strip().lower() in ("y", "yes")

    result = asyncio.run(run_regeneration(plan, confirm, on_output=_echo, on_progress=_progress))
    print(f"sffi-lsp: {result.message}", file=sys.stderr)
    for path in result.changed_files:
        print(project.relative(path))
    return 0 if result.ok else 1


def run_build(args: argparse.Namespace) -> int:
    crate = args.crate.resolve()
    if not (crate / "Cargo.toml").is_file():
        print(f"sffi-lsp: no Cargo.toml in {args.crate}", file=sys.stderr)
        return 2
    root = _root(args, crate)
    project = Project.open(root, natives=False)
    result = asyncio.run(build_crate(crate, project.settings, root, on_output=_echo, on_progress=_progress))
    for finding in result.findings:
        print(f"{project.relative(finding.path)}:{finding.span.start.line + 1}:"
              f"{finding.span.start.character + 1}: {finding.code} {finding.message}")
    for artifact in result.artifacts:
        print(project.relative(Path(artifact)))
    print(f"sffi-lsp: {result.message}", file=sys.stderr)
    return 0 if result.ok else 1


def run_register(args: argparse.Namespace) -> int:
    library = args.library.resolve()
    if not library.is_file():
        print(f"sffi-lsp: no such library: {args.library}", file=sys.stderr)
        return 2
    root = _root(args, library)
    project = Project.open(root)
    if args.satellite:
        result = install_satellite(library, args.satellite, (args.dest or root / "build").resolve())
    else:
        info = project.natives.libraries.get(library)
        functions = functions_to_register(
            (s.name for s in info.symbols) if info else (),
            (d.name for d in project.declarations.externs()),
            project.settings.extern_prefixes,
        )
        manifest = args.manifest or default_manifest_path(project.settings, root)
        result = register_in_manifest(manifest, plugin_name(library), library, functions)
    print(f"sffi-lsp: {result.message}", file=sys.stderr)
    if result.backup is not None:
        print(f"sffi-lsp: previous content kept in {result.backup}", file=sys.stderr)
    print(result.path)
    return 0
