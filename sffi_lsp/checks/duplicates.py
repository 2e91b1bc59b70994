"""SFFI006 duplicate or conflicting extern declarations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.rule import NameRule
from sffi_lsp.model import Declaration, DeclKind, Finding, Fix, Related, Severity, Tag, TextEdit


def _shape(decl: Declaration) -> tuple[tuple[str | None, ...], str | None]:
    return tuple(p.type for p in decl.params), decl.returns


class DuplicateDeclaration(NameRule):
    """Duplicate extern: the same `extern fn` declared twice, or with two signatures.

    ## What it does
    Reports an `extern fn` declared more than once in one file (a warning; the fix
    removes the copy), and one declared in two files with different signatures (an
    error, pointing at the other declaration).

    ## Why is this bad?
    A copy is noise that drifts; two signatures for one native symbol mean one of the
    callers passes the wrong arguments.

    ## Example
    ```simple
    extern fn rt_bitset_available() -> bool
    extern fn rt_bitset_available() -> bool
    ```

    ## Use instead
    ```simple
    extern fn rt_bitset_available() -> bool
    ```
    """

    code = "SFFI006"
    needs_workspace = False
    name = "duplicate-extern"
    severity = Severity.ERROR

    def all_names(self, ctx: CheckContext) -> Iterable[str]:
        counts: dict[str, int] = defaultdict(int)
        for decl in ctx.extern_functions:
            counts[decl.name] += 1
        return [name for name, n in counts.items() if n > 1]

    def check_names(self, ctx: CheckContext, names: Iterable[str]) -> Iterator[Finding]:
        for name in names:
            decls = sorted(
                (d for d in ctx.project.declarations.declarations(name) if d.kind is DeclKind.EXTERN_FN),
                key=lambda d: (str(d.path), d.span.start_byte),
            )
            if len(decls) < 2:
                continue
            first_in_file: dict[object, Declaration] = {}
            for decl in decls:
                first = first_in_file.setdefault(decl.path, decl)
                if first is not decl:
                    yield self._copy(ctx, decl, first)
            shapes = {_shape(d) for d in first_in_file.values()}
            if len(first_in_file) > 1 and len(shapes) > 1:
                for decl in first_in_file.values():
                    others = [d for d in first_in_file.values() if d is not decl and _shape(d) != _shape(decl)]
                    if not others:
                        continue
                    yield Finding(
                        self.code, Severity.ERROR,
                        f"`{name}` is declared with different signatures: `{decl.signature()}` here, "
                        f"`{others[0].signature()}` in {ctx.project.relative(others[0].path)}",
                        decl.path, decl.name_span,
                        related=tuple(
                            Related(o.path, o.name_span, f"other declaration: `{o.signature()}`") for o in others
                        ),
                        data={"name": name},
                    )

    def _copy(self, ctx: CheckContext, copy: Declaration, first: Declaration) -> Finding:
        same = _shape(copy) == _shape(first)
        lines = ctx.line_span(copy.path, copy.span.start.line, copy.span.end.line)
        fix = Fix(
            title=f"Remove the duplicate declaration of `{copy.name}`",
            edits=(TextEdit(copy.path, lines, ""),),
            safe=same, preferred=True,
        )
        detail = "" if same else f" with another signature (`{first.signature()}`)"
        return Finding(
            self.code, Severity.WARNING,
            f"`{copy.name}` is already declared on line {first.span.start.line + 1}{detail}",
            copy.path, copy.span,
            related=(Related(first.path, first.name_span, "first declaration"),),
            fixes=(fix,),
            tags=(Tag.UNNECESSARY,) if same else (),
            data={"name": copy.name},
        )
