"""``sffi-lsp register``: make a built library loadable by the runtime."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "make a built library loadable by the runtime"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("library", type=Path)
    p.add_argument("--root", help="workspace root (default: found from the library)")
    p.add_argument("--manifest", type=Path,
                   help="plugin manifest to write (default: plugin-manifest from the settings)")
    p.add_argument("--global", dest="global_manifest", action="store_true",
                   help="write the user's manifest ($SIMPLE_PLUGIN_MANIFEST or ~/.simple/plugins/manifest.sdn)"
                        " when the settings name none")
    p.add_argument("--satellite", metavar="PREFIX",
                   help="install as libspl_PREFIX.so instead (PREFIX: a satellite the runtime loads: "
                        "ts, torch, cuda, vulkan, vhdl)")
    p.add_argument("--dest", type=Path, help="directory for --satellite (default: <root>/build)")


def run(args: argparse.Namespace) -> int:
    from sffi_lsp.backends.register import (
        default_manifest_path,
        functions_to_register,
        install_satellite,
        plugin_name,
        register_in_manifest,
    )
    from sffi_lsp.checks.resolution import SATELLITE_PREFIXES
    from sffi_lsp.cli._backend import root_for
    from sffi_lsp.workspace.project import Project

    library = args.library.resolve()
    if not library.is_file():
        print(f"sffi-lsp: no such library: {args.library}", file=sys.stderr)
        return 2
    if args.satellite and args.satellite not in SATELLITE_PREFIXES:
        print(f"sffi-lsp: unknown satellite prefix '{args.satellite}': the runtime loads "
              f"libspl_<prefix>.so only for {', '.join(SATELLITE_PREFIXES)}", file=sys.stderr)
        return 2
    root = root_for(args, library)
    project = Project.open(root)
    try:
        if args.satellite:
            result = install_satellite(library, args.satellite, (args.dest or root / "build").resolve())
        else:
            info = project.natives.libraries.get(library)
            if info is None:  # named directly, outside the workspace's library globs
                from sffi_lsp.index.natives.reader import read_library_report

                info = read_library_report(library).info
            functions = functions_to_register(
                (s.name for s in info.symbols) if info else (),
                (d.name for d in project.declarations.externs()),
                project.settings.extern_prefixes,
            )
            if not functions:
                prefixes = ", ".join(project.settings.extern_prefixes)
                print(f"sffi-lsp: not registering {args.library}: it exports no function that Simple "
                      f"code declares or that starts with {prefixes}", file=sys.stderr)
                return 2
            manifest = args.manifest
            if manifest is None and (project.settings.plugin_manifest or args.global_manifest):
                manifest = default_manifest_path(project.settings, root)
            if manifest is None:
                print("sffi-lsp: no manifest to write: set plugin-manifest in the settings of "
                      f"{root}, pass --manifest FILE, or --global for the user's manifest "
                      f"({default_manifest_path(project.settings, None)})", file=sys.stderr)
                return 2
            result = register_in_manifest(manifest, plugin_name(library), library, functions)
    except OSError as exc:
        print(f"sffi-lsp: cannot register {args.library}: {exc.strerror or exc}"
              + (f": {exc.filename}" if exc.filename else ""), file=sys.stderr)
        return 2
    print(f"sffi-lsp: {result.message}", file=sys.stderr)
    if result.backup is not None:
        print(f"sffi-lsp: previous content kept in {result.backup}", file=sys.stderr)
    print(result.path)
    return 0
