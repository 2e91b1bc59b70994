"""Rule selectors (``--select``, ``--ignore``, ``select``, ``severity``, ``per-file-ignores``)
checked against the rules that exist: a typo must not turn every rule off in silence."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from sffi_lsp.checks.registry import RULES, SPEC_RULES, all_codes
from sffi_lsp.checks.spec_rules import SpecProblems
from sffi_lsp.workspace.settings import Settings


def _names() -> dict[str, str]:
    """Rule name -> code (``unresolved-extern`` -> ``SFFI001``)."""
    names = {r.name: r.code for r in RULES if r is not SpecProblems}
    names.update({name: code for code, (name, _) in SPEC_RULES.items()})
    return names


def rule_code(text: str) -> str | None:
    """The code a rule code or rule name stands for, or None."""
    wanted = text.strip().upper()
    if wanted in all_codes():
        return wanted
    return _names().get(text.strip().lower())


def selector_problem(selector: str, where: str, *, exact: bool = False) -> str | None:
    """Why ``selector`` selects no rule (with a did-you-mean), or None when it selects some.

    ``exact``: only a whole code will do (``severity`` keys), not a prefix like ``SFFI1``."""
    codes = all_codes()
    wanted = selector.strip().upper()
    if wanted and (wanted in codes or (not exact and any(c.startswith(wanted) for c in codes))):
        return None
    kind = "rule code" if exact else "rule code or prefix"
    message = f"unknown {kind} '{selector}' in {where}"
    by_name = _names().get(selector.strip().lower())
    if by_name is not None:
        return f"{message}; did you mean {by_name} ({selector.strip().lower()})?"
    close = _nearest_code(wanted, codes)
    close = close or difflib.get_close_matches(selector.strip().lower(), list(_names()), n=1, cutoff=0.6)
    if close:
        suggestion = close[0] if close[0] in codes else f"{_names()[close[0]]} ({close[0]})"
        return f"{message}; did you mean {suggestion}?"
    return f"{message}; rule codes are {codes[0]}..{codes[-1]} (sffi-lsp rule --all lists them)"


def _distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _nearest_code(wanted: str, codes: list[str]) -> list[str]:
    """The code at the smallest edit distance (at most 2), ties to the longest shared start."""
    if not wanted.startswith("S"):
        return []

    def shared(code: str) -> int:
        return next((i for i, (x, y) in enumerate(zip(wanted, code, strict=False)) if x != y),
                    min(len(wanted), len(code)))

    best = min(codes, key=lambda c: (_distance(wanted, c), -shared(c), c))
    return [best] if _distance(wanted, best) <= 2 else []


def selector_problems(selectors: Iterable[str], where: str) -> list[str]:
    return [p for s in selectors if (p := selector_problem(s, where)) is not None]


def settings_selector_problems(settings: Settings) -> list[str]:
    """Every selector in the settings that selects nothing."""
    problems = selector_problems(settings.select, "setting 'select'")
    problems += selector_problems(settings.ignore, "setting 'ignore'")
    for pattern, codes in settings.per_file_ignores.items():
        problems += selector_problems(codes, f"setting 'per-file-ignores.\"{pattern}\"'")
    for code in settings.severity:
        problem = selector_problem(code, "setting 'severity'", exact=True)
        if problem is not None:
            problems.append(problem)
    return problems
