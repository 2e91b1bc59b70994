"""``sffi-lsp census`` on a fixture workspace with one name in each class and each lane
state (``tests/fixtures/census``), exactly, as text, JSON and CSV; filters, sorting, bad
input; agreement with the index ``check`` reads; the drift classes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sffi_lsp.census.drift import (
    FLOAT,
    INT,
    POINTER,
    VOID,
    WORD,
    Shape,
    c_class,
    codegen_class,
    compare,
    rust_class,
    simple_class,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECTED_JSON = Path(__file__).resolve().parent / "data" / "census" / "census.json"

CODEGEN = "src/compiler_rust/compiler/src/codegen/runtime_sffi.rs"
TABLE = "src/compiler_rust/compiler/src/interpreter_extern/mod.rs"
C_FILE = "src/runtime/runtime_math.c"
RUST = "src/compiler_rust/runtime/src/value/sffi/tui.rs"

TEXT = f"""\
NAME              CLASS              DECLS  CALLS  INTERPRETER        JIT      NATIVE   DRIFT  PROVIDERS
rt_exported_only  undeclared-export      0      0  gap                ok       ok       -      {C_FILE}:12
rt_interp_only    lane-gap               1      1  ok                 ok       gap      -      {TABLE}:10
rt_never_called   dead                   1      0  gap                ok       ok       arity  {CODEGEN}:9, {C_FILE}:10
rt_nowhere        unresolved             1      1  missing            missing  missing  -      -
rt_ok_add         ok                     1      2  ok                 ok       ok       -      {CODEGEN}:2, {TABLE}:9, {C_FILE}:3
rt_scale          ok                     1      1  ok                 ok       ok       type   {CODEGEN}:4, {TABLE}:12, {C_FILE}:5
rt_shadow         shadowed               1      1  gap                ok       gap      -      -
rt_tui_draw       lane-gap               1      1  feature-only(tui)  ok       ok       -      {TABLE}:17, {RUST}:2
rt_webgpu_init    capability-gap         1      1  capability-gap     missing  missing  -      -

9 names: 2 ok, 2 lane-gap, 1 capability-gap, 1 unresolved, 1 dead, 1 shadowed, 1 undeclared-export
interpreter: 3 ok, 1 missing, 3 gap, 1 capability-gap, 1 feature-only
jit: 7 ok, 2 missing
native: 5 ok, 2 missing, 2 gap
2 names with signature drift:
  rt_never_called: arity: the codegen row ({CODEGEN}:9) takes 2, the C definition ({C_FILE}:10) takes 1
  rt_scale: type: parameter 2 is float in the codegen row ({CODEGEN}:4), integer in the C definition ({C_FILE}:5)
"""

CSV = f"""\
workspace,name,class,declarations,calls,interpreter,jit,native,drift,providers
census,rt_exported_only,undeclared-export,0,0,gap,ok,ok,,{C_FILE}:12
census,rt_interp_only,lane-gap,1,1,ok,ok,gap,,{TABLE}:10
census,rt_never_called,dead,1,0,gap,ok,ok,"arity: the codegen row ({CODEGEN}:9) takes 2, the C definition ({C_FILE}:10) \
takes 1",{CODEGEN}:9; {C_FILE}:10
census,rt_nowhere,unresolved,1,1,missing,missing,missing,,
census,rt_ok_add,ok,1,2,ok,ok,ok,,{CODEGEN}:2; {TABLE}:9; {C_FILE}:3
census,rt_scale,ok,1,1,ok,ok,ok,"type: parameter 2 is float in the codegen row ({CODEGEN}:4), integer in the C \
definition ({C_FILE}:5)",{CODEGEN}:4; {TABLE}:12; {C_FILE}:5
census,rt_shadow,shadowed,1,1,gap,ok,gap,,
census,rt_tui_draw,lane-gap,1,1,feature-only(tui),ok,ok,,{TABLE}:17; {RUST}:2
census,rt_webgpu_init,capability-gap,1,1,capability-gap,missing,missing,,
"""


def sffi(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sffi_lsp", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the fixture: the census must not depend on where the repository lives."""
    target = tmp_path_factory.mktemp("census") / "census"
    shutil.copytree(FIXTURES / "census", target)
    return target


def test_census_text_is_an_aligned_table_then_totals(workspace: Path) -> None:
    result = sffi("census", "census", cwd=workspace.parent)
    assert (result.stdout, result.stderr, result.returncode) == (TEXT, "", 0)


def test_census_json(workspace: Path) -> None:
    result = sffi("census", "census", "--format", "json", cwd=workspace.parent)
    assert result.returncode == 0
    assert result.stdout == EXPECTED_JSON.read_text()
    data = json.loads(result.stdout)["workspaces"][0]
    assert {r["class"] for r in data["rows"]} == {
        "ok", "lane-gap", "capability-gap", "unresolved", "dead", "shadowed", "undeclared-export"}
    states = {cell["state"] for r in data["rows"] for cell in r["lanes"].values()}
    assert states == {"ok", "missing", "gap", "capability-gap", "feature-only"}
    tui = next(r for r in data["rows"] if r["name"] == "rt_tui_draw")
    assert tui["lanes"]["interpreter"] == {
        "state": "feature-only", "feature": "tui",
        "reason": f"table row at {TABLE}:17 only with `tui`"}


def test_census_csv(workspace: Path) -> None:
    result = sffi("census", "census", "--format", "csv", cwd=workspace.parent)
    assert (result.stdout, result.returncode) == (CSV, 0)


def test_class_filter_and_sort_by_calls(workspace: Path) -> None:
    result = sffi("census", "census", "--class", "unresolved,lane-gap", "--sort", "calls", "--format", "csv",
                  cwd=workspace.parent)
    assert [line.split(",")[1] for line in result.stdout.splitlines()[1:]] == [
        "rt_interp_only", "rt_nowhere", "rt_tui_draw"]
    by_calls = sffi("census", "census", "--sort", "calls", "--format", "csv", cwd=workspace.parent)
    assert [line.split(",")[1] for line in by_calls.stdout.splitlines()[1:4]] == [
        "rt_ok_add", "rt_interp_only", "rt_nowhere"]
    text = sffi("census", "census", "--class", "dead", cwd=workspace.parent)
    assert text.stdout.splitlines()[-6:] == [
        "1 name: 1 dead",
        "interpreter: 1 gap",
        "jit: 1 ok",
        "native: 1 ok",
        "1 name with signature drift:",
        f"  rt_never_called: arity: the codegen row ({CODEGEN}:9) takes 2, the C definition ({C_FILE}:10) takes 1",
    ]


def test_bad_input_is_a_one_line_usage_error(workspace: Path) -> None:
    unknown = sffi("census", "census", "--class", "ok,deadish", cwd=workspace.parent)
    assert (unknown.stdout, unknown.stderr, unknown.returncode) == (
        "", "sffi-lsp: unknown census class: deadish\n", 2)
    missing = sffi("census", "nowhere", cwd=workspace.parent)
    assert (missing.stderr, missing.returncode) == ("sffi-lsp: no such path: nowhere\n", 2)


def test_declarations_and_calls_come_from_the_index_check_reads(workspace: Path) -> None:
    census = json.loads(sffi("census", "census", "--format", "json", cwd=workspace.parent).stdout)
    symbols = json.loads(sffi("symbols", "census", "--format", "json", cwd=workspace.parent).stdout)
    declared: dict[str, int] = {}
    for record in symbols:
        if record["kind"] == "extern-fn":
            declared[record["name"]] = declared.get(record["name"], 0) + 1
    rows = census["workspaces"][0]["rows"]
    assert {r["name"]: r["declarations"] for r in rows if r["declarations"]} == declared
    check = sffi("check", "census", "--select", "SFFI001,SFFI013,SFFI014", "--format", "json", cwd=workspace.parent)
    by_code: dict[str, set[str]] = {}
    for finding in json.loads(check.stdout):
        by_code.setdefault(finding["code"], set()).add(finding["message"].split("`")[1])
    declared_rows = [r for r in rows if r["declarations"]]

    def having(*states: str) -> set[str]:
        return {r["name"] for r in declared_rows if any(c["state"] in states for c in r["lanes"].values())}

    # The census and the lane rules read one resolution: SFFI001 where every lane is missing,
    # SFFI014 on a capability gap, SFFI013 on a gap or a feature-only lane.
    assert by_code == {
        "SFFI001": {r["name"] for r in declared_rows if {c["state"] for c in r["lanes"].values()} == {"missing"}},
        "SFFI014": having("capability-gap"),
        "SFFI013": having("gap", "feature-only"),
    }
    assert by_code["SFFI001"] == {"rt_nowhere"}


def test_empty_workspace_and_unjudged_lanes(tmp_path: Path) -> None:
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "sffi-lsp.toml").touch()
    result = sffi("census", "ws", cwd=tmp_path)
    assert (result.stdout, result.returncode) == (
        "NAME  CLASS  DECLS  CALLS  INTERPRETER  JIT  NATIVE  DRIFT  PROVIDERS\n\n0 names\n"
        "interpreter: not judged\njit: not judged\nnative: nothing\n", 0)


# --------------------------------------------------------------------------- drift


def test_type_classes_of_each_side() -> None:
    assert [codegen_class(k) for k in ("I64", "I32", "I8", "F64", None)] == [WORD, INT, INT, FLOAT, VOID]
    assert [rust_class(t) for t in ("i64", "usize", "i32", "bool", "f64", "*const c_char", "&str", "()", None,
                                    "MyStruct")] == [WORD, WORD, INT, INT, FLOAT, POINTER, POINTER, VOID, VOID, None]
    assert [c_class(t) for t in ("int64_t", "const char *", "unsigned int", "double", "void", "long long",
                                 "struct foo")] == [WORD, POINTER, INT, FLOAT, VOID, WORD, None]
    assert [simple_class(t) for t in ("i64", "bool", "f64", "text", "[i64]", None, "Handle")] == [
        WORD, INT, FLOAT, POINTER, POINTER, VOID, None]
    assert simple_class("Handle", frozenset({"Handle"})) == WORD  # an `extern type` travels as i64


def shape(source: str, params: tuple[str | None, ...], returns: str | None, native: bool = True) -> Shape:
    return Shape(source, Path("x"), 1, params, returns, native)


def test_drift_rules() -> None:
    row = shape("codegen row", (WORD, WORD), WORD)
    assert compare([row, shape("C definition", (POINTER, INT), WORD)]) is None  # an i64 carries a pointer
    assert compare([shape("declaration", (INT,), VOID, False), shape("C definition", (POINTER,), VOID)]) == (
        "type", "parameter 1 is integer in the declaration (x:1), pointer in the C definition (x:1)")
    assert compare([row, shape("Rust definition", (WORD, FLOAT), WORD)]) == (
        "type", "parameter 2 is integer in the codegen row (x:1), float in the Rust definition (x:1)")
    assert compare([row, shape("C definition", (WORD, WORD), VOID)]) == (
        "return", "the codegen row (x:1) returns integer, the C definition (x:1) returns void")
    # A declaration may ignore a returned value, not expect one that never comes.
    assert compare([shape("declaration", (WORD, WORD), VOID, False), row]) is None
    assert compare([shape("declaration", (WORD, WORD), WORD, False), shape("C definition", (WORD, WORD), VOID)]) == (
        "return", "the declaration (x:1) returns integer, the C definition (x:1) returns void")
    assert compare([row, shape("declaration", (WORD, None, WORD), WORD, False)]) == (
        "arity", "the codegen row (x:1) takes 2, the declaration (x:1) takes 3")
