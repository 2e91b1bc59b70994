"""SFFI006 duplicate or conflicting extern declarations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.rule import NameRule
from sffi_lsp.model import Declaration, DeclKind, Finding, Fix, Related, Severity, Tag, TextEdit

RELATED_LIMIT = 5  # other declarations listed per finding (the message gives the counts)
_VOID = frozenset({None, "", "void", "()"})


def _shape(decl: Declaration) -> tuple[tuple[str | None, ...], str | None]:
    """The type signature alone: parameter names do not matter, `-> void` is no return."""
    returns = None if decl.returns in _VOID else " ".join((decl.returns or "").split())
    return tuple(" ".join(p.type.split()) if p.type else None for p in decl.params), returns


class DuplicateDeclaration(NameRule):
    """Duplicate extern: the same `extern fn` declared twice, or with two signatures.

    ## What it does
    Reports an `extern fn` declared more than once in one file (a warning; the fix
    removes the copy), and one declared in several files with different type
    signatures (an error). Only types count: parameter names do not matter and
    `-> void` equals no return type; identical redeclarations in different files are
    normal Simple practice and stay silent. The declarations of a name are grouped by
    signature; each group that differs from the most common one is reported once, at
    its first declaration, with the other signatures as related locations (at most
    five listed).

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
            # Linear: one group per distinct type signature; identical redeclarations in
            # other files are normal and silent. Each group that differs from the largest
            # (the first such on a tie) is reported once, at its first declaration.
            groups: dict[tuple[tuple[str | None, ...], str | None], list[Declaration]] = {}
            for decl in first_in_file.values():
                groups.setdefault(_shape(decl), []).append(decl)
            if len(groups) < 2:
                continue
            ordered = list(groups.values())
            reference = max(ordered, key=len)
            for group in ordered:
                if group is reference:
                    continue
                yield self._divergent(ctx, name, group, reference, ordered)

    def _divergent(self, ctx: CheckContext, name: str, group: list[Declaration], reference: list[Declaration],
                   groups: list[list[Declaration]]) -> Finding:
        decl = group[0]
        other = reference[0]
        others = [g[0] for g in groups if g is not group]
        more = len(others) - RELATED_LIMIT
        files = f" ({len(reference)} files)" if len(reference) > 1 else ""
        message = (f"`{name}` is declared with different signatures: `{decl.signature()}` here"
                   f"{f' and in {len(group) - 1} other files' if len(group) > 1 else ''}, "
                   f"`{other.signature()}` in {ctx.project.relative(other.path)}{files}")
        if len(groups) > 2:
            message += f"; {len(groups)} signatures in all"
        related = [Related(o.path, o.name_span, f"other declaration: `{o.signature()}`")
                   for o in others[:RELATED_LIMIT]]
        if more > 0:
            related.append(Related(others[RELATED_LIMIT].path, others[RELATED_LIMIT].name_span,
                                   f"and {more} more signatures"))
        return Finding(self.code, Severity.ERROR, message, decl.path, decl.name_span, related=tuple(related),
                       data={"name": name})

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
