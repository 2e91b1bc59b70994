"""``sffi-lsp register``: make a built library loadable by the runtime."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "make a built library loadable by the runtime"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("library", type=Path)
    p.add_argument("--root", help="workspace root (default: found from the library)")
    p.add_argument("--manifest", type=Path, help="plugin manifest to write (default: from settings)")
    p.add_argument("--satellite", metavar="PREFIX", help="install as libspl_PREFIX.so instead")
    p.add_argument("--dest", type=Path, help="directory for --satellite (default: <root>/build)")


def run(args: argparse.Namespace) -> int:
    from sffi_lsp.backends.register import (
        default_manifest_path,
        functions_to_register,
        install_satellite,
        plugin_name,
        register_in_manifest,
    )
    from sffi_lsp.cli._backend import root_for
    from sffi_lsp.workspace.project import Project

    library = args.library.resolve()
    if not library.is_file():
        print(f"sffi-lsp: no such library: {args.library}", file=sys.stderr)
        return 2
    root = root_for(args, library)
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
