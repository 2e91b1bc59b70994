"""``sffi-lsp rule CODE``: print a rule's documentation (``--all``: every code and name)."""

from __future__ import annotations

import argparse
import sys

HELP = "print the documentation of a rule (e.g. sffi-lsp rule SFFI003)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("code", nargs="?", help="a rule code (SFFI003) or name (misnamed-symbol)")
    p.add_argument("--all", action="store_true", help="list every rule: code, name, summary")


def run(args: argparse.Namespace) -> int:
    from sffi_lsp.checks.registry import RULES, SPEC_RULES, rule_for
    from sffi_lsp.checks.selectors import rule_code, selector_problem
    from sffi_lsp.checks.spec_rules import SpecProblems

    if args.all or args.code is None:
        if args.code is None and not args.all:
            print("sffi-lsp: rule: name a rule code (sffi-lsp rule SFFI003) or pass --all", file=sys.stderr)
            return 2
        for rule in RULES:
            if rule is SpecProblems:
                for spec_code, (spec_name, what) in SPEC_RULES.items():
                    print(f"{spec_code}  {spec_name}: {what}")
            else:
                print(f"{rule.code}  {rule.name}: {rule.summary()}")
        return 0
    code = rule_code(args.code)
    found = rule_for(code) if code is not None else None
    if code is None or found is None:
        print(f"sffi-lsp: {selector_problem(args.code, 'sffi-lsp rule', exact=True)}", file=sys.stderr)
        return 2
    if found is SpecProblems:
        name, what = SPEC_RULES[code]
        print(f"# {code} {name}\n\n{what}\n\n{found.documentation()}")
    else:
        print(f"# {found.code} {found.name}\n\n{found.documentation()}")
    return 0
