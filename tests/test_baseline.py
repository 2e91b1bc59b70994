"""Baselines: ``check --write-baseline`` / ``--baseline`` as a user runs them (real process,
real files), the file format, and the keys (code, path, symbol; never the line)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from check_fixtures import make_workspace

from sffi_lsp.baseline import Baseline, BaselineError, BaselineKey, finding_symbol
from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.registry import run_checks
from sffi_lsp.workspace.project import Project

FFI = """\
extern fn rt_gone_a(x: i64) -> i64
extern fn rt_gone_b() -> i64
extern fn rt_gone_a(x: i64) -> i64

fn main():
    rt_gone_a(1)
    rt_never_declared(2)
"""

BASELINE = """\
{
  "tool": "sffi-lsp",
  "version": 1,
  "entries": [
    {"code": "SFFI001", "count": 2, "path": "src/ffi.spl", "symbol": "rt_gone_a"},
    {"code": "SFFI001", "count": 1, "path": "src/ffi.spl", "symbol": "rt_gone_b"},
    {"code": "SFFI006", "count": 1, "path": "src/ffi.spl", "symbol": "rt_gone_a"},
    {"code": "SFFI012", "count": 1, "path": "src/ffi.spl", "symbol": "rt_never_declared"}
  ]
}
"""


def sffi(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sffi_lsp", *args], cwd=cwd, capture_output=True, text=True)


def places(stdout: str) -> list[str]:
    """``path:line:col: CODE`` of each finding line (``path:line:col: severity CODE message``;
    messages belong to the rules' tests)."""
    return [f"{words[0]} {words[2]}" for words in (line.split(" ") for line in stdout.splitlines())
            if len(words) > 2 and words[2].startswith("SFFI")]


def workspace(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws", {"src/ffi.spl": FFI})


def test_baseline_round_trip(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    before = sffi("check", ".", cwd=root)
    assert places(before.stdout) == [
        "src/ffi.spl:1:11: SFFI001", "src/ffi.spl:2:11: SFFI001", "src/ffi.spl:3:1: SFFI006",
        "src/ffi.spl:3:11: SFFI001", "src/ffi.spl:7:5: SFFI012",
    ]
    assert before.returncode == 1

    # Write it: sorted, one entry per line; two identical findings in one file count twice.
    written = sffi("check", ".", "--write-baseline", "sffi-baseline.json", cwd=root)
    assert (written.stdout, written.stderr, written.returncode) == (
        "Wrote 5 baseline entries to sffi-baseline.json.\n", "", 0)
    assert (root / "sffi-baseline.json").read_text() == BASELINE

    # It suppresses.
    quiet = sffi("check", ".", "--baseline", "sffi-baseline.json", cwd=root)
    assert (quiet.stdout, quiet.stderr, quiet.returncode) == (
        "All checks passed.\n"
        "5 findings suppressed by the baseline sffi-baseline.json; 0 baseline entries are fixed (stale).\n",
        "", 0)

    # Moving declarations to other lines (and the call into another line) changes nothing.
    ffi = root / "src" / "ffi.spl"
    ffi.write_text("# moved\n\n" + FFI.replace("extern fn rt_gone_b() -> i64\n", "")
                   + "\nextern fn rt_gone_b() -> i64\n")
    moved = sffi("check", ".", "--baseline", "sffi-baseline.json", cwd=root)
    assert (moved.stdout, moved.returncode) == (quiet.stdout, 0)

    # A new finding still fails, with the usual exit status; the recorded ones stay quiet.
    ffi.write_text(ffi.read_text() + "extern fn rt_gone_new() -> i64\n")
    new = sffi("check", ".", "--baseline", "sffi-baseline.json", cwd=root)
    assert places(new.stdout) == ["src/ffi.spl:11:11: SFFI001"]
    assert new.stdout.splitlines()[-2:] == [
        "Found 1 finding (1 error).",
        "5 findings suppressed by the baseline sffi-baseline.json; 0 baseline entries are fixed (stale).",
    ]
    assert new.returncode == 1

    # A third identical declaration is one occurrence more than recorded: new.
    ffi.write_text(FFI + "extern fn rt_gone_a(x: i64) -> i64\n")
    third = sffi("check", ".", "--baseline", "sffi-baseline.json", cwd=root)
    assert places(third.stdout) == ["src/ffi.spl:8:1: SFFI006", "src/ffi.spl:8:11: SFFI001"]
    assert third.returncode == 1

    # A fixed finding is reported as stale.
    ffi.write_text(FFI.replace("extern fn rt_gone_b() -> i64\n", ""))
    fixed = sffi("check", ".", "--baseline", "sffi-baseline.json", cwd=root)
    assert (fixed.stdout, fixed.returncode) == (
        "All checks passed.\n"
        "4 findings suppressed by the baseline sffi-baseline.json; 1 baseline entry is fixed (stale): "
        "refresh it with --write-baseline.\n", 0)

    # Refreshing drops the stale entry.
    sffi("check", ".", "--write-baseline", "sffi-baseline.json", cwd=root)
    assert "rt_gone_b" not in (root / "sffi-baseline.json").read_text()


def test_a_json_report_stays_machine_readable(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    sffi("check", ".", "--write-baseline", "b.json", "--ignore", "SFFI012", cwd=root)
    result = sffi("check", ".", "--baseline", "b.json", "--format", "json", cwd=root)
    assert [(r["code"], r["line"]) for r in json.loads(result.stdout)] == [("SFFI012", 7)]
    assert result.stderr == ("4 findings suppressed by the baseline b.json; "
                             "0 baseline entries are fixed (stale).\n")
    assert result.returncode == 1  # SFFI012 is an error, and new
    github = sffi("check", ".", "--baseline", "b.json", "--format", "github", cwd=root)  # the CI recipe
    assert [line.split(" ")[0] for line in github.stdout.splitlines()] == ["::error"]
    assert "SFFI012" in github.stdout and github.stderr == result.stderr and github.returncode == 1


def test_a_partial_run_neither_calls_other_entries_stale_nor_drops_them(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    (root / "src" / "other.spl").write_text("extern fn rt_elsewhere() -> i64\n")
    sffi("check", ".", "--write-baseline", "b.json", cwd=root)
    one_code = sffi("check", ".", "--baseline", "b.json", "--select", "SFFI012", cwd=root)
    assert one_code.stdout.splitlines()[-1] == (
        "1 finding suppressed by the baseline b.json; 0 baseline entries are fixed (stale).")
    one_file = sffi("check", "src/other.spl", "--baseline", "b.json", cwd=root)
    assert one_file.stdout.splitlines()[-1] == (
        "1 finding suppressed by the baseline b.json; 0 baseline entries are fixed (stale).")
    before = (root / "b.json").read_text()
    refreshed = sffi("check", ".", "--select", "SFFI012", "--write-baseline", "b.json", cwd=root)
    assert refreshed.stdout == "Wrote 6 baseline entries to b.json.\n"
    assert (root / "b.json").read_text() == before


def test_the_baseline_setting_applies_to_check(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    sffi("check", ".", "--write-baseline", "ci/baseline.json", cwd=root)
    (root / "sffi-lsp.toml").write_text('baseline = "ci/baseline.json"\n')
    result = sffi("check", ".", cwd=root)
    assert result.stdout.endswith(
        "5 findings suppressed by the baseline ci/baseline.json; 0 baseline entries are fixed (stale).\n")
    assert result.returncode == 0


def test_unusable_baselines_are_one_line_errors(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    (root / "bad.json").write_text("{not json")
    (root / "old.json").write_text('{"version": 99, "entries": []}')
    (root / "odd.json").write_text('{"version": 1, "entries": [{"code": "SFFI001", "path": 3}]}')
    for name, message in (
        ("missing.json", "cannot read baseline {root}/missing.json: no such file"),
        ("bad.json", "{root}/bad.json: not a baseline file (invalid JSON at line 1)"),
        ("old.json", "{root}/old.json: baseline version 99 is not supported (this sffi-lsp writes version 1)"),
        ("odd.json", '{root}/odd.json: entry 1 needs string "code", "path" and "symbol"'),
    ):
        result = sffi("check", ".", "--baseline", name, cwd=root)
        assert (result.stdout, result.stderr, result.returncode) == (
            "", f"sffi-lsp: {message.format(root=root)}\n", 2)
    both = sffi("check", ".", "--baseline", "a", "--write-baseline", "b", cwd=root)
    assert both.returncode == 2 and "not allowed with argument" in both.stderr


def test_symbols_do_not_depend_on_lines(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", {
        "src/a.spl": "extern type Handle\nextern fn rt_f(a: i64, b: i64) -> i64\n",
    })
    project = Project.open(root)
    findings = run_checks(CheckContext(project))
    assert sorted((f.code, finding_symbol(f, project.declarations)) for f in findings) == [
        ("SFFI001", "rt_f"), ("SFFI004", "Handle")]


def test_format_is_stable_and_loads_back() -> None:
    keys = [BaselineKey("SFFI002", "b.spl", "x"), BaselineKey("SFFI001", "b.spl", "y"),
            BaselineKey("SFFI001", "a.spl", "z"), BaselineKey("SFFI001", "a.spl", "z")]
    baseline = Baseline.of(keys)
    assert Baseline.of(reversed(keys)).dumps() == baseline.dumps()
    assert Baseline.loads(baseline.dumps()) == baseline
    assert Baseline().dumps() == '{\n  "tool": "sffi-lsp",\n  "version": 1,\n  "entries": []\n}\n'
    try:
        Baseline.loads('{"version": 1, "entries": [{"code": "X", "path": "p", "symbol": "s", "count": 0}]}')
    except BaselineError as exc:
        assert str(exc) == 'baseline: entry 1 has a bad "count" (a positive integer)'
    else:
        raise AssertionError("a zero count was accepted")


def test_the_baseline_setting_takes_a_path_or_a_table() -> None:
    from sffi_lsp.workspace.settings import Settings

    short, errors = Settings().merged({"baseline": "ci/b.json"})
    assert (short.baseline_path, short.baseline_show, errors) == ("ci/b.json", False, [])
    table, errors = Settings().merged({"baseline": {"path": "ci/b.json", "show": True}})
    assert (table.baseline_path, table.baseline_show, errors) == ("ci/b.json", True, [])
    _, errors = Settings().merged({"baseline": {"show": "yes", "paht": "x"}})
    assert errors == ["setting 'baseline.show' must be true or false, got str", "unknown setting 'baseline.paht'"]
