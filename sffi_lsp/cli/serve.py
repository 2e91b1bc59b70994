"""``sffi-lsp serve``: run the language server (what editors start)."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "run the language server (stdio by default)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (default)")
    p.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP address instead")
    p.add_argument("--log-file", type=Path, help="write the server log to this file")


def run(args: argparse.Namespace) -> int:
    from sffi_lsp.server.app import serve

    return serve(tcp=args.tcp, log_file=args.log_file)
