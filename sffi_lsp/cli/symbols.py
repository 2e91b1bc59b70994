"""``sffi-lsp symbols``: list what the index holds (declarations, or native symbols) of
workspaces, directories in them, or files named directly (``.spl`` files, libraries),
the way ``nm`` lists the files it is given."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

HELP = "list what the index holds (declarations, native symbols)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", type=Path, default=[Path(".")],
                   help="directories, .spl files or libraries (default: .)")
    p.add_argument("--native", action="store_true", help="list native symbols instead")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--pretty", action="store_true", help="with --format json: indent the output")


def _records_of(path: Path, native: bool, json_items: list[str] | None = None
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[Path]]:
    from sffi_lsp.cli import _records
    from sffi_lsp.workspace.discovery import find_root, is_library_name, is_regular_file

    path = Path(os.path.abspath(path))
    root = find_root(path)
    if path.is_dir():
        scope = None if path == root else path
        if native:
            return _records.native_records(root, scope)
        return _records.declaration_records(root, scope)
    if not is_regular_file(path):
        return [], [], [path]
    if path.suffix == ".spl":
        if native:
            return [], [], []
        return (*_records.source_file_records(path, root), [])
    if native or is_library_name(path.name):
        return (*_records.library_file_records(path, root, json_items), [])
    return [], [{"path": str(path), "reason": "not a .spl file or a library (.so, .a, .o, .dylib, .dll)"}], []


def run(args: argparse.Namespace) -> int:
    records: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    for path in args.paths:
        if not os.path.lexists(path):
            print(f"sffi-lsp: no such path: {path}", file=sys.stderr)
            return 2
    # Compact JSON of a library named directly is written straight from its columns.
    json_items: list[str] | None = [] if args.format == "json" and not args.pretty else None
    for path in args.paths:
        found, bad, skipped = _records_of(path, args.native, json_items)
        records.extend(found)
        problems.extend(bad)
        for p in skipped:
            print(f"sffi-lsp: note: skipped {os.path.relpath(p)}: not a regular file", file=sys.stderr)
    if args.format == "json" and json_items is not None:
        text = json.dumps(records, separators=(",", ":"))  # one call of the C encoder
        if json_items:
            text = text[:-1] + ("," if records else "") + ",".join(json_items) + "]"
        sys.stdout.write(text + "\n")
    elif args.format == "json":
        sys.stdout.write(json.dumps(records, indent=2) + "\n")
    else:
        sys.stdout.write("".join(symbol_line(r) + "\n" for r in records))
    for problem in problems:
        print(f"sffi-lsp: {problem['path']}: {problem['reason']}", file=sys.stderr)
    return 2 if problems else 0


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
