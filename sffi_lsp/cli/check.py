"""``sffi-lsp check``: run the checks over workspace roots (or files) and report, or fix.

Exit status: 0 clean (or ``--exit-zero``), 1 findings at error level (or, with ``--diff``,
changes to show), 2 usage, settings or file-system problems: nothing is reported as
passing unless something was checked.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from sffi_lsp.cli.formats import display_path as _display_path

if TYPE_CHECKING:  # imported when the command runs: "check --help" stays light
    from sffi_lsp.checks.context import CheckContext
    from sffi_lsp.model import Finding, Fix
    from sffi_lsp.workspace.project import Project

HELP = "run the SFFI checks and report findings"
MAX_FIX_PASSES = 10
FORMATS = ("text", "json", "sarif", "github")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", type=Path, default=[Path(".")],
                   help="files or directories (default: .); each one's root is found upward")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="text (default), json, sarif or github (workflow annotations)")
    p.add_argument("--select", default="", help="comma-separated codes or prefixes to report")
    p.add_argument("--ignore", default="", help="comma-separated codes or prefixes to skip")
    p.add_argument("--exclude", default="", help="comma-separated globs to leave out (added to the settings')")
    p.add_argument("--config", type=Path, metavar="FILE",
                   help="read the settings from FILE (a sffi-lsp.toml or pyproject.toml)")
    p.add_argument("--fix", action="store_true", help="apply the safe fixes")
    p.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: the unsafe fixes too")
    p.add_argument("--diff", action="store_true", help="show what --fix would change, change nothing")
    p.add_argument("--statistics", action="store_true", help="count the findings per rule")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    recorded = p.add_mutually_exclusive_group()
    recorded.add_argument("--baseline", type=Path, metavar="FILE",
                          help="suppress the findings FILE records; report new ones and stale entries "
                               "(default: the `baseline` setting)")
    recorded.add_argument("--write-baseline", type=Path, metavar="FILE",
                          help="write (or refresh) FILE with the current findings")


def run(args: argparse.Namespace) -> int:
    return run_check(args)


@dataclass(frozen=True)
class Options:
    """What selects the findings and the fixes of one run."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    config: Path | None = None
    unsafe: bool = False


@dataclass
class RootResult:
    project: Project
    findings: list[Finding]
    fixed: int = 0
    diffs: list[str] = field(default_factory=list)
    scopes: list[Path] | None = None  # what was asked for under the root (None: all of it)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in text.split(",") if c.strip())


def _targets(paths: list[Path]) -> dict[Path, list[Path] | None]:
    """Workspace root -> the files and directories asked for under it (None: the whole root)."""
    from sffi_lsp.workspace.discovery import find_root, nested_projects

    targets: dict[Path, list[Path] | None] = {}
    for raw in paths:
        path = Path(os.path.abspath(raw))
        root = find_root(path)
        if path == root:
            targets[root] = None
            for nested in nested_projects(root):  # a project of its own (its own sffi-lsp.toml)
                targets[nested] = None
        elif root not in targets or targets[root] is not None:
            scopes = targets.setdefault(root, [])
            if scopes is not None:
                scopes.append(path)
    return targets


def _in_scope(path: Path, scopes: list[Path] | None) -> bool:
    return scopes is None or any(path == s or path.is_relative_to(s) for s in scopes)


def _open(root: Path, options: Options) -> Project:
    from sffi_lsp.workspace.project import Project

    project = Project.open(root, config=options.config)
    if options.exclude:
        project.settings = replace(project.settings, exclude=project.settings.exclude + options.exclude)
        project.rescan()
    return project


def _check(root: Path, scopes: list[Path] | None, options: Options) -> tuple[Project, CheckContext, list[Finding]]:
    from sffi_lsp.checks.context import CheckContext
    from sffi_lsp.checks.registry import run_checks

    project = _open(root, options)
    ctx = CheckContext(project)
    findings = run_checks(ctx, select=options.select, ignore=options.ignore)
    return project, ctx, [f for f in findings if _in_scope(f.path, scopes)]


def _digest_when_read(project: Project, ctx: CheckContext, path: Path) -> str | None:
    """The digest of ``path`` as the checks read it (the index, or a fix's own read)."""
    entries = project.declarations.files.get(path)
    if entries is not None and entries.source_digest is not None:
        return entries.source_digest
    return ctx.read_digests.get(path)


def _applicable(fix: Fix, unsafe: bool) -> bool:
    return (fix.safe or unsafe) and fix.command is None and not fix.creates and bool(fix.edits)


class FixWriteError(Exception):
    """A fix could not be written (a read-only directory, a full disk): one line for the user."""


def _unified_diff(path: Path, old: bytes, new: bytes) -> str:
    import difflib

    from sffi_lsp.text import decode

    name = _display_path(path)
    return "".join(difflib.unified_diff(
        decode(old).splitlines(keepends=True), decode(new).splitlines(keepends=True),
        fromfile=f"a/{name}", tofile=f"b/{name}",
    ))


def _fix_root(root: Path, scopes: list[Path] | None, options: Options, err: TextIO,
              *, dry_run: bool = False) -> RootResult:
    """Apply fixes until none is left (or a pass changes nothing); returns the last findings.
    ``dry_run``: one pass, nothing written, the changes returned as unified diffs."""
    from sffi_lsp.fixes import FileChanged, apply_edits, digest, plan, write_if_unchanged
    from sffi_lsp.text import decode

    fixed = 0
    refused: set[Path] = set()
    diffs: list[str] = []
    for _ in range(MAX_FIX_PASSES):
        project, ctx, findings = _check(root, scopes, options)
        if settings_problems(project):
            return RootResult(project, findings)  # never fix under settings that did not load
        chosen = plan(fix for f in findings for fix in f.fixes if _applicable(fix, options.unsafe))
        wrote = False
        for path, edits in chosen.edits.items():
            if path in refused:
                continue
            try:
                raw = path.read_bytes()
            except OSError as exc:
                print(f"sffi-lsp: cannot fix {_display_path(path)}: {exc.strerror or exc}", file=err)
                refused.add(path)
                continue
            data = decode(raw).encode("utf-8")
            if data != raw:
                print(f"sffi-lsp: not fixing {_display_path(path)}: it is not valid UTF-8", file=err)
                refused.add(path)
                continue
            seen = _digest_when_read(project, ctx, path)
            if dry_run:
                diffs.append(_unified_diff(path, raw, apply_edits(data, edits)))
                continue
            try:
                if seen is None or seen != digest(raw):
                    raise FileChanged(str(path))
                write_if_unchanged(path, seen, apply_edits(data, edits))
            except FileChanged:
                print(f"sffi-lsp: not fixing {_display_path(path)}: it changed since it was read", file=err)
                refused.add(path)
                continue
            except OSError as exc:
                raise FixWriteError(f"cannot write the fix of {_display_path(path)}: "
                                    f"{exc.strerror or exc}") from None
            wrote = True
        fixed += len([f for f in chosen.applied if all(e.path not in refused for e in f.edits)])
        if dry_run:
            return RootResult(project, findings, fixed, diffs)
        if not wrote:
            return RootResult(project, findings, fixed)
    project, _, findings = _check(root, scopes, options)
    return RootResult(project, findings, fixed)


def settings_problems(project: Project) -> list[str]:
    """What is wrong with the settings of ``project``: any of it makes the run exit 2."""
    from sffi_lsp.checks.selectors import settings_selector_problems

    return project.settings_errors + settings_selector_problems(project.settings)


def _usage_problems(args: argparse.Namespace, options: Options) -> list[str]:
    from sffi_lsp.checks.selectors import selector_problems

    problems = selector_problems(options.select, "--select") + selector_problems(options.ignore, "--ignore")
    for raw in args.paths:
        if not os.path.lexists(raw):
            problems.append(f"no such path: {raw}")
    if options.config is not None and not options.config.is_file():
        problems.append(f"no such settings file: {options.config}")
    if args.fix and args.diff:
        problems.append("--fix and --diff cannot be used together")
    return problems


def _file_problems(project: Project, scopes: list[Path] | None) -> list[str]:
    """Files and directories that were asked for but could not be read."""
    problems = []
    files = project.files
    if files is not None:
        for path, reason in sorted(files.unreadable.items()):
            if _in_scope(path, scopes) or (scopes is not None and any(s.is_relative_to(path) for s in scopes)):
                problems.append(f"{_display_path(path)}: cannot read directory: {reason}")
    for problem in project.declarations.problems.values():
        if _in_scope(problem.path, scopes):
            problems.append(f"{_display_path(problem.path)}: {problem.reason}")
    for scope in scopes or ():
        if not scope.is_dir() and scope.suffix not in (".spl", ".wrapper_spec"):
            problems.append(f"{_display_path(scope)}: not a Simple source (.spl) or wrapper spec (.wrapper_spec)")
        elif scope.is_file() and not os.access(scope, os.R_OK):
            problems.append(f"{_display_path(scope)}: cannot read: Permission denied")
    return problems


def _notes(project: Project, scopes: list[Path] | None) -> list[str]:
    files = project.files
    if files is None:
        return []
    return [f"skipped {_display_path(p)}: not a regular file" for p in files.skipped if _in_scope(p, scopes)]


def _checked_anything(project: Project, scopes: list[Path] | None) -> bool:
    files = project.files
    if files is None:
        return False
    return any(_in_scope(p, scopes) for p in (*files.simple, *files.specs))


def _apply_baseline(args: argparse.Namespace, results: list[RootResult], options: Options,
                    err: TextIO) -> list[str] | None:
    """``--baseline``/``--write-baseline`` (or each root's ``baseline`` setting): drops the
    suppressed findings from ``results`` and returns the summary lines; None after a
    message when a baseline cannot be read or written."""
    from sffi_lsp.baseline import Baseline, BaselineError, Checked, baseline_path, run_keys, run_scope
    from sffi_lsp.checks.registry import selected

    def checked(r: RootResult) -> Checked:
        return Checked(r.project.root, r.project.declarations, r.scopes, r.findings)

    def code_selected(project: Project) -> Callable[[str], bool]:
        chosen = options.select or project.settings.select
        skipped = options.ignore + project.settings.ignore
        return lambda code: selected(code, chosen, skipped)

    if args.write_baseline is not None:
        target: Path = args.write_baseline
        run = [checked(r) for r in results]
        scope = run_scope(run, code_selected(results[0].project)) if results else None
        try:
            old = Baseline.read(target) if target.exists() else Baseline()
            fresh = old.refreshed((k for k, _ in run_keys(run)), scope)
            fresh.write(target)
        except BaselineError as exc:
            print(f"sffi-lsp: {exc}", file=err)
            return None
        n = len(fresh)
        return [f"Wrote {n} baseline entr{'y' if n == 1 else 'ies'} to {_display_path(target)}."]

    groups: dict[Path, list[RootResult]] = {}
    for r in results:
        file = Path(os.path.abspath(args.baseline)) if args.baseline is not None else baseline_path(
            r.project.root, r.project.settings.baseline_path)
        if file is not None:
            groups.setdefault(file, []).append(r)
    lines: list[str] = []
    for file, members in groups.items():
        try:
            baseline = Baseline.read(file)
        except BaselineError as exc:
            print(f"sffi-lsp: {exc}", file=err)
            return None
        run = [checked(r) for r in members]
        split = baseline.apply(run_keys(run), run_scope(run, code_selected(members[0].project)))
        suppressed = {id(f) for f in split.suppressed}
        for r in members:
            r.findings = [f for f in r.findings if id(f) not in suppressed]
        n, stale = len(split.suppressed), split.stale_count
        lines.append(f"{n} finding{'s' if n != 1 else ''} suppressed by the baseline {_display_path(file)}; "
                     f"{stale} baseline entr{'y is' if stale == 1 else 'ies are'} fixed (stale)"
                     + (": refresh it with --write-baseline." if stale else "."))
    return lines


def run_check(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from sffi_lsp.model import Severity

    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    options = Options(
        select=_codes(args.select), ignore=_codes(args.ignore),
        exclude=tuple(g.strip() for g in args.exclude.split(",") if g.strip()),
        config=args.config, unsafe=args.unsafe_fixes,
    )
    usage = _usage_problems(args, options)
    if usage:
        for message in usage:
            print(f"sffi-lsp: {message}", file=err)
        return 2
    results: list[RootResult] = []
    broken = False
    for root, scopes in _targets(args.paths).items():
        try:
            if args.fix or args.diff:
                result = _fix_root(root, scopes, options, err, dry_run=args.diff)
            else:
                project, _, findings = _check(root, scopes, options)
                result = RootResult(project, findings)
            result.scopes = scopes
        except FixWriteError as exc:
            print(f"sffi-lsp: {exc}", file=err)
            return 2
        project = result.project
        broken_settings = settings_problems(project)
        for message in broken_settings:
            print(f"sffi-lsp: {message}", file=err)
        if broken_settings:
            broken = True
            result.findings = []  # found under settings that did not load: not reported
        for message in project.settings_warnings:
            print(f"sffi-lsp: warning: {message}", file=err)
        for message in _notes(project, scopes):
            print(f"sffi-lsp: note: {message}", file=err)
        problems = _file_problems(project, scopes)
        for message in problems:
            print(f"sffi-lsp: {message}", file=err)
        broken = broken or bool(problems)
        if not problems and not _checked_anything(project, scopes):
            for scope in scopes or [root]:
                print(f"sffi-lsp: No .spl files found under {_display_path(scope)}", file=err)
            broken = True
        results.append(result)
    notes: list[str] = []
    args.baseline = getattr(args, "baseline", None)  # callers may pass a Namespace without them
    args.write_baseline = getattr(args, "write_baseline", None)
    if not broken and (args.write_baseline is not None or args.baseline is not None
                       or any(r.project.settings.baseline_path for r in results)):
        applied = _apply_baseline(args, results, options, err)
        if applied is None:
            return 2
        notes = applied
        if args.write_baseline is not None:  # the file is the report
            out.write("".join(f"{note}\n" for note in notes))
            return 0
    findings = [f for r in results for f in r.findings]
    if args.diff:
        out.write("".join(d for r in results for d in r.diffs))
    elif args.statistics:
        from sffi_lsp.cli.formats.statistics import write_statistics

        write_statistics(findings, out, unsafe=options.unsafe)
    elif args.format == "json":
        from sffi_lsp.cli.formats.json import finding_record

        records = [finding_record(f, r.project) for r in results for f in r.findings]
        json.dump(records, out, indent=2)
        out.write("\n")
    elif args.format == "sarif":
        from sffi_lsp.cli.formats.sarif import sarif_log

        json.dump(sarif_log([(r.project.root, r.findings) for r in results]), out, indent=2)
        out.write("\n")
    elif args.format == "github":
        from sffi_lsp.cli.formats.github import write_github

        write_github(findings, out)
    else:
        from sffi_lsp.cli.formats.text import write_text

        write_text(findings, out, unsafe=options.unsafe, checked=not broken)
        if args.fix:
            fixed = sum(r.fixed for r in results)
            out.write(f"Applied {fixed} fix{'es' if fixed != 1 else ''}.\n")
    for note in notes:  # beside a machine-readable report, never inside it
        print(note, file=out if args.format == "text" and not args.statistics and not args.diff else err)
    if broken:
        return 2
    if args.diff:
        return 1 if any(r.diffs for r in results) and not args.exit_zero else 0
    if args.exit_zero:
        return 0
    return 1 if any(f.severity is Severity.ERROR for f in findings) else 0
