"""The ``sffi-lsp`` command: ``symbols``, ``check``, ``serve`` (and the backend commands).

Each subcommand is a thin adapter: it builds the same core objects the server uses and
prints their results.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sffi_lsp import __version__


def _add_symbols(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("symbols", help="list what the index holds (declarations, native symbols)")
    p.add_argument("paths", nargs="*", type=Path, default=[Path(".")], help="workspace roots")
    p.add_argument("--native", action="store_true", help="list native symbols instead")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=_run_symbols)


def _run_symbols(args: argparse.Namespace) -> int:
    from sffi_lsp.report import declaration_records, native_records

    records: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    for root in args.paths:
        if not root.exists():
            print(f"sffi-lsp: no such path: {root}", file=sys.stderr)
            return 2
        if args.native:
            found, bad = native_records(root)
        else:
            found, bad = declaration_records(root)
        records.extend(found)
        problems.extend(bad)
    if args.format == "json":
        json.dump(records, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for r in records:
            print(_symbol_line(r))
    for problem in problems:
        print(f"sffi-lsp: {problem['path']}: {problem['reason']}", file=sys.stderr)
    return 0


def _symbol_line(record: dict[str, Any]) -> str:
    where = f"{record['path']}"
    if record.get("line"):
        where += f":{record['line']}:{record['column']}"
    if "params" in record and record.get("kind") in ("extern-fn", "fn"):
        params = ", ".join(
            f"{p['name']}: {p['type']}" if p.get("type") else str(p["name"])
            for p in record["params"]
        )
        ret = f" -> {record['returns']}" if record.get("returns") else ""
        return f"{where}: {record['kind']} {record['name']}({params}){ret}"
    extra = ""
    if record.get("address") is not None:
        extra = f" @0x{int(record['address']):x} size {record.get('size')}"
    return f"{where}: {record['kind']} {record['name']}{extra}"


def _add_check(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="run the SFFI checks and report findings")
    p.add_argument("paths", nargs="*", type=Path, default=[Path(".")], help="workspace roots")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    p.add_argument("--select", default="", help="comma-separated codes or prefixes to report")
    p.add_argument("--ignore", default="", help="comma-separated codes or prefixes to skip")
    p.add_argument("--fix", action="store_true", help="apply the safe fixes")
    written = p.add_mutually_exclusive_group()
    written.add_argument("--baseline", metavar="FILE",
                         help="suppress the findings recorded in FILE; report new ones and stale entries")
    written.add_argument("--write-baseline", metavar="FILE",
                         help="write (or refresh) FILE with the current findings")
    p.set_defaults(handler=_run_check)


def _run_check(args: argparse.Namespace) -> int:
    from sffi_lsp.check_command import run_check

    return run_check(args)


def _add_census(sub: argparse._SubParsersAction) -> None:
    from sffi_lsp import census_command

    p = sub.add_parser("census", help=census_command.HELP, description=census_command.HELP)
    census_command.add_arguments(p)
    p.set_defaults(handler=census_command.run)


def _add_serve(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="run the language server (stdio by default)")
    p.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (default)")
    p.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP address instead")
    p.add_argument("--log-file", type=Path, help="write the server log to this file")
    p.set_defaults(handler=_run_serve)


def _run_serve(args: argparse.Namespace) -> int:
    from sffi_lsp.server.app import serve

    return serve(tcp=args.tcp, log_file=args.log_file)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sffi-lsp",
        description="Language server and checker for the FFI layer (SFFI) of Simple.",
    )
    parser.add_argument("--version", action="version", version=f"sffi-lsp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_serve(sub)
    _add_check(sub)
    _add_symbols(sub)
    _add_census(sub)
    from sffi_lsp.backend_cli import add_backend_commands

    add_backend_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["serve", *(argv or [])])
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
