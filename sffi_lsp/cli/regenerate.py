"""``sffi-lsp regenerate``: run the wrapper generator for a ``.wrapper_spec``."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

HELP = "run the wrapper generator for a .wrapper_spec"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("spec", type=Path)
    p.add_argument("--root", help="workspace root (default: found from the spec)")
    p.add_argument("--yes", action="store_true", help="overwrite hand-edited outputs (after backing them up)")


def run(args: argparse.Namespace) -> int:
    from sffi_lsp.backends.generated_state import plan_regeneration, run_regeneration
    from sffi_lsp.backends.generator import GeneratorNotFound
    from sffi_lsp.cli._backend import echo, progress, root_for
    from sffi_lsp.workspace.project import Project

    spec = args.spec.resolve()
    if not spec.is_file():
        print(f"sffi-lsp: no such spec: {args.spec}", file=sys.stderr)
        return 2
    root = root_for(args, spec)
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

    result = asyncio.run(run_regeneration(plan, confirm, on_output=echo, on_progress=progress))
    print(f"sffi-lsp: {result.message}", file=sys.stderr)
    for path in result.changed_files:
        print(project.relative(path))
    return 0 if result.ok else 1
