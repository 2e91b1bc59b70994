"""SFFI101-SFFI108: problems in a `.wrapper_spec` that the generator's parser ignores."""

from __future__ import annotations

from collections.abc import Iterator

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.rule import Rule
from sffi_lsp.model import Finding, Severity
from sffi_lsp.spec import parser as spec_parser

# code -> (name, what it reports)
SPEC_RULES: dict[str, tuple[str, str]] = {
    spec_parser.UNKNOWN_KEY: ("spec-unknown-key", "a key the generator does not know; it is silently ignored"),
    spec_parser.PARAM_TYPE_NOT_NEXT_LINE: (
        "spec-param-type-placement",
        "a parameter whose `type:` is not on the line right after `- name:`; the generator sees no type",
    ),
    spec_parser.UNKNOWN_TYPE: (
        "spec-unknown-type", "a type that is neither a Simple primitive, an array of one, nor a declared handle"
    ),
    spec_parser.UNDECLARED_HANDLE: (
        "spec-undeclared-handle", "a method on a handle that `handle_types` does not declare"
    ),
    spec_parser.DUPLICATE_NAME: ("spec-duplicate-name", "a function, method or handle declared twice"),
    spec_parser.INVALID_LANG: ("spec-invalid-lang", "`lang` other than `cpp` or `rust` (generated as cpp)"),
    spec_parser.DROP_FN_NO_SYMBOL: (
        "spec-drop-fn",
        "a `drop_fn` that names no symbol the generator emits "
        "(e.g. `rt_torch_tensor_free` vs `rt_torch_torchtensor_free`)",
    ),
    spec_parser.MALFORMED: ("spec-malformed", "a missing `wrapper_lib.name` or a line the parser cannot read"),
}


class SpecProblems(Rule):
    """Wrapper spec problems (SFFI101-SFFI108): what the generator's parser silently ignores.

    ## What it does
    Parses each `.wrapper_spec` by the generator's own rules (line-based, `type:` on the
    line after `- name:`, values split on the first `:`) and reports what that parser
    would silently drop or mangle: unknown keys (SFFI101), a parameter type not on the
    next line (SFFI102), unknown types (SFFI103), a method on an undeclared handle
    (SFFI104), duplicate names (SFFI105), an invalid `lang` (SFFI106), a `drop_fn`
    matching no generated symbol (SFFI107), a missing name or malformed line (SFFI108).

    ## Why is this bad?
    The generator does not fail: it writes wrappers with missing parameters, wrong types
    or free functions that do not exist, and the error shows up much later.

    ## Example
    ```yaml
    params:
        - name: dims
          # the type of dims
          type: "[i64]"
    ```

    ## Use instead
    ```yaml
    params:
        - name: dims
          type: "[i64]"
    ```
    """

    code = "SFFI1xx"
    name = "wrapper-spec"
    severity = Severity.WARNING

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for path in ctx.spec_paths:
            yield from spec_parser.spec_findings(path, ctx.text(path))
