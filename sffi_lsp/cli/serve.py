"""``sffi-lsp serve``: run the language server (what editors start).

Bad ``--tcp`` and ``--log-file`` values, and an address already in use, end as one line
on stderr and exit 2, before or instead of a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "run the language server (stdio by default)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (default)")
    p.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP address instead")
    p.add_argument("--log-file", type=Path, help="write the server log to this file")


class UsageError(ValueError):
    """A bad argument, said in one line."""


def parse_address(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (or ``:PORT``, ``PORT``) -> (host, port); ``[::1]:PORT`` for IPv6."""
    host, sep, port_text = text.rpartition(":")
    if not sep:
        host, port_text = "", text
    host = host.strip("[]") or "127.0.0.1"
    if not port_text.isdigit():
        raise UsageError(f"--tcp {text}: expected HOST:PORT with a numeric port")
    port = int(port_text)
    if not 0 < port < 65536:
        raise UsageError(f"--tcp {text}: port {port} is out of range (1-65535)")
    return host, port


def _check_listen(host: str, port: int) -> None:
    """Fail now, in one line, if the address cannot be listened on."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise UsageError(f"--tcp {host}:{port}: cannot resolve {host}: {exc.strerror or exc}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise UsageError(f"--tcp {host}:{port}: cannot listen: {exc.strerror or exc}") from None


def _check_log_file(path: Path) -> None:
    try:
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise UsageError(f"--log-file {path}: {exc.strerror or exc}") from None


def run(args: argparse.Namespace) -> int:
    try:
        address = parse_address(args.tcp) if args.tcp else None
        if address is not None:
            _check_listen(*address)
        if args.log_file is not None:
            _check_log_file(args.log_file)
    except UsageError as exc:
        print(f"sffi-lsp: {exc}", file=sys.stderr)
        return 2
    from sffi_lsp.server.app import serve

    try:
        return serve(tcp=f"{address[0]}:{address[1]}" if address else None,
                     log_file=str(args.log_file) if args.log_file else None)
    except OSError as exc:
        print(f"sffi-lsp: serve: {exc.strerror or exc}", file=sys.stderr)
        return 2
