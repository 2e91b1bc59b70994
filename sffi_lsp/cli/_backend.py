"""What ``regenerate``, ``build`` and ``register`` share: progress lines and the root.

Thin adapters over ``sffi_lsp.backends``; the language server runs the same functions
for ``sffi.regenerateWrapper``, ``sffi.buildLibrary`` and ``sffi.registerLibrary``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sffi_lsp.workspace.project import find_root


def echo(stream: str, line: str) -> None:
    print(line, file=sys.stderr)


def progress(message: str) -> None:
    print(f"sffi-lsp: {message}", file=sys.stderr)


def root_for(args: argparse.Namespace, target: Path) -> Path:
    return Path(args.root).resolve() if args.root else find_root(target)
