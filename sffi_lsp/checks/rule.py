"""The rule interface: a code, a name, a default severity, documentation, and a check.

A rule's docstring is its documentation: a one-line summary, then the sections
"What it does", "Why is this bad?", "Example" and "Use instead" (``docs/rules.md`` is
generated from them). A rule yields ``Finding`` values with their fixes attached.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from sffi_lsp.model import Finding, Severity

if TYPE_CHECKING:
    from sffi_lsp.checks.context import CheckContext


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]  # kebab-case, e.g. unresolved-extern
    severity: ClassVar[Severity]

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        raise NotImplementedError

    @classmethod
    def documentation(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.documentation().splitlines()[0] if cls.__doc__ else cls.name

    @classmethod
    def anchor(cls) -> str:
        """The heading anchor of this rule in docs/rules.md."""
        return f"{cls.code.lower()}-{cls.name}"
