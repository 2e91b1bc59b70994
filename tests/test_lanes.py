"""Lane resolution against fixture workspaces, one per table form of the real toolchain
(tests/fixtures/lanes/<form>/), a bare-metal OS, and malformed native sources."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from check_fixtures import check, make_workspace, summary

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.model import Severity
from sffi_lsp.resolution import Lane, LaneResolver, LaneState, ProviderKind
from sffi_lsp.workspace.project import Project

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lanes"
MOD = "src/compiler_rust/compiler/src/interpreter_extern/mod.rs"

# form -> every finding of `check`, exactly: (code, path, line, column)
EXPECTED: dict[str, list[tuple[str, str, int, int]]] = {
    "insert_simple": [("SFFI013", "src/lib/io.spl", 1, 11), ("SFFI013", "src/lib/io.spl", 2, 11),
                      ("SFFI013", "src/lib/io.spl", 3, 11), ("SFFI001", "src/lib/io.spl", 4, 11)],
    "map_insert": [("SFFI013", "src/lib/io.spl", 1, 11), ("SFFI013", "src/lib/io.spl", 2, 11)],
    "cfg_rows": [("SFFI013", "src/lib/tui.spl", 1, 11), ("SFFI001", "src/lib/tui.spl", 3, 11),
                 ("SFFI001", "src/lib/tui.spl", 4, 11)],
    "prefix_family": [("SFFI013", "src/lib/media.spl", 1, 11), ("SFFI001", "src/lib/media.spl", 2, 11),
                      ("SFFI013", "src/lib/media.spl", 3, 11), ("SFFI013", "src/lib/media.spl", 3, 11)],
    "exact_arm": [("SFFI013", "src/lib/sock.spl", 1, 11), ("SFFI013", "src/lib/sock.spl", 2, 11),
                  ("SFFI001", "src/lib/sock.spl", 3, 11)],
    "inner_match": [("SFFI013", "src/lib/lane.spl", 1, 11), ("SFFI013", "src/lib/lane.spl", 2, 11),
                    ("SFFI013", "src/lib/lane.spl", 3, 11), ("SFFI001", "src/lib/lane.spl", 4, 11)],
    "row_table": [("SFFI013", "src/lib/sdl2.spl", 3, 11)],
    "capability_gap": [("SFFI014", "src/lib/gpu.spl", 1, 11), ("SFFI013", "src/lib/gpu.spl", 2, 11)],
    "dynamic_gate": [("SFFI013", "src/lib/math.spl", 2, 11)],
    "codegen_alias": [("SFFI011", "src/compiler_rust/runtime/src/value/sffi/io_print.rs", 2, 19),
                      ("SFFI001", "src/lib/print.spl", 2, 11)],
    "runtime_exports": [("SFFI001", "src/lib/exports.spl", 4, 11), ("SFFI001", "src/lib/exports.spl", 5, 11)],
    "c_runtime": [("SFFI001", "src/lib/x.spl", 2, 11), ("SFFI001", "src/lib/x.spl", 3, 11)],
    "baremetal": [("SFFI001", "src/kernel/externs.spl", 8, 11), ("SFFI001", "src/kernel/externs.spl", 9, 11),
                  ("SFFI001", "src/kernel/externs.spl", 10, 11), ("SFFI002", "src/kernel/externs.spl", 10, 11)],
}


def _workspace(tmp_path: Path, form: str) -> Path:
    root = tmp_path / form
    shutil.copytree(FIXTURES / form, root)
    return root


def _lanes(root: Path) -> LaneResolver:
    return CheckContext(Project.open(root)).lanes


@pytest.mark.parametrize("form", sorted(EXPECTED))
def test_each_form_resolves_what_it_serves_and_lane_findings_are_exact(tmp_path: Path, form: str) -> None:
    root = _workspace(tmp_path, form)
    assert summary(root, check(root)) == EXPECTED[form]


def test_insert_simple_rows_single_and_multi_line_and_names_without_rt(tmp_path: Path) -> None:
    lanes = _lanes(_workspace(tmp_path, "insert_simple"))
    assert lanes.judged == (Lane.INTERPRETER, Lane.NATIVE)
    multi = lanes.resolve("rt_multi_line").lanes[Lane.INTERPRETER]
    assert multi.state is LaneState.OK
    assert [(p.kind, p.line) for p in multi.providers] == [(ProviderKind.INTERPRETER_ROW, 11)]  # the name on its own line
    assert lanes.resolve("rt_multi_line").lanes[Lane.NATIVE].state is LaneState.GAP
    nowhere = lanes.resolve("rt_nowhere")
    assert {v.state for v in nowhere.lanes.values()} == {LaneState.MISSING}
    assert list(lanes.names()) == ["rt_one_line", "rt_multi_line", "sys_get_args", "rt_nowhere"]


def test_lane_gap_messages_name_the_lane_and_the_consequence(tmp_path: Path) -> None:
    root = _workspace(tmp_path, "dynamic_gate")
    [finding] = check(root)
    assert finding.severity is Severity.WARNING
    assert finding.message == (
        "`rt_flag_get` resolves JIT, AOT but not interpreted: no table row, and the codegen row returns `I8`, "
        "so dynamic SFFI refuses it: `unknown extern function`"
    )
    lanes = _lanes(root)
    add = lanes.resolve("rt_math_add")
    assert add.gate is not None and add.gate.passes
    assert {lane: v.state for lane, v in add.lanes.items()} == {
        Lane.INTERPRETER: LaneState.OK, Lane.JIT: LaneState.OK, Lane.NATIVE: LaneState.OK}
    root = _workspace(tmp_path, "insert_simple")
    aot = next(f for f in check(root) if f.code == "SFFI013")
    assert aot.message == ("`rt_one_line` resolves interpreted but not AOT: nothing exports it: "
                           "the native build fails to link")


def test_feature_rows_are_information_naming_the_feature_and_test_strings_are_not_rows(tmp_path: Path) -> None:
    root = _workspace(tmp_path, "cfg_rows")
    findings = check(root)
    tui = findings[0]
    assert (tui.code, tui.severity, tui.data["feature"]) == ("SFFI013", Severity.INFORMATION, "tui")
    assert "only with cargo feature `tui`" in tui.message
    lanes = _lanes(root)
    assert lanes.resolve("rt_tui_draw").lanes[Lane.INTERPRETER].feature == "tui"
    assert lanes.resolve("rt_test_only").providers == ()
    assert lanes.resolve("rt_test_match").providers == ()


def test_prefix_families_exclusions_cfg_arms_and_row_tables(tmp_path: Path) -> None:
    lanes = _lanes(_workspace(tmp_path, "prefix_family"))
    assert lanes.resolve("rt_audio_play").lanes[Lane.INTERPRETER].family == "audio"
    assert lanes.resolve("rt_audio_sdl2_open").state(Lane.INTERPRETER) is LaneState.MISSING
    winit = lanes.resolve("rt_winit_open").lanes[Lane.INTERPRETER]
    assert (winit.state, winit.feature) == (LaneState.FEATURE_ONLY, "gui")
    lanes = _lanes(_workspace(tmp_path, "row_table"))
    init = lanes.resolve("rt_sdl2_init").lanes[Lane.INTERPRETER]
    assert [p.kind for p in init.providers] == [ProviderKind.PREFIX_ARM, ProviderKind.FAMILY_ROW]
    assert lanes.resolve("rt_sdl2_poll").state(Lane.INTERPRETER) is LaneState.GAP


def test_inner_match_rows_and_the_prefix_without_a_row(tmp_path: Path) -> None:
    root = _workspace(tmp_path, "inner_match")
    other = check(root)[-1]
    assert other.message.startswith(
        "`rt_lane_other` is defined nowhere: interpreted: prefix `rt_lane_` sends it to `host_lane`, which has no "
        "row for it: `unknown extern function`; AOT: nothing exports it")


def test_capability_gap_unless_the_exact_name_has_a_row(tmp_path: Path) -> None:
    root = _workspace(tmp_path, "capability_gap")
    gap = check(root)[0]
    assert gap.message == ("`rt_webgpu_init` falls in capability-gap family `rt_webgpu` and no row serves it: "
                           "it fails with \"rt_webgpu: no native implementation\"")
    lanes = _lanes(root)
    assert lanes.resolve("rt_vk_device_create").state(Lane.INTERPRETER) is LaneState.OK


def test_codegen_aliases_and_runtime_exports(tmp_path: Path) -> None:
    lanes = _lanes(_workspace(tmp_path, "codegen_alias"))
    assert lanes.judged == (Lane.JIT, Lane.NATIVE)
    printed = lanes.resolve("rt_print")
    assert [p.kind for p in printed.providers] == [ProviderKind.ALIAS, ProviderKind.RUNTIME_EXPORT]
    assert printed.state(Lane.JIT) is LaneState.OK
    lanes = _lanes(_workspace(tmp_path, "runtime_exports"))
    for name in ("rt_a", "rt_b", "rt_c"):
        assert lanes.resolve(name).state(Lane.NATIVE) is LaneState.OK, name
    assert lanes.resolve("rt_c").providers[0].line == 12  # the function under #[export_name]


def test_bare_metal_os_defined_externs_are_silent_and_undefined_ones_get_sffi001(tmp_path: Path) -> None:
    root = _workspace(tmp_path, "baremetal")
    findings = check(root)
    assert sorted(f.message.split("`")[1] for f in findings if f.code == "SFFI001") == [
        "drivers__net__e1000__probe", "rt_kbd_read", "serial_wait"]
    probe = next(f for f in findings if "probe" in f.message)
    assert probe.message.endswith(
        "as a mangled name it expects `fn probe` in module `drivers/net/e1000`, which the workspace does not have")
    lanes = _lanes(root)
    assert lanes.judged == (Lane.NATIVE,)
    kinds = {name: lanes.resolve(name).providers[0].kind for name in (
        "serial_println", "rt_port_inb", "rt_port_inw", "rt_port_outb", "kernel_entry",
        "kernel__sched__yield_now", "core__mem__alloc")}
    assert kinds == {
        "serial_println": ProviderKind.C_DEFINITION, "rt_port_inb": ProviderKind.MACRO_DEFINITION,
        "rt_port_inw": ProviderKind.MACRO_DEFINITION, "rt_port_outb": ProviderKind.C_DEFINITION,
        "kernel_entry": ProviderKind.ASSEMBLY, "kernel__sched__yield_now": ProviderKind.SIMPLE_FUNCTION,
        "core__mem__alloc": ProviderKind.SIMPLE_FUNCTION,
    }


def test_mangled_name_whose_module_lacks_the_function(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", {
        "src/tools/lspci.spl": "fn scan() -> i64:\n    0\n",
        "src/app.spl": "extern fn tools__lspci__run() -> i64\n",
        "src/native.c": "int helper(void) { return 0; }\n",
    })
    [finding] = check(root)
    assert finding.message.endswith(
        "as a mangled name it expects `fn run` in src/tools/lspci.spl, which does not define it")


def test_malformed_native_sources_keep_the_readable_rows(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    generated = "".join(f"long rt_gen_{i}(long v) {{ return v + {i}; }}\n" for i in range(120_000))
    generated += "long rt_gen_broken(long v { return ; ] \n" + "long rt_gen_after(long v) { return v; }\n"
    assert len(generated) > 5_000_000
    root = make_workspace(tmp_path / "ws", {
        MOD: ('fn init() {\n    insert_simple!("rt_ok_row", a::b);\n    insert_simple!(@@ weird ~~ tokens);\n'
              '    insert_simple!("rt_after_odd", a::c);\n    insert_simple!("rt_trunc'),
        "src/runtime/generated.c": generated,
        "src/lib/x.spl": ("extern fn rt_ok_row() -> i64\nextern fn rt_after_odd() -> i64\n"
                          "extern fn rt_gen_7(v: i64) -> i64\nextern fn rt_gen_after(v: i64) -> i64\n"
                          "extern fn rt_gen_119999(v: i64) -> i64\n"),
    })
    with caplog.at_level(logging.INFO, logger="sffi_lsp.index.natives.sources"):
        lanes = _lanes(root)
    for name in ("rt_ok_row", "rt_after_odd", "rt_gen_7", "rt_gen_after", "rt_gen_119999"):
        assert lanes.resolve(name).resolved, name
    assert any("mod.rs: syntax errors" in r.getMessage() for r in caplog.records)
    assert any("generated.c: syntax errors" in r.getMessage() for r in caplog.records)


def test_hover_lists_each_lane_and_definition_offers_every_provider(tmp_path: Path) -> None:
    from sffi_lsp.ide.hover import lane_lines
    from sffi_lsp.ide.navigation import definition
    from sffi_lsp.model import Position

    root = _workspace(tmp_path, "dynamic_gate")
    ctx = CheckContext(Project.open(root))
    assert lane_lines(ctx, "rt_flag_get") == [
        "**Lanes**:",
        "- interpreted: ✗ gap — no table row, and the codegen row returns `I8`, so dynamic SFFI refuses it: "
        "`unknown extern function`",
        "- JIT: ✓ ok — binds to c-definition at src/runtime/runtime_math.c:3",
        "- AOT: ✓ ok — c-definition at src/runtime/runtime_math.c:3",
        "- dynamic gate: refuses — the codegen row returns `I8`, so dynamic SFFI refuses it",
    ]
    spl = root / "src/lib/math.spl"
    found = definition(ctx, spl, Position(1, 12))
    assert [(loc.path.relative_to(root).as_posix(), loc.span.start.line + 1) for loc in found] == [
        ("src/runtime/runtime_math.c", 3), ("src/compiler_rust/compiler/src/codegen/runtime_sffi.rs", 4)]

    root = _workspace(tmp_path, "baremetal")
    ctx = CheckContext(Project.open(root))
    assert lane_lines(ctx, "kernel__sched__yield_now")[1:] == [
        "- interpreted: not judged (no interpreter dispatch table visible)",
        "- JIT: not judged (no codegen table visible)",
        "- AOT: ✓ ok — simple-function at src/kernel/sched.spl:1",
        "- mangled: `fn yield_now` of module `kernel/sched` (src/kernel/sched.spl): found",
    ]
    found = definition(ctx, root / "src/kernel/externs.spl", Position(5, 12))
    assert [(loc.path.relative_to(root).as_posix(), loc.span.start.line + 1) for loc in found] == [
        ("src/kernel/sched.spl", 1)]
    found = definition(ctx, root / "src/kernel/externs.spl", Position(1, 12))
    assert [(loc.path.relative_to(root).as_posix(), loc.span.start.line + 1) for loc in found] == [
        ("arch/x86_64/boot/ports.c", 2)]
