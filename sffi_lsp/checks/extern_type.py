"""SFFI004 `extern type`, which the runtime parser rejects."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.rule import DeclarationRule
from sffi_lsp.model import Declaration, DeclKind, Finding, Fix, Severity, TextEdit


class ExternType(DeclarationRule):
    """`extern type`: the runtime parser rejects it ("expected Fn, found Type").

    ## What it does
    Reports every `extern type X` declaration.

    ## Why is this bad?
    Simple's runtime parser accepts only `extern fn` after `extern`; the file does not
    load. Opaque native handles are passed as `i64` (0 = invalid handle).

    ## Example
    ```simple
    extern type BitsetRef
    extern fn rt_bitset_clear(handle: BitsetRef)
    ```

    ## Use instead
    ```simple
    # BitsetRef: opaque handle (pointer cast to i64)
    extern fn rt_bitset_clear(handle: i64)
    ```
    The fix does exactly this in one edit: the declaration becomes the comment, and the
    type becomes `i64` in every extern signature that uses it.
    """

    code = "SFFI004"
    needs_workspace = False
    name = "extern-type"
    severity = Severity.ERROR

    def check_declarations(self, ctx: CheckContext, decls: Iterable[Declaration]) -> Iterator[Finding]:
        for decl in decls:
            if decl.kind is DeclKind.EXTERN_TYPE:
                yield Finding(
                    self.code, self.severity,
                    f"`extern type {decl.name}` is rejected by the runtime parser; "
                    "opaque handles must be `i64`",
                    decl.path, decl.span,
                    fixes=(self.fix(ctx, decl),),
                )

    @staticmethod
    def fix(ctx: CheckContext, decl: Declaration) -> Fix:
        pattern = re.compile(rf"(?<![\w.]){re.escape(decl.name)}(?![\w])")
        edits = [TextEdit(decl.path, decl.span, f"# {decl.name}: opaque handle (pointer cast to i64)")]
        for other in ctx.extern_functions:
            typed = [(p.type, p.type_span) for p in other.params]
            typed.append((other.returns, other.returns_span))
            for type_text, span in typed:
                if type_text and span and pattern.search(type_text):
                    source = ctx.lines(other.path).data[span.start_byte:span.end_byte].decode("utf-8", "replace")
                    edits.append(TextEdit(other.path, span, pattern.sub("i64", source)))
        return Fix(
            title=f"Replace `extern type {decl.name}` with `i64` handles",
            edits=tuple(edits), safe=True, preferred=True,
        )
