"""``sffi-lsp symbols``: list what the index holds (declarations, or native symbols)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HELP = "list what the index holds (declarations, native symbols)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", type=Path, default=[Path(".")], help="workspace roots")
    p.add_argument("--native", action="store_true", help="list native symbols instead")
    p.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    from sffi_lsp.cli._records import declaration_records, native_records

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
            print(symbol_line(r))
    for problem in problems:
        print(f"sffi-lsp: {problem['path']}: {problem['reason']}", file=sys.stderr)
    return 0


def symbol_line(record: dict[str, Any]) -> str:
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
