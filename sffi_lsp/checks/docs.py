"""Generate ``docs/rules.md`` from the rules' docstrings: ``python -m sffi_lsp.checks.docs``."""

from __future__ import annotations

import sys

from sffi_lsp.checks.registry import RULES, SPEC_RULES
from sffi_lsp.checks.spec_rules import SpecProblems

_SEVERITY = {1: "error", 2: "warning", 3: "information", 4: "hint"}

HEADER = """# SFFI rules

Generated from the rule docstrings by `python -m sffi_lsp.checks.docs > docs/rules.md`;
a test keeps this file and the code in agreement. Select or ignore rules by code or
prefix (`--select SFFI00`, `select = [...]` in `[tool.sffi-lsp]`), change a severity
with `severity = { SFFI011 = "off" }`, and silence rules per folder with
`per-file-ignores = { "src/kernel/*" = ["SFFI002"] }`.

| Code | Name | Default severity | Summary |
| --- | --- | --- | --- |
"""


def render() -> str:
    rows = []
    sections = []
    for rule in RULES:
        doc = rule.documentation()
        summary, _, body = doc.partition("\n")
        if rule is SpecProblems:
            for code, (name, what) in SPEC_RULES.items():
                rows.append(f"| [{code}](#{rule.anchor()}) | {name} | {_SEVERITY[rule.severity]} | {what} |")
        else:
            rows.append(f"| [{rule.code}](#{rule.anchor()}) | {rule.name} | {_SEVERITY[rule.severity]} | {summary} |")
        sections.append(
            f"## {rule.code} {rule.name}\n\n**{summary}** Default severity: {_SEVERITY[rule.severity]}.\n"
            f"{body.rstrip()}\n"
        )
    return HEADER + "\n".join(rows) + "\n\n" + "\n".join(sections)


if __name__ == "__main__":
    sys.stdout.write(render())
