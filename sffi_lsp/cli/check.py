"""``sffi-lsp check``: run the checks over workspace roots (or files) and report, or fix."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TextIO

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.registry import run_checks
from sffi_lsp.cli.formats import display_path as _display_path
from sffi_lsp.fixes import FileChanged, apply_edits, digest, plan, write_if_unchanged
from sffi_lsp.model import Finding, Severity
from sffi_lsp.text import decode
from sffi_lsp.workspace.discovery import nested_projects
from sffi_lsp.workspace.project import Project, find_root

HELP = "run the SFFI checks and report findings"
MAX_FIX_PASSES = 10


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", type=Path, default=[Path(".")], help="workspace roots")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    p.add_argument("--select", default="", help="comma-separated codes or prefixes to report")
    p.add_argument("--ignore", default="", help="comma-separated codes or prefixes to skip")
    p.add_argument("--fix", action="store_true", help="apply the safe fixes")


def run(args: argparse.Namespace) -> int:
    return run_check(args)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in text.split(",") if c.strip())


def _targets(paths: list[Path]) -> dict[Path, set[Path] | None]:
    """Workspace root -> the files asked for under it (None: the whole root)."""
    targets: dict[Path, set[Path] | None] = {}
    for raw in paths:
        path = Path(os.path.abspath(raw))
        if path.is_dir():
            targets[path] = None
            for nested in nested_projects(path):  # each checked as its own project
                targets[nested] = None
        else:
            root = find_root(path)
            files = targets.setdefault(root, set())
            if files is not None:
                files.add(path)
    return targets


def check_root(root: Path, files: set[Path] | None, select: tuple[str, ...], ignore: tuple[str, ...]
               ) -> tuple[Project, list[Finding]]:
    project, _, findings = _check(root, files, select, ignore)
    return project, findings


def _check(root: Path, files: set[Path] | None, select: tuple[str, ...], ignore: tuple[str, ...]
           ) -> tuple[Project, CheckContext, list[Finding]]:
    project = Project.open(root)
    ctx = CheckContext(project)
    return project, ctx, run_checks(ctx, select=select, ignore=ignore, paths=files)


def _digest_when_read(project: Project, ctx: CheckContext, path: Path) -> str | None:
    """The digest of ``path`` as the checks read it (the index, or a fix's own read)."""
    entries = project.declarations.files.get(path)
    if entries is not None and entries.source_digest is not None:
        return entries.source_digest
    return ctx.read_digests.get(path)


def _fix_root(root: Path, files: set[Path] | None, select: tuple[str, ...], ignore: tuple[str, ...],
              err: TextIO) -> tuple[Project, list[Finding], int]:
    """Apply safe fixes until none is left (or a pass changes nothing); returns the last findings."""
    fixed = 0
    refused: set[Path] = set()
    for _ in range(MAX_FIX_PASSES):
        project, ctx, findings = _check(root, files, select, ignore)
        safe = [fix for f in findings for fix in f.fixes if fix.safe and fix.command is None and not fix.creates]
        chosen = plan(safe)
        wrote = False
        for path, edits in chosen.edits.items():
            if path in refused:
                continue
            try:
                raw = path.read_bytes()
            except OSError as exc:
                print(f"sffi-lsp: cannot fix {path}: {exc}", file=err)
                refused.add(path)
                continue
            data = decode(raw).encode("utf-8")
            if data != raw:
                print(f"sffi-lsp: not fixing {_display_path(path)}: it is not valid UTF-8", file=err)
                refused.add(path)
                continue
            seen = _digest_when_read(project, ctx, path)
            try:
                if seen is None or seen != digest(raw):
                    raise FileChanged(str(path))
                write_if_unchanged(path, seen, apply_edits(data, edits))
            except FileChanged:
                print(f"sffi-lsp: not fixing {_display_path(path)}: it changed since it was read", file=err)
                refused.add(path)
                continue
            wrote = True
        fixed += len([f for f in chosen.applied if all(e.path not in refused for e in f.edits)])
        if not wrote:
            return project, findings, fixed
    project, findings = check_root(root, files, select, ignore)
    return project, findings, fixed


def run_check(args: argparse.Namespace, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    select, ignore = _codes(args.select), _codes(args.ignore)
    for raw in args.paths:
        if not Path(raw).exists():
            print(f"sffi-lsp: no such path: {raw}", file=err)
            return 2
    all_findings: list[tuple[Project, Finding]] = []
    fixed = 0
    settings_broken = False
    targets = _targets(args.paths)
    # a nested project's paths are shown relative to the folder that was checked
    bases = {root: next((t for t in targets if t != root and root.is_relative_to(t)), root) for root in targets}
    for root, files in targets.items():
        if args.fix:
            project, findings, n = _fix_root(root, files, select, ignore, err)
            fixed += n
        else:
            project, findings = check_root(root, files, select, ignore)
        for message in project.settings_errors:
            print(f"sffi-lsp: {message}", file=err)
            settings_broken = True
        for problem in project.declarations.problems.values():
            print(f"sffi-lsp: {project.relative(problem.path)}: {problem.reason}", file=err)
        all_findings.extend((project, f) for f in findings)
    findings_only = [f for _, f in all_findings]
    if args.format == "json":
        from sffi_lsp.cli.formats.json import finding_record

        json.dump([finding_record(f, p, bases.get(p.root)) for p, f in all_findings], out, indent=2)
        out.write("\n")
    elif args.format == "sarif":
        from sffi_lsp.cli.formats.sarif import sarif_log

        root = next(iter(_targets(args.paths)), Path.cwd())
        json.dump(sarif_log(findings_only, root), out, indent=2)
        out.write("\n")
    else:
        from sffi_lsp.cli.formats.text import write_text

        write_text(findings_only, out)
        if args.fix:
            out.write(f"Applied {fixed} fix{'es' if fixed != 1 else ''}.\n")
    if settings_broken:
        return 2
    return 1 if any(f.severity is Severity.ERROR for f in findings_only) else 0
