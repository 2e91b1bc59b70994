"""``sffi-lsp build``: cargo build a Tier 1 crate, compiler errors on their lines."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

HELP = "cargo build a Tier 1 crate"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("crate", type=Path, help="the crate directory (holding Cargo.toml)")
    p.add_argument("--root", help="workspace root (default: found from the crate)")


def run(args: argparse.Namespace) -> int:
    from sffi_lsp.backends.cargo import build_crate
    from sffi_lsp.cli._backend import echo, progress, root_for
    from sffi_lsp.workspace.project import Project

    crate = args.crate.resolve()
    if not (crate / "Cargo.toml").is_file():
        print(f"sffi-lsp: no Cargo.toml in {args.crate}", file=sys.stderr)
        return 2
    root = root_for(args, crate)
    project = Project.open(root, natives=False)
    result = asyncio.run(build_crate(crate, project.settings, root, on_output=echo, on_progress=progress))
    for finding in result.findings:
        print(f"{project.relative(finding.path)}:{finding.span.start.line + 1}:"
              f"{finding.span.start.character + 1}: {finding.code} {finding.message}")
    for artifact in result.artifacts:
        print(project.relative(Path(artifact)))
    print(f"sffi-lsp: {result.message}", file=sys.stderr)
    return 0 if result.ok else 1
