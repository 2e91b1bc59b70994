"""The rule interface: a code, a name, a default severity, documentation, and a check.

A rule's docstring is its documentation: a one-line summary, then the sections
"What it does", "Why is this bad?", "Example" and "Use instead" (``docs/rules.md`` is
generated from them). A rule yields ``Finding`` values with their fixes attached.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar

from sffi_lsp.model import Declaration, DeclKind, Finding, Severity

if TYPE_CHECKING:
    from sffi_lsp.checks.context import CheckContext


class Rule:
    """A project-wide rule: ``check`` looks at the whole project each time."""

    code: ClassVar[str]
    name: ClassVar[str]  # kebab-case, e.g. unresolved-extern
    severity: ClassVar[Severity]
    # False: the rule reads one file and nothing else (no libraries, sources or other
    # files), so it also runs on an untitled buffer or a file outside every project.
    needs_workspace: ClassVar[bool] = True

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


class DeclarationRule(Rule):
    """A rule whose findings sit on one extern declaration and depend on that declaration
    and the native side only, so an edit re-checks just the edited file's externs."""

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        return self.check_declarations(ctx, ctx.externs)

    def check_declarations(self, ctx: CheckContext, decls: Iterable[Declaration]) -> Iterator[Finding]:
        raise NotImplementedError


def extern_functions(decls: Iterable[Declaration]) -> Iterator[Declaration]:
    """The ``extern fn`` declarations among ``decls`` (not ``extern type`` / ``class``)."""
    return (d for d in decls if d.kind is DeclKind.EXTERN_FN)


class NameRule(Rule):
    """A rule about every use of a name across files (duplicates, calls): an edit re-checks
    the names it touched. Its findings carry ``data["name"]``."""

    # Which names of an edited file concern the rule: those it "declares" or "calls".
    touched_by: ClassVar[str] = "declares"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        return self.check_names(ctx, self.all_names(ctx))

    def all_names(self, ctx: CheckContext) -> Iterable[str]:
        raise NotImplementedError

    def check_names(self, ctx: CheckContext, names: Iterable[str]) -> Iterator[Finding]:
        raise NotImplementedError
