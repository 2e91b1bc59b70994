"""docs/rules.md is generated from the rules' docstrings, and says the same as the code."""

from pathlib import Path

from sffi_lsp.checks.docs import render
from sffi_lsp.checks.registry import RULES, all_codes

DOC = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def test_rules_doc_is_up_to_date() -> None:
    assert DOC.read_text() == render(), "regenerate: python -m sffi_lsp.checks.docs > docs/rules.md"


def test_every_rule_documents_what_why_and_both_examples() -> None:
    for rule in RULES:
        doc = rule.documentation()
        for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
            assert section in doc, f"{rule.code} lacks {section}"
        assert f"## {rule.code} {rule.name}" in DOC.read_text()


def test_codes_are_stable_and_unique() -> None:
    codes = all_codes()
    assert len(codes) == len(set(codes))
    assert codes[:12] == [f"SFFI{n:03d}" for n in range(1, 13)]
