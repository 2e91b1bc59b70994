"""The ``.wrapper_spec`` parser: reads a spec exactly as the generator's parser does.

The generator's parser (``src/app/wrapper_gen/spec_parser.spl``) is line-based and
forgiving: it ignores what it does not understand. This module reproduces its reading
(so the server predicts what the generator will emit) and records, as ``SpecIssue``s,
every place where that forgiveness silently drops or mangles something. It never raises.

Quirks reproduced on purpose:
- a line is "indented" when it starts with a space or a tab; section headers are the
  non-indented lines, matched by prefix (``functions:``);
- values are split on the first ``:`` (``"torch::Tensor"`` survives), trimmed, and one
  pair of surrounding double quotes is removed; a trailing ``# comment`` stays in the value;
- a parameter's ``type:`` is read only from the line right after its ``- name:``;
- inside ``params:`` the list continues while lines start with ``- name:`` (blank lines
  skipped), so a following function's ``- name:`` is swallowed as a parameter when no
  other key comes between, and a comment line ends the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sffi_lsp.model import Finding, Severity, Span
from sffi_lsp.text import LineIndex

# Stable codes of the spec family.
UNKNOWN_KEY = "SFFI101"
PARAM_TYPE_NOT_NEXT_LINE = "SFFI102"
UNKNOWN_TYPE = "SFFI103"
UNDECLARED_HANDLE = "SFFI104"
DUPLICATE_NAME = "SFFI105"
INVALID_LANG = "SFFI106"
DROP_FN_NO_SYMBOL = "SFFI107"
MALFORMED = "SFFI108"

SECTIONS = ("wrapper_lib", "handle_types", "functions", "methods")
WRAPPER_LIB_KEYS = (
    "name",
    "version",
    "lang",
    "link",
    "search_paths",
    "cpp_include",
    "include_paths",
    "rust_crate",
    "rust_crate_version",
)
ARRAY_KEYS = frozenset({"link", "search_paths", "include_paths"})
SCALAR_TYPES = frozenset({"i64", "i32", "f64", "f32", "u64", "u32", "u8", "bool", "text", "str"})
ARRAY_TYPES = frozenset({"[i64]", "[f64]", "[text]", "[u8]"})
LANGS = ("cpp", "rust")


@dataclass(frozen=True, slots=True)
class SpecIssue:
    """Something the generator's parser silently ignores or mangles."""

    code: str
    message: str
    span: Span
    severity: Severity


@dataclass(frozen=True, slots=True)
class SpecParam:
    name: str
    name_span: Span
    type: str  # "" when the generator would see no type
    type_span: Span | None


@dataclass(frozen=True, slots=True)
class HandleType:
    name: str
    name_span: Span
    cpp_type: str = ""
    cpp_type_span: Span | None = None
    drop_fn: str = ""
    drop_fn_span: Span | None = None


@dataclass(frozen=True, slots=True)
class SpecFunction:
    name: str
    name_span: Span
    cpp_fn: str = ""
    cpp_fn_span: Span | None = None
    params: tuple[SpecParam, ...] = ()
    return_type: str = ""  # "" or "void" for no return value
    return_span: Span | None = None


@dataclass(frozen=True, slots=True)
class SpecMethod:
    handle: str
    handle_span: Span
    name: str
    name_span: Span
    cpp_method: str = ""
    cpp_method_span: Span | None = None
    params: tuple[SpecParam, ...] = ()
    return_type: str = ""
    return_span: Span | None = None


@dataclass(frozen=True, slots=True)
class WrapperSpec:
    """A parsed spec. ``spans`` maps each ``wrapper_lib`` key written to its value's span."""

    name: str = ""
    version: str = "0.1.0"
    lang: str = "cpp"
    rust_crate: str = ""
    rust_crate_version: str = ""
    link: tuple[str, ...] = ()
    search_paths: tuple[str, ...] = ()
    cpp_include: str = ""
    include_paths: tuple[str, ...] = ()
    handle_types: tuple[HandleType, ...] = ()
    functions: tuple[SpecFunction, ...] = ()
    methods: tuple[SpecMethod, ...] = ()
    spans: dict[str, Span] = field(default_factory=dict, compare=False, hash=False)

    @property
    def backend(self) -> str:
        """``rust`` for ``lang: rust``; every other value is generated as cpp."""
        return "rust" if self.lang == "rust" else "cpp"

    @property
    def handle_names(self) -> frozenset[str]:
        return frozenset(h.name for h in self.handle_types)

    def handle(self, name: str) -> HandleType | None:
        return next((h for h in self.handle_types if h.name == name), None)


# --------------------------------------------------------------------------- lines


@dataclass(slots=True)
class _Line:
    number: int
    raw: str  # without the trailing newline
    start: int  # byte offset of the line start
    trimmed: str

    @property
    def indented(self) -> bool:
        return self.raw.startswith((" ", "\t"))

    @property
    def skipped(self) -> bool:
        return self.trimmed == "" or self.trimmed.startswith("#")

    @property
    def indent(self) -> int:
        return len(self.raw) - len(self.raw.lstrip(" \t"))

    def key(self) -> str:
        """The key of a ``key: value`` line, without a leading ``- ``."""
        text = self.trimmed[2:] if self.trimmed.startswith("- ") else self.trimmed
        return text.split(":", 1)[0].strip()


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    offset = 0
    for number, raw in enumerate(text.split("\n")):
        lines.append(_Line(number, raw, offset, raw.strip()))
        offset += len(raw.encode("utf-8")) + 1
    return lines


class _Reader:
    def __init__(self, text: str) -> None:
        self.index = LineIndex.from_text(text)
        self.lines = _split_lines(text)
        self.issues: list[SpecIssue] = []

    def col_span(self, line: _Line, start_col: int, end_col: int) -> Span:
        start = line.start + len(line.raw[:start_col].encode("utf-8"))
        end = line.start + len(line.raw[:end_col].encode("utf-8"))
        return self.index.span(start, end)

    def line_span(self, line: _Line) -> Span:
        begin = line.indent
        end = len(line.raw.rstrip())
        return self.col_span(line, begin, max(begin, end))

    def key_span(self, line: _Line) -> Span:
        begin = line.indent + (2 if line.trimmed.startswith("- ") else 0)
        colon = line.raw.find(":", begin)
        end = colon if colon != -1 else len(line.raw.rstrip())
        return self.col_span(line, begin, end)

    def value(self, line: _Line) -> tuple[str, Span]:
        """The generator's ``extract_value`` of a line, and the span of what it kept."""
        colon = line.raw.find(":")
        if colon == -1:
            end = len(line.raw.rstrip())
            return "", self.col_span(line, end, end)
        rest = line.raw[colon + 1 :]
        begin = colon + 1 + (len(rest) - len(rest.lstrip()))
        end = colon + 1 + len(rest.rstrip())
        value = line.raw[begin:end]
        if len(value) >= 1 and value.startswith('"') and value.endswith('"'):
            value = value[1:-1]
            if end - begin >= 2:
                begin, end = begin + 1, end - 1
            else:
                end = begin
        if " #" in value and not value.startswith("["):
            self.issue(
                MALFORMED,
                Severity.WARNING,
                f"the generator keeps trailing comments: this value is read as '{value}'",
                self.col_span(line, begin, end),
            )
        return value, self.col_span(line, begin, end)

    def array(self, line: _Line) -> tuple[tuple[str, ...], Span]:
        value, span = self.value(line)
        if not (value.startswith("[") and value.endswith("]")):
            self.issue(
                MALFORMED,
                Severity.WARNING,
                f"'{line.key()}' must be an inline array like [a, b]; "
                "the generator reads it as empty",
                span,
            )
            return (), span
        items = []
        for item in value[1:-1].split(","):
            item = item.strip()
            if item.startswith('"') and item.endswith('"') and len(item) >= 2:
                item = item[1:-1]
            items.append(item)
        # The generator keeps the single empty item of "[]"; so do we.
        return tuple(items), span

    def issue(self, code: str, severity: Severity, message: str, span: Span) -> None:
        self.issues.append(SpecIssue(code, message, span, severity))


# --------------------------------------------------------------------------- parsing


def parse_wrapper_spec(text: str) -> tuple[WrapperSpec, list[SpecIssue]]:
    """Parse a spec as the generator does; return it and the issues found. Never raises."""
    try:
        return _parse(text)
    except Exception as exc:  # a parser bug must not take the server down
        index = LineIndex.from_text(text)
        return WrapperSpec(), [
            SpecIssue(MALFORMED, f"cannot read spec: {exc}", index.span(0, 0), Severity.ERROR)
        ]


def _parse(text: str) -> tuple[WrapperSpec, list[SpecIssue]]:
    text = text.replace("\x00", "\ufffd")
    r = _Reader(text)
    lines = r.lines
    lib: dict[str, object] = {}
    spans: dict[str, Span] = {}
    handles: list[HandleType] = []
    functions: list[SpecFunction] = []
    methods: list[SpecMethod] = []
    section = ""
    seen_header = False
    header: _Line | None = None
    section_item_indent: int | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.skipped:
            i += 1
            continue
        if not line.indented:
            seen_header = True
            section = next((s for s in SECTIONS if line.trimmed.startswith(s + ":")), "")
            section_item_indent = None
            if section == "wrapper_lib":
                header = line
            if not section:
                r.issue(
                    UNKNOWN_KEY,
                    Severity.WARNING,
                    f"unknown section '{line.key()}': the generator ignores it and its lines "
                    f"(sections: {', '.join(SECTIONS)})",
                    r.key_span(line),
                )
            i += 1
            continue
        if section == "":
            if not seen_header:
                r.issue(
                    MALFORMED,
                    Severity.WARNING,
                    "indented line outside any section: the generator ignores it",
                    r.line_span(line),
                )
            i += 1
        elif section == "wrapper_lib":
            key = line.key() if not line.trimmed.startswith("- ") else ""
            if key in WRAPPER_LIB_KEYS and line.trimmed.startswith(key + ":"):
                if key in ARRAY_KEYS:
                    lib[key], spans[key] = r.array(line)
                else:
                    lib[key], spans[key] = r.value(line)
            else:
                _unknown(r, line, "wrapper_lib", WRAPPER_LIB_KEYS)
            i += 1
        elif section == "handle_types":
            if line.trimmed.startswith("- name:"):
                i = _read_handle(r, i, handles)
            else:
                _unknown(r, line, "handle_types", ("- name",))
                i += 1
        elif section in ("functions", "methods"):
            start_key = "- name:" if section == "functions" else "- handle:"
            if line.trimmed.startswith(start_key):
                if section_item_indent is None:
                    section_item_indent = line.indent
                elif line.indent > section_item_indent:
                    r.issue(
                        MALFORMED,
                        Severity.WARNING,
                        f"read as a new {section[:-1]}, not as a parameter: a comment line or "
                        "another key ends a params list",
                        r.line_span(line),
                    )
                if section == "functions":
                    i = _read_function(r, i, functions)
                else:
                    i = _read_method(r, i, methods)
            else:
                _unknown(r, line, section, (start_key[:-1],))
                i += 1
        else:
            i += 1

    spec = WrapperSpec(
        name=str(lib.get("name", "")),
        version=str(lib.get("version", "0.1.0")),
        lang=str(lib.get("lang", "cpp")),
        rust_crate=str(lib.get("rust_crate", "")),
        rust_crate_version=str(lib.get("rust_crate_version", "")),
        link=_strings(lib.get("link")),
        search_paths=_strings(lib.get("search_paths")),
        cpp_include=str(lib.get("cpp_include", "")),
        include_paths=_strings(lib.get("include_paths")),
        handle_types=tuple(handles),
        functions=tuple(functions),
        methods=tuple(methods),
        spans=spans,
    )
    _check(r, spec, header)
    return spec, r.issues


def _strings(value: object) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, tuple) else ()


def _unknown(r: _Reader, line: _Line, where: str, known: tuple[str, ...]) -> None:
    if ":" not in line.trimmed:
        r.issue(
            MALFORMED,
            Severity.WARNING,
            f"not a 'key: value' line: the generator ignores it (in {where})",
            r.line_span(line),
        )
        return
    r.issue(
        UNKNOWN_KEY,
        Severity.WARNING,
        f"unknown key '{line.key()}' in {where}: the generator ignores it "
        f"(known here: {', '.join(known)})",
        r.key_span(line),
    )


def _read_handle(r: _Reader, i: int, out: list[HandleType]) -> int:
    first = r.lines[i]
    name, name_span = r.value(first)
    values: dict[str, tuple[str, Span]] = {}
    i += 1
    lines = r.lines
    while i < len(lines):
        prop = lines[i]
        if prop.skipped:
            i += 1
            continue
        if not prop.indented or prop.trimmed.startswith("- "):
            break
        key = prop.key()
        if key in ("cpp_type", "drop_fn") and prop.trimmed.startswith(key + ":"):
            values[key] = r.value(prop)
        else:
            _unknown(r, prop, "a handle type", ("cpp_type", "drop_fn"))
        i += 1
    if not name:
        r.issue(MALFORMED, Severity.ERROR, "handle type without a name", r.line_span(first))
    cpp = values.get("cpp_type")
    drop = values.get("drop_fn")
    out.append(
        HandleType(
            name,
            name_span,
            cpp[0] if cpp else "",
            cpp[1] if cpp else None,
            drop[0] if drop else "",
            drop[1] if drop else None,
        )
    )
    return i


def _read_params(
    r: _Reader, i: int, params_line: _Line, owner: str
) -> tuple[int, list[SpecParam], bool]:
    """Read a params list starting after ``params:``; returns (next index, params, typeless)."""
    lines = r.lines
    params: list[SpecParam] = []
    missing_type = False
    while i < len(lines):
        p = lines[i]
        if p.trimmed == "":
            i += 1
            continue
        if not p.trimmed.startswith("- name:"):
            break
        if p.indent <= params_line.indent:
            r.issue(
                MALFORMED,
                Severity.WARNING,
                f"read as a parameter of '{owner}': the generator takes every '- name:' line "
                "after 'params:' as a parameter; write 'return:' after the params or indent "
                "this item correctly",
                r.line_span(p),
            )
        p_name, p_span = r.value(p)
        p_type, t_span = "", None
        i += 1
        if i < len(lines) and lines[i].trimmed.startswith("type:"):
            p_type, t_span = r.value(lines[i])
            i += 1
        else:
            missing_type = True
            r.issue(
                PARAM_TYPE_NOT_NEXT_LINE,
                Severity.ERROR,
                f"parameter '{p_name}': 'type:' must be on the line right after '- name:'; "
                "the generator reads this parameter with an empty type",
                p_span,
            )
        params.append(SpecParam(p_name, p_span, p_type, t_span))
    return i, params, missing_type


def _read_entry(
    r: _Reader, i: int, item_prefix: str, value_keys: tuple[str, ...], known: tuple[str, ...], what: str,
    owner: Callable[[dict[str, tuple[str, Span]]], str],
) -> tuple[int, dict[str, tuple[str, Span]], list[SpecParam]]:
    """The indented keys of one ``- ...`` entry from line ``i`` on: (next line, values, params)."""
    values: dict[str, tuple[str, Span]] = {}
    params: list[SpecParam] = []
    typeless = False
    lines = r.lines
    while i < len(lines):
        prop = lines[i]
        if prop.skipped:
            i += 1
            continue
        if not prop.indented or prop.trimmed.startswith(item_prefix):
            break
        key = prop.key()
        if key in value_keys and prop.trimmed.startswith(key + ":"):
            values[key] = r.value(prop)
        elif prop.trimmed.startswith("params:"):
            i, more, missing = _read_params(r, i + 1, prop, owner(values))
            params.extend(more)
            typeless = typeless or missing
            continue
        elif key == "type" and typeless:
            pass  # already reported as SFFI102 on its parameter
        else:
            _unknown(r, prop, what, known)
        i += 1
    return i, values, params


def _read_function(r: _Reader, i: int, out: list[SpecFunction]) -> int:
    first = r.lines[i]
    name, name_span = r.value(first)
    i, values, params = _read_entry(
        r, i + 1, "- name:", ("cpp_fn", "return"), ("cpp_fn", "params", "return"), "a function",
        lambda _values: name,
    )
    if not name:
        r.issue(MALFORMED, Severity.ERROR, "function without a name", r.line_span(first))
    cpp = values.get("cpp_fn")
    ret = values.get("return")
    out.append(
        SpecFunction(
            name,
            name_span,
            cpp[0] if cpp else "",
            cpp[1] if cpp else None,
            tuple(params),
            ret[0] if ret else "",
            ret[1] if ret else None,
        )
    )
    return i


def _read_method(r: _Reader, i: int, out: list[SpecMethod]) -> int:
    first = r.lines[i]
    handle, handle_span = r.value(first)
    i, values, params = _read_entry(
        r, i + 1, "- handle:", ("name", "cpp_method", "return"), ("name", "cpp_method", "params", "return"),
        "a method", lambda values: values.get("name", ("?",))[0],
    )
    name = values.get("name")
    if not name or not name[0]:
        r.issue(MALFORMED, Severity.ERROR, "method without a 'name:'", r.line_span(first))
    cpp = values.get("cpp_method")
    ret = values.get("return")
    out.append(
        SpecMethod(
            handle,
            handle_span,
            name[0] if name else "",
            name[1] if name else handle_span,
            cpp[0] if cpp else "",
            cpp[1] if cpp else None,
            tuple(params),
            ret[0] if ret else "",
            ret[1] if ret else None,
        )
    )
    return i


# --------------------------------------------------------------------------- checks


def is_known_type(type_name: str, handles: frozenset[str]) -> bool:
    """Whether the generator maps ``type_name`` (``void`` and "" excluded) to something real."""
    base = type_name[:-1] if type_name.endswith("?") else type_name
    return base in SCALAR_TYPES or base in ARRAY_TYPES or base in handles


def _check(r: _Reader, spec: WrapperSpec, header: _Line | None) -> None:
    if not spec.name:
        where = spec.spans.get("name") or (r.key_span(header) if header else r.index.span(0, 0))
        r.issue(
            MALFORMED,
            Severity.ERROR,
            "wrapper_lib.name is missing: the generator would write 'rt__...' symbols "
            "and 'src/lib//' paths",
            where,
        )
    if spec.lang not in LANGS:
        r.issue(
            INVALID_LANG,
            Severity.ERROR,
            f"lang '{spec.lang}' is not supported: use cpp or rust "
            "(the generator treats anything else as cpp)",
            spec.spans.get("lang", r.index.span(0, 0)),
        )
    handles = spec.handle_names

    def check_type(type_name: str, span: Span | None, what: str, is_return: bool) -> None:
        if span is None:
            return
        if is_return and type_name in ("", "void"):
            return
        if not type_name and not is_return:
            return  # reported as SFFI102, or written as an empty type on purpose
        if not is_known_type(type_name, handles):
            r.issue(
                UNKNOWN_TYPE,
                Severity.ERROR,
                f"unknown type '{type_name}' for {what}: the generator writes it verbatim "
                "(known: i64 i32 f64 f32 u64 u32 u8 bool text str, [i64] [f64] [text] [u8], "
                "declared handle types, and T? of those)",
                span,
            )

    for fn in spec.functions:
        for p in fn.params:
            check_type(p.type, p.type_span, f"parameter '{p.name}' of '{fn.name}'", False)
        check_type(fn.return_type, fn.return_span, f"the return of '{fn.name}'", True)
    for m in spec.methods:
        if m.handle not in handles:
            r.issue(
                UNDECLARED_HANDLE,
                Severity.ERROR,
                f"method '{m.name}' is on '{m.handle}', which is not declared in handle_types"
                + (f" (declared: {', '.join(sorted(handles))})" if handles else ""),
                m.handle_span,
            )
        for p in m.params:
            check_type(p.type, p.type_span, f"parameter '{p.name}' of '{m.name}'", False)
        check_type(m.return_type, m.return_span, f"the return of '{m.name}'", True)

    _check_duplicates(r, spec)
    _check_drop_fns(r, spec)


def _check_duplicates(r: _Reader, spec: WrapperSpec) -> None:
    seen: dict[str, str] = {}

    def once(key: str, label: str, span: Span) -> None:
        if key in seen:
            r.issue(DUPLICATE_NAME, Severity.ERROR, f"duplicate {label} (first: {seen[key]})", span)
        else:
            seen[key] = label

    for h in spec.handle_types:
        if h.name:
            once("handle:" + h.name, f"handle type '{h.name}'", h.name_span)
    # Functions and methods collide when they produce the same C symbol.
    from sffi_lsp.spec.abi import function_symbol, method_symbol

    for fn in spec.functions:
        if fn.name:
            once("sym:" + function_symbol(spec, fn.name), f"function '{fn.name}'", fn.name_span)
    for m in spec.methods:
        if m.name:
            once(
                "sym:" + method_symbol(spec, m.handle, m.name),
                f"method '{m.handle}.{m.name}'",
                m.name_span,
            )


def _check_drop_fns(r: _Reader, spec: WrapperSpec) -> None:
    from sffi_lsp.spec.abi import abi_functions, handle_free_symbol

    symbols = {f.symbol for f in abi_functions(spec)}
    for h in spec.handle_types:
        # Only names written as C ABI symbols claim to be something the generator emits;
        # a plain name ("drop", "at_free") names native-side code.
        if h.drop_fn_span is None or not h.drop_fn.startswith(("rt_", "simple_")):
            continue
        if h.drop_fn not in symbols:
            if spec.backend == "rust":
                hint = "the rust backend frees handles through its handle table"
            else:
                hint = f"the free function of {h.name} is '{handle_free_symbol(spec.name, h.name)}'"
            r.issue(
                DROP_FN_NO_SYMBOL,
                Severity.WARNING,
                f"drop_fn '{h.drop_fn}' is not a symbol the generator emits; {hint}",
                h.drop_fn_span,
            )


def spec_findings(spec_path: Path, text: str) -> list[Finding]:
    """The spec's issues as findings on ``spec_path``."""
    _, issues = parse_wrapper_spec(text)
    return [
        Finding(code=i.code, severity=i.severity, message=i.message, path=spec_path, span=i.span)
        for i in issues
    ]
