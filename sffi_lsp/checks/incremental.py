"""Findings kept between runs, and re-checking only what an edit of ``.spl`` files can change.

The language server re-checks on every keystroke; running every rule over the whole
project each time costs hundreds of milliseconds on a large workspace. Rules come in
three kinds (``checks/rule.py``):

- declaration rules: a finding sits on one extern and depends on it and the native
  side only, so only the edited files' externs are re-checked;
- name rules (duplicates, calls): re-checked for the names the edit touched: names the
  edited files declare or call (before or after), and names whose declared status
  changed anywhere;
- project rules (spec, stale wrapper, stub build, undeclared export): cheap, re-run on
  every update, except SFFI011, which re-runs only when the set of declared names changed.

A change that can shift everything (an `extern type` added or removed, a non-``.spl``
file, new settings or natives) runs every rule again.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from sffi_lsp.baseline import editor_view
from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.registry import active_rules, apply_settings
from sffi_lsp.checks.rule import DeclarationRule, NameRule, Rule
from sffi_lsp.checks.undeclared import UndeclaredExport
from sffi_lsp.index.declarations import FileEntries
from sffi_lsp.model import DeclKind, Finding


class FindingsStore:
    """The findings of one project: raw per rule, and per path after the settings."""

    def __init__(self) -> None:
        self.raw: dict[type[Rule], list[Finding]] = {}
        self.by_path: dict[Path, list[Finding]] = {}
        self._entries: dict[Path, FileEntries] = {}
        self._declared: frozenset[str] = frozenset()
        self._opaque: frozenset[str] = frozenset()
        self.baseline_problem: str | None = None  # why the `baseline` setting's file is unusable

    # ---------------------------------------------------------------- runs
    def run_all(self, ctx: CheckContext) -> set[Path]:
        """Every rule over the whole project; returns the paths whose findings changed."""
        rules = active_rules(ctx.settings.select, ctx.settings.ignore)
        self.raw = {rule: list(rule().check(ctx)) for rule in rules}
        return self._finish(ctx)

    def run_changed(self, ctx: CheckContext, changed: Iterable[Path]) -> set[Path]:
        """Re-check after the ``.spl`` files ``changed`` were re-indexed."""
        changed = set(changed)
        rules = active_rules(ctx.settings.select, ctx.settings.ignore)
        if (
            not self.raw
            or set(rules) != set(self.raw)
            or any(p.suffix != ".spl" for p in changed)
            or ctx.opaque_types != self._opaque
        ):
            return self.run_all(ctx)
        index = ctx.project.declarations
        before = [self._entries.get(p) for p in changed]
        after = [index.files.get(p) for p in changed]
        entries = [e for e in before + after if e is not None]
        touched_decls = {d.name for e in entries for d in e.externs() if d.kind is DeclKind.EXTERN_FN}
        touched_calls = {name for e in entries for name in e.call_names()}
        touched_fns = {name for e in entries for name in e.function_names()}
        # Names whose standing (declared as an extern / defined as a function) flipped.
        status_changed = {n for n in touched_decls if (n in ctx.declared_names) != (n in self._declared)}
        functions = ctx.project.declarations.function_names()
        defined_before = Counter(n for e in before if e is not None for n in e.function_names())
        defined_after = Counter(n for e in after if e is not None for n in e.function_names())
        for name in touched_fns:  # was it defined anywhere before these edits?
            now = name in functions
            elsewhere = (ctx.project.declarations.function_count(name) - defined_after[name]) > 0
            if now != (elsewhere or defined_before[name] > 0):
                status_changed.add(name)
        new_externs = [d for e in after if e is not None for d in e.externs()]

        for rule in rules:
            kept = self.raw[rule]
            if issubclass(rule, DeclarationRule):
                kept = [f for f in kept if f.path not in changed]
                kept += rule().check_declarations(ctx, new_externs)
            elif issubclass(rule, NameRule):
                names = (touched_calls if rule.touched_by == "calls" else touched_decls) | status_changed
                kept = [f for f in kept if f.data.get("name") not in names]
                kept += rule().check_names(ctx, sorted(names))
            elif rule is not UndeclaredExport or status_changed:
                kept = list(rule().check(ctx))
            self.raw[rule] = kept
        return self._finish(ctx)

    def _finish(self, ctx: CheckContext) -> set[Path]:
        findings = apply_settings(
            ctx, (f for found in self.raw.values() for f in found),
            select=ctx.settings.select, ignore=ctx.settings.ignore,
        )
        findings, self.baseline_problem = self._baseline(ctx, findings)
        grouped: dict[Path, list[Finding]] = defaultdict(list)
        for finding in findings:
            grouped[finding.path].append(finding)
        old = self.by_path
        self.by_path = dict(grouped)
        self._entries = dict(ctx.project.declarations.files)
        self._declared = frozenset(ctx.declared_names)
        self._opaque = ctx.opaque_types
        return {p for p in grouped.keys() | old.keys() if grouped.get(p, []) != old.get(p, [])}

    # ---------------------------------------------------------------- reading
    def of(self, path: Path) -> list[Finding]:
        return self.by_path.get(path, [])

    def fresh(self, ctx: CheckContext, path: Path) -> list[Finding]:
        """The findings of ``path`` computed now, with fixes against the current text of
        every file (cached findings of unchanged files may carry fixes that edit a file
        changed since)."""
        rules = active_rules(ctx.settings.select, ctx.settings.ignore)
        entry = ctx.project.declarations.files.get(path)
        externs = list(entry.externs()) if entry is not None else []
        names = {d.name for d in externs} | set(entry.call_names() if entry is not None else ())
        found: list[Finding] = []
        for rule in rules:
            if issubclass(rule, DeclarationRule):
                found += rule().check_declarations(ctx, externs)
            elif issubclass(rule, NameRule):
                found += rule().check_names(ctx, sorted(names))
            else:
                found += rule().check(ctx)
        return self._baseline(ctx, apply_settings(
            ctx, found, select=ctx.settings.select, ignore=ctx.settings.ignore, paths=[path]
        ))[0]

    @staticmethod
    def _baseline(ctx: CheckContext, findings: list[Finding]) -> tuple[list[Finding], str | None]:
        """The ``baseline`` setting applied: recorded findings hidden, or shown as hints."""
        settings, project = ctx.settings, ctx.project
        return editor_view(findings, project.root, project.declarations, settings.baseline_path,
                           settings.baseline_show)
