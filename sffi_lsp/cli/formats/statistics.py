"""``--statistics``: how many findings each rule has, most first (like ``ruff --statistics``)."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from sffi_lsp.cli.formats import is_fixable
from sffi_lsp.model import Finding


def _rule_name(code: str) -> str:
    from sffi_lsp.checks.registry import SPEC_RULES, rule_for
    from sffi_lsp.checks.spec_rules import SpecProblems

    rule = rule_for(code)
    if rule is SpecProblems:
        return SPEC_RULES[code][0]
    return rule.name if rule is not None else ""


def write_statistics(findings: list[Finding], out: TextIO, *, unsafe: bool = False) -> None:
    counts = Counter(f.code for f in findings)
    fixable = {f.code for f in findings if is_fixable(f, unsafe)}
    width = len(str(max(counts.values(), default=0)))
    for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        mark = "[*]" if code in fixable else "   "
        out.write(f"{n:>{width}}\t{code}\t{mark} {_rule_name(code)}\n")
