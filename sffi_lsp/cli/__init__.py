"""The ``sffi-lsp`` command line: one module per subcommand, like ``sffi_lsp/server``.

A subcommand is a module of this package whose name does not start with ``_``
(``check.py`` is ``sffi-lsp check``; ``_`` in a module name is ``-`` on the command
line). It defines ``HELP`` (one line), ``add_arguments(parser)`` and ``run(args) -> int``.
Adding a command is adding a module: ``main`` lists the modules without importing them
and imports only the one the command line names, so start-up pays for that command only.
Output formats live in ``formats/``; helpers shared by commands in ``_``-prefixed modules.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from sffi_lsp import __version__

DESCRIPTION = "Language server and checker for the FFI layer (SFFI) of Simple."


def command_names() -> list[str]:
    """Every subcommand, from the modules of this package (nothing is imported)."""
    return sorted(
        info.name.replace("_", "-")
        for info in pkgutil.iter_modules(__path__)
        if not info.ispkg and not info.name.startswith("_")
    )


def command_module(name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{name.replace('-', '_')}")


def _chosen(argv: Sequence[str], names: list[str]) -> str | None:
    """The subcommand the arguments name (the first word that is not an option)."""
    for arg in argv:
        if arg == "--":
            return None
        if not arg.startswith("-"):
            return arg if arg in names else None
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; only the subcommand ``argv`` names (all of them when None) is imported."""
    names = command_names()
    chosen = None if argv is None else _chosen(argv, names)
    parser = argparse.ArgumentParser(prog="sffi-lsp", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"sffi-lsp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in names:
        if argv is not None and name != chosen:
            # Named only: "sffi-lsp --help" and "invalid choice" still list every command.
            sub.add_parser(name, help=_help_without_import(name) if chosen is None else None,
                           add_help=False)
            continue
        module = command_module(name)
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(handler=module.run)
    return parser


def _help_without_import(name: str) -> str:
    """The ``HELP = "..."`` line of a command module, read as text (for ``sffi-lsp --help``)."""
    path = os.path.join(__path__[0], name.replace("-", "_") + ".py")
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("HELP = "):
                    return str(line[len("HELP = "):].strip().strip("\"'"))
    except OSError:
        pass
    return ""


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if args.command is None:
        if sys.stdin.isatty():
            # On a terminal: say what there is instead of silently starting a stdio server.
            parser.print_help()
            return 2
        # Editors pass "serve"; older configurations that pass nothing still get a server.
        argv = ["serve", *argv]
        args = build_parser(argv).parse_args(argv)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
