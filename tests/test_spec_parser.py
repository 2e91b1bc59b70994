"""The .wrapper_spec parser reads specs as the generator does and reports what it drops."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from sffi_lsp.model import Position, Range, Severity, Span
from sffi_lsp.spec.parser import parse_wrapper_spec, spec_findings

FIXTURE = Path(__file__).parent / "fixtures" / "generator" / "demo.wrapper_spec"

TORCH_4 = """\
# torch spec, four-space indentation
wrapper_lib:
    name: torch
    version: "2.1"
    link: [torch, c10]
    cpp_include: "torch/torch.h"

handle_types:
    - name: TorchTensor
      cpp_type: "torch::Tensor"
      drop_fn: "rt_torch_torchtensor_free"

functions:
    - name: tensor_zeros
      cpp_fn: "torch::zeros"
      params:
          - name: dims
            type: "[i64]"
      return: TorchTensor
    - name: torch_sync
      cpp_fn: "torch::cuda::synchronize"
      params: []
      return:
methods:
    - handle: TorchTensor
      name: add
      cpp_method: "add"
      params:
          - name: other
            type: TorchTensor
      return: TorchTensor
"""

REGEX_2 = """\
wrapper_lib:
  name: regex
  lang: rust
  rust_crate: regex
  rust_crate_version: "1.10"
handle_types:
  - name: RegexHandle
    cpp_type: "regex::Regex"
    drop_fn: "drop"
functions:
  - name: new
    cpp_fn: "regex::Regex::new"
    params:
      - name: pattern
        type: text
    return: RegexHandle
methods:
  - handle: RegexHandle
    name: is_match
    cpp_method: "is_match"
    params:
      - name: text
        type: text
    return: bool
"""


def text_of(source: str, span: Span | None) -> str:
    assert span is not None
    return source.encode("utf-8")[span.start_byte : span.end_byte].decode("utf-8")


def rng(span: Span | None) -> Range:
    assert span is not None
    return span.range


def codes(issues) -> list[str]:  # type: ignore[no-untyped-def]
    return [i.code for i in issues]


def test_four_space_spec_reads_every_field_with_exact_spans() -> None:
    spec, issues = parse_wrapper_spec(TORCH_4)
    assert issues == []
    assert (spec.name, spec.version, spec.lang, spec.backend) == ("torch", "2.1", "cpp", "cpp")
    assert spec.link == ("torch", "c10")
    assert spec.cpp_include == "torch/torch.h"
    assert spec.spans["name"].range == Range(Position(2, 10), Position(2, 15))
    # quoted value: the span covers the text inside the quotes
    assert spec.spans["version"].range == Range(Position(3, 14), Position(3, 17))
    handle = spec.handle_types[0]
    assert handle.name == "TorchTensor"
    assert handle.name_span.range == Range(Position(8, 12), Position(8, 23))
    assert handle.cpp_type == "torch::Tensor"  # split on the first ':' only
    assert text_of(TORCH_4, handle.cpp_type_span) == "torch::Tensor"
    assert handle.drop_fn == "rt_torch_torchtensor_free"
    zeros, sync = spec.functions
    assert zeros.name == "tensor_zeros" and zeros.cpp_fn == "torch::zeros"
    assert zeros.name_span.range == Range(Position(13, 12), Position(13, 24))
    assert [(p.name, p.type) for p in zeros.params] == [("dims", "[i64]")]
    assert zeros.params[0].name_span.range == Range(Position(16, 18), Position(16, 22))
    assert rng(zeros.params[0].type_span) == Range(Position(17, 19), Position(17, 24))
    assert zeros.return_type == "TorchTensor"
    assert rng(zeros.return_span) == Range(Position(18, 14), Position(18, 25))
    assert sync.params == ()  # params: []
    assert sync.return_type == ""  # empty return: means void
    assert rng(sync.return_span) == Range(Position(22, 13), Position(22, 13))
    (add,) = spec.methods
    assert (add.handle, add.name, add.cpp_method) == ("TorchTensor", "add", "add")
    assert add.handle_span.range == Range(Position(24, 14), Position(24, 25))
    assert add.name_span.range == Range(Position(25, 12), Position(25, 15))
    assert [(p.name, p.type) for p in add.params] == [("other", "TorchTensor")]


def test_two_space_rust_spec() -> None:
    spec, issues = parse_wrapper_spec(REGEX_2)
    assert issues == []
    assert (spec.name, spec.lang, spec.backend) == ("regex", "rust", "rust")
    assert (spec.rust_crate, spec.rust_crate_version) == ("regex", "1.10")
    assert spec.version == "0.1.0"  # default
    assert spec.handle_types[0].drop_fn == "drop"  # a plain name: native-side code, no issue
    assert spec.functions[0].params[0].type == "text"
    assert spec.methods[0].return_type == "bool"
    assert spec.methods[0].name_span.range == Range(Position(18, 10), Position(18, 18))


def test_defaults_when_wrapper_lib_is_minimal() -> None:
    spec, issues = parse_wrapper_spec("wrapper_lib:\n    name: x\n")
    assert (spec.version, spec.lang, spec.link, spec.handle_types) == ("0.1.0", "cpp", (), ())
    assert issues == []


def test_comments_and_blank_lines_are_skipped() -> None:
    source = (
        "# head\n\nwrapper_lib:\n    # a comment\n\n    name: c\n"
        "functions:\n\n    # f\n    - name: f\n\n      return: i64\n"
    )
    spec, issues = parse_wrapper_spec(source)
    assert issues == []
    assert spec.name == "c"
    assert [(f.name, f.return_type) for f in spec.functions] == [("f", "i64")]


def test_unknown_keys_and_sections_are_SFFI101_with_key_span() -> None:
    source = (
        "wrapper_lib:\n    name: x\n    colour: blue\n"
        "extras:\n    - a: 1\n"
        "functions:\n    - name: f\n      cpp_function: g\n      return: i64\n"
    )
    spec, issues = parse_wrapper_spec(source)
    assert codes(issues) == ["SFFI101", "SFFI101", "SFFI101"]
    colour, extras, cpp_function = issues
    assert colour.span.range == Range(Position(2, 4), Position(2, 10))
    assert "'colour'" in colour.message and colour.severity is Severity.WARNING
    assert extras.span.range == Range(Position(3, 0), Position(3, 6))
    assert "unknown section 'extras'" in extras.message
    assert cpp_function.span.range == Range(Position(7, 6), Position(7, 18))
    assert spec.functions[0].cpp_fn == ""  # the generator ignores it, so do we


def test_param_type_not_on_next_line_is_SFFI102_and_typeless() -> None:
    source = (
        "wrapper_lib:\n    name: x\nfunctions:\n    - name: f\n      params:\n"
        "          - name: a\n\n            type: i64\n      return: i64\n"
    )
    spec, issues = parse_wrapper_spec(source)
    assert codes(issues) == ["SFFI102"]
    assert issues[0].span.range == Range(Position(5, 18), Position(5, 19))
    assert issues[0].severity is Severity.ERROR
    assert [(p.name, p.type) for p in spec.functions[0].params] == [("a", "")]
    assert spec.functions[0].return_type == "i64"


def test_comment_between_name_and_type_also_loses_the_type() -> None:
    source = (
        "wrapper_lib:\n  name: x\nfunctions:\n  - name: f\n    params:\n"
        "      - name: a\n        # the type\n        type: i64\n"
    )
    spec, issues = parse_wrapper_spec(source)
    assert codes(issues) == ["SFFI102"]
    assert spec.functions[0].params[0].type == ""


def test_next_function_swallowed_as_parameter_is_reported() -> None:
    source = (
        "wrapper_lib:\n    name: x\nfunctions:\n    - name: f\n      params:\n"
        "          - name: a\n            type: i64\n    - name: g\n      return: i64\n"
    )
    spec, issues = parse_wrapper_spec(source)
    # the generator reads g as f's second parameter, without a type
    assert [f.name for f in spec.functions] == ["f"]
    assert [(p.name, p.type) for p in spec.functions[0].params] == [("a", "i64"), ("g", "")]
    assert codes(issues) == ["SFFI108", "SFFI102"]
    assert issues[0].span.range.start == Position(7, 4)
    assert "parameter of 'f'" in issues[0].message


def test_unknown_types_are_SFFI103() -> None:
    source = (
        "wrapper_lib:\n    name: x\nhandle_types:\n    - name: H\n"
        "functions:\n    - name: f\n      params:\n          - name: a\n            type: i128\n"
        '          - name: b\n            type: H?\n          - name: c\n            type: "[u8]"\n'
        '          - name: d\n            type: "[i32]"\n      return: Map\n'
    )
    _, issues = parse_wrapper_spec(source)
    assert codes(issues) == ["SFFI103", "SFFI103", "SFFI103"]
    assert [text_of(source, i.span) for i in issues] == ["i128", "[i32]", "Map"]
    assert issues[0].span.range == Range(Position(8, 18), Position(8, 22))


def test_void_and_empty_returns_are_known() -> None:
    source = (
        "wrapper_lib:\n    name: x\nfunctions:\n"
        "    - name: f\n      return: void\n    - name: g\n      return:\n"
    )
    spec, issues = parse_wrapper_spec(source)
    assert issues == []
    assert [f.return_type for f in spec.functions] == ["void", ""]


def test_method_on_undeclared_handle_is_SFFI104() -> None:
    source = (
        "wrapper_lib:\n    name: x\nhandle_types:\n    - name: A\n"
        "methods:\n    - handle: B\n      name: m\n      return: i64\n"
    )
    _, issues = parse_wrapper_spec(source)
    assert codes(issues) == ["SFFI104"]
    assert issues[0].span.range == Range(Position(5, 14), Position(5, 15))
    assert "declared: A" in issues[0].message


def test_duplicates_are_SFFI105_including_same_symbol() -> None:
    source = (
        "wrapper_lib:\n    name: x\nhandle_types:\n    - name: A\n    - name: A\n"
        "functions:\n    - name: f\n      return: i64\n    - name: x_f\n      return: i64\n"
        "methods:\n    - handle: A\n      name: m\n    - handle: A\n      name: m\n"
    )
    _, issues = parse_wrapper_spec(source)
    assert codes(issues) == ["SFFI105", "SFFI105", "SFFI105"]
    assert [text_of(source, i.span) for i in issues] == ["A", "x_f", "m"]
    assert issues[0].span.range.start.line == 4
    assert issues[2].span.range.start.line == 14


def test_invalid_lang_is_SFFI106() -> None:
    source = "wrapper_lib:\n    name: x\n    lang: go\n"
    spec, issues = parse_wrapper_spec(source)
    assert codes(issues) == ["SFFI106"]
    assert issues[0].span.range == Range(Position(2, 10), Position(2, 12))
    assert spec.backend == "cpp"


def test_drop_fn_that_no_generated_symbol_matches_is_SFFI107() -> None:
    source = (
        "wrapper_lib:\n    name: torch\nhandle_types:\n    - name: TorchTensor\n"
        '      drop_fn: "rt_torch_tensor_free"\n'
    )
    _, issues = parse_wrapper_spec(source)
    assert codes(issues) == ["SFFI107"]
    assert text_of(source, issues[0].span) == "rt_torch_tensor_free"
    assert "rt_torch_torchtensor_free" in issues[0].message


def test_missing_name_is_SFFI108_on_the_section_header() -> None:
    source = 'wrapper_lib:\n    version: "1"\nfunctions:\n    - name: f\n'
    spec, issues = parse_wrapper_spec(source)
    assert spec.name == ""
    assert codes(issues) == ["SFFI108"]
    assert issues[0].span.range == Range(Position(0, 0), Position(0, 11))


def test_trailing_comment_stays_in_value_like_the_generator() -> None:
    source = 'wrapper_lib:\n    name: x\n    version: "0.1.0"   # default\n'
    spec, issues = parse_wrapper_spec(source)
    assert spec.version == '"0.1.0"   # default'
    assert codes(issues) == ["SFFI108"]


def test_non_array_link_reads_as_empty() -> None:
    spec, issues = parse_wrapper_spec("wrapper_lib:\n    name: x\n    link: torch\n")
    assert spec.link == ()
    assert codes(issues) == ["SFFI108"]


def test_utf8_positions_are_utf16_columns() -> None:
    source = 'wrapper_lib:\n    name: x\nfunctions:\n    - name: f\n      cpp_fn: "ns::größe"\n'
    spec, _ = parse_wrapper_spec(source)
    span = spec.functions[0].cpp_fn_span
    assert text_of(source, span) == "ns::größe"
    assert rng(span) == Range(Position(4, 15), Position(4, 24))
    assert span is not None and span.end_byte - span.start_byte == 11


def test_tabs_are_indentation_like_the_generator() -> None:
    spec, issues = parse_wrapper_spec(
        "wrapper_lib:\n\tname: t\nfunctions:\n\t- name: f\n\t  return: i64\n"
    )
    assert spec.name == "t"
    assert [f.name for f in spec.functions] == ["f"]
    assert issues == []


@pytest.mark.parametrize(
    "source",
    [
        "",
        "\x00\x01\x02",
        ":::\n- - -\n\t\t:\n",
        "functions:\n    - name:\n      params:\n          - name:\n",
        "methods:\n    - handle:\n      params: [\n",
        'wrapper_lib:\n    name: "\n    link: [\n',
        "\ufeffwrapper_lib:\r\n    name: crlf\r\n",
    ],
)
def test_malformed_input_never_raises(source: str) -> None:
    _, issues = parse_wrapper_spec(source)
    assert isinstance(issues, list)
    assert all(i.code.startswith("SFFI10") for i in issues)


def test_random_garbage_never_raises() -> None:
    rng = random.Random(1234)
    alphabet = 'abc:-[]"# \t\n\x00é'
    words = [
        "wrapper_lib:",
        "functions:",
        "methods:",
        "handle_types:",
        "- name:",
        "type:",
        "params:",
    ]
    for _ in range(300):
        parts = [
            rng.choice(words) if rng.random() < 0.3 else rng.choice(alphabet) for _ in range(60)
        ]
        parse_wrapper_spec("".join(parts))
    parse_wrapper_spec(bytes(range(256)).decode("latin-1"))


def test_crlf_values_are_trimmed() -> None:
    spec, _ = parse_wrapper_spec("wrapper_lib:\r\n    name: crlf\r\n")
    assert spec.name == "crlf"


def test_spec_findings_carry_path_code_severity_and_span() -> None:
    source = "wrapper_lib:\n    name: x\n    lang: go\n"
    (finding,) = spec_findings(Path("/w/x.wrapper_spec"), source)
    assert finding.code == "SFFI106"
    assert finding.path == Path("/w/x.wrapper_spec")
    assert finding.severity is Severity.ERROR
    assert finding.span.range == Range(Position(2, 10), Position(2, 12))


def test_fixture_spec_is_clean() -> None:
    spec, issues = parse_wrapper_spec(FIXTURE.read_text())
    assert issues == []
    assert spec.name == "demo"


def test_an_internal_parser_error_becomes_an_issue(monkeypatch: pytest.MonkeyPatch) -> None:
    import sffi_lsp.spec.parser as parser

    def broken(text: str) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(parser, "_parse", broken)
    spec, issues = parser.parse_wrapper_spec("wrapper_lib:\n")
    assert spec.name == ""
    assert [(i.code, i.message, i.severity) for i in issues] == [
        ("SFFI108", "cannot read spec: boom", Severity.ERROR)
    ]
