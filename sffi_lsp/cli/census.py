"""``sffi-lsp census``: one row per extern name of the workspace(s): declarations, call
sites, each lane's state, providers, class and signature drift; as a table, JSON or CSV."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TextIO

HELP = "one row per extern name: declarations, calls, lanes, providers, class, drift"


SORT_KEYS = ("name", "calls", "class")  # census.render.SORT_KEYS, kept here so --help imports nothing


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", type=Path, default=[Path(".")],
                   help="files or directories (default: .); each one's root is found upward")
    p.add_argument("--format", choices=("text", "json", "csv"), default="text")
    p.add_argument("--config", type=Path, metavar="FILE",
                   help="read the settings from FILE (a sffi-lsp.toml or pyproject.toml)")
    p.add_argument("--class", dest="classes", default="", metavar="CLASS,..",
                   help="only these classes (ok, lane-gap, capability-gap, unresolved, dead, shadowed, "
                        "undeclared-export)")
    p.add_argument("--sort", choices=SORT_KEYS, default="name", help="row order (calls: most called first)")


def run(args: argparse.Namespace, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    from sffi_lsp.census import build_census
    from sffi_lsp.census.render import chosen_rows, csv_report, csv_rows, json_workspace, parse_classes, text_report
    from sffi_lsp.cli.check import settings_problems
    from sffi_lsp.workspace.discovery import find_root
    from sffi_lsp.workspace.project import Project

    classes, unknown = parse_classes(args.classes)
    if unknown:
        print(f"sffi-lsp: unknown census class: {', '.join(unknown)}", file=err)
        return 2
    if args.config is not None and not args.config.is_file():
        print(f"sffi-lsp: no such settings file: {args.config}", file=err)
        return 2
    roots: dict[Path, str] = {}
    for raw in args.paths:
        if not raw.exists():
            print(f"sffi-lsp: no such path: {raw}", file=err)
            return 2
        path = Path(os.path.abspath(raw))
        root = find_root(path)
        roots.setdefault(root, raw.as_posix() if root == path else os.path.relpath(root))
    broken = False
    texts: list[str] = []
    workspaces = []
    tables = []
    for root, label in roots.items():
        project = Project.open(root, config=args.config)
        for message in settings_problems(project):
            print(f"sffi-lsp: {message}", file=err)
            broken = True
        for message in project.settings_warnings:
            print(f"sffi-lsp: warning: {message}", file=err)
        census = build_census(project)
        rows = chosen_rows(census, classes, args.sort)
        if args.format == "json":
            workspaces.append(json_workspace(census, rows, label))
        elif args.format == "csv":
            tables.append(csv_rows(census, rows, label))
        else:
            heading = f"{label}:\n" if len(roots) > 1 else ""
            texts.append(heading + text_report(census, rows))
    if args.format == "json":
        json.dump({"workspaces": workspaces}, out, indent=2)
        out.write("\n")
    elif args.format == "csv":
        out.write(csv_report(tables))
    else:
        out.write("\n".join(texts))
    return 2 if broken else 0
