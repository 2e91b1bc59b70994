"""SFFI005 signature drift between a Tier 2 declaration and its native definition."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.declare import simple_declaration
from sffi_lsp.checks.rule import DeclarationRule, extern_functions
from sffi_lsp.model import Declaration, Finding, Fix, NativeKind, NativeSymbol, Related, Severity, TextEdit
from sffi_lsp.spec.abi import expected_rust_params, expected_rust_return, rust_param_matches, same_rust_type

# RuntimeFuncSpec kinds a Simple type travels as in the compiled lanes.
_CODEGEN_KIND = {"f64": "F64", "f32": "F64", "i32": "I32", "u32": "I32", "bool": "I8", "u8": "I8"}


def _plural(n: int) -> str:
    return f"{n} parameter" + ("" if n == 1 else "s")


class SignatureDrift(DeclarationRule):
    """Signature drift: the Tier 2 declaration and the native definition disagree.

    ## What it does
    Compares each `extern fn` with its Tier 1 `extern "C"` definition after applying the
    generator's type mapping for that crate's backend (`[i64]` is a pointer and a
    `usize` length in the cpp backend, a pointer alone in the rust backend; `text` is
    `*const c_char`, or `*mut c_char` when returned; handles are `i64` or pointers):
    the number of parameters, each type, and the return type. Also compares with the
    runtime's `RuntimeFuncSpec` rows (arity and value kinds).

    ## Why is this bad?
    The call compiles and links, then passes garbage: a missing argument reads whatever
    is in the register, a float read as an integer is nonsense.

    ## Example
    ```simple
    extern fn rt_bitset_resize(handle: i64) -> i64
    ```
    ```rust
    #[no_mangle]
    pub extern "C" fn rt_bitset_resize(handle: i64, size: i64) -> i64
    ```

    ## Use instead
    ```simple
    extern fn rt_bitset_resize(handle: i64, size: i64) -> i64
    ```
    """

    code = "SFFI005"
    name = "signature-drift"
    severity = Severity.ERROR

    def check_declarations(self, ctx: CheckContext, decls: Iterable[Declaration]) -> Iterator[Finding]:
        for decl in extern_functions(decls):
            if any(p.type is None for p in decl.params):
                continue
            for symbol in ctx.project.natives.lookup(decl.name):
                if symbol.params is None:
                    continue
                if symbol.kind is NativeKind.RUST_SOURCE:
                    problem = self._compare_rust(ctx, decl, symbol)
                elif symbol.kind is NativeKind.C_SOURCE:
                    problem = self._compare_arity(decl, symbol)
                elif symbol.kind is NativeKind.RUNTIME_TABLE and symbol.table == "codegen":
                    problem = self._compare_codegen(decl, symbol)
                else:
                    continue
                if problem is None:
                    continue
                anchor = symbol.name_span or symbol.span
                line = anchor.start.line + 1 if anchor else 0
                where = f"{ctx.project.relative(symbol.path)}" + (f":{line}" if line else "")
                native = symbol.signature() or symbol.name
                fix = self._fix(ctx, decl, symbol)
                yield Finding(
                    self.code, self.severity,
                    f"`{decl.name}` {problem}; native: `{native}` ({where})",
                    decl.path, decl.params_span or decl.name_span,
                    related=(Related(symbol.path, anchor, f"native definition: `{native}`"),),
                    fixes=(fix,) if fix else (),
                )
                break

    @staticmethod
    def _fix(ctx: CheckContext, decl: Declaration, symbol: NativeSymbol) -> Fix | None:
        """Rewrite the declaration's parameters and return type from the Tier 1 definition."""
        if symbol.kind not in (NativeKind.RUST_SOURCE, NativeKind.C_SOURCE) or decl.params_span is None:
            return None
        derived = simple_declaration(symbol)
        if derived is None:
            return None
        signature = derived[derived.index("(") :]
        end = decl.returns_span.end_byte if decl.returns_span else decl.params_span.end_byte
        span = ctx.lines(decl.path).span(decl.params_span.start_byte, end)
        return Fix(
            f"Change the declaration to `{derived}` (from Tier 1)",
            edits=(TextEdit(decl.path, span, signature),),
            preferred=True,
        )

    def _compare_rust(self, ctx: CheckContext, decl: Declaration, symbol: NativeSymbol) -> str | None:
        crate = ctx.crate_of(symbol.path)
        backend = getattr(crate, "backend", None) or "rust"
        simple = [ctx.effective_type(p.type) or "" for p in decl.params]
        expected = expected_rust_params(simple, backend)
        actual = [p.type for p in symbol.params or ()]
        mapping = ""
        if expected != simple:
            mapping = f" (the {backend} backend maps ({', '.join(simple)}) to ({', '.join(expected)}))"
        if len(expected) != len(actual):
            return f"takes {_plural(len(expected))} at the C ABI here but {len(actual)} in Tier 1{mapping}"
        for i, (want, have) in enumerate(zip(expected, actual, strict=True)):
            if not rust_param_matches(want, have, backend):
                name = symbol.params[i].name if symbol.params else str(i)
                return f"parameter {i + 1} (`{name}`) is `{have}` in Tier 1 but `{want}` is expected{mapping}"
        want_ret = expected_rust_return(ctx.effective_type(decl.returns), backend)
        have_ret = symbol.returns if symbol.returns not in ("()", "") else None
        if (want_ret is None) != (have_ret is None) or (
            want_ret is not None and have_ret is not None
            and not same_rust_type(want_ret, have_ret)
            and not rust_param_matches(want_ret, have_ret, backend)
        ):
            return f"returns `{decl.returns or 'nothing'}` here but `{have_ret or '()'}` in Tier 1"
        return None

    def _compare_arity(self, decl: Declaration, symbol: NativeSymbol) -> str | None:
        actual = [p for p in symbol.params or () if p.type.strip() != "void"]
        if len(actual) != len(decl.params):
            return f"takes {_plural(len(decl.params))} here but {len(actual)} in the C definition"
        return None

    def _compare_codegen(self, decl: Declaration, symbol: NativeSymbol) -> str | None:
        kinds = [p.type for p in symbol.params or ()]
        if len(kinds) != len(decl.params):
            return f"takes {_plural(len(decl.params))} here but {len(kinds)} in the runtime's RuntimeFuncSpec row"
        for i, (param, kind) in enumerate(zip(decl.params, kinds, strict=True)):
            want = _CODEGEN_KIND.get(param.type or "", "I64")
            if (want == "F64") != (kind == "F64"):
                return (
                    f"parameter {i + 1} (`{param.name}: {param.type}`) travels as {want} "
                    f"but the RuntimeFuncSpec row says {kind}"
                )
        return None
