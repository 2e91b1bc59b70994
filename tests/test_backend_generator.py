"""The generator through the configurable command: argv, outputs, state, hand-edit protection."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from sffi_lsp.backends.cache import workspace_cache_dir
from sffi_lsp.backends.cargo import build_crate
from sffi_lsp.backends.generated_state import (
    plan_regeneration,
    recorded_hashes,
    run_regeneration,
    state_path,
)
from sffi_lsp.backends.generator import GeneratorNotFound, generator_argv, substitute
from sffi_lsp.backends.register import install_satellite
from sffi_lsp.spec.abi import abi_functions, generated_marker
from sffi_lsp.spec.parser import parse_wrapper_spec
from sffi_lsp.workspace.settings import Settings
from tests.backend_fixtures import FAKE_GENERATOR, FIXTURE_SPEC, generator_settings

OUTPUTS = (
    ".build/rust/ffi_demo/Cargo.toml",
    ".build/rust/ffi_demo/src/lib.rs",
    "src/lib/demo/ffi.spl",
    "src/lib/demo/mod.spl",
)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "specs").mkdir(parents=True)
    shutil.copy(FIXTURE_SPEC, root / "specs" / "demo.wrapper_spec")
    return root


def records(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


async def never_asked(files: list[Path]) -> bool:
    raise AssertionError(f"confirm called for {files}")


async def test_first_generation_writes_outputs_and_records_them(ws: Path, tmp_path: Path) -> None:
    record = tmp_path / "argv.jsonl"
    settings = generator_settings(tmp_path / "cache", record)
    spec = ws / "specs" / "demo.wrapper_spec"
    plan = plan_regeneration(ws, spec, settings)
    assert plan.argv == [
        sys.executable,
        str(FAKE_GENERATOR),
        str(spec),
        "--root",
        str(ws),
        "--record",
        str(record),
    ]
    assert plan.edited_outputs == []
    assert ws / "src/lib/demo/ffi.spl" in plan.outputs
    progress: list[str] = []
    lines: list[str] = []
    result = await run_regeneration(
        plan, never_asked, on_output=lambda s, line: lines.append(line), on_progress=progress.append
    )
    assert result.ok, result.message
    assert result.backup_dir is None
    assert sorted(p.relative_to(ws).as_posix() for p in result.changed_files) == sorted(OUTPUTS)
    assert records(record) == [
        [str(FAKE_GENERATOR), str(spec), "--root", str(ws), "--record", str(record)]
    ]
    assert "Tier 2 generated: src/lib/demo/ffi.spl" in lines
    assert progress[0] == "running the generator"
    assert "Tier 1 generated: .build/rust/ffi_demo/" in progress
    assert progress[-1] == "generator finished"
    # the generated files carry the markers and the ABI names
    ffi = (ws / "src/lib/demo/ffi.spl").read_text()
    assert generated_marker(ffi) == (2, "demo")
    assert generated_marker((ws / ".build/rust/ffi_demo/src/lib.rs").read_text()) == (1, "demo")
    assert generated_marker((ws / "src/lib/demo/mod.spl").read_text()) == (3, "demo")
    spec_model, _ = parse_wrapper_spec(spec.read_text())
    for fn in abi_functions(spec_model):
        if fn.in_tier2:
            assert fn.simple_declaration() in ffi
    # state recorded, atomically written JSON
    assert state_path(ws, settings) == tmp_path / "cache" / "generated.json"
    assert sorted(recorded_hashes(ws, settings)) == sorted(OUTPUTS)
    assert plan_regeneration(ws, spec, settings).edited_outputs == []


async def test_hand_edit_declined_touches_nothing_and_runs_nothing(
    ws: Path, tmp_path: Path
) -> None:
    record = tmp_path / "argv.jsonl"
    settings = generator_settings(tmp_path / "cache", record)
    spec = ws / "specs" / "demo.wrapper_spec"
    assert (await run_regeneration(plan_regeneration(ws, spec, settings), never_asked)).ok
    edited = ws / "src/lib/demo/ffi.spl"
    edited.write_text(edited.read_text() + "extern fn rt_demo_hand_added() -> i64\n")
    os.utime(edited, (1_000_000, 1_000_000))
    snapshot = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (ws / o for o in OUTPUTS)}
    plan = plan_regeneration(ws, spec, settings)
    assert plan.edited_outputs == [edited]
    asked: list[list[Path]] = []

    async def decline(files: list[Path]) -> bool:
        asked.append(files)
        return False

    result = await run_regeneration(plan, decline)
    assert asked == [[edited]]
    assert not result.ok and result.declined and result.backup_dir is None
    assert result.changed_files == []
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in snapshot} == snapshot
    assert len(records(record)) == 1  # the generator ran only the first time
    assert not (workspace_cache_dir(ws, settings) / "backups").exists()


async def test_hand_edit_accepted_is_backed_up_then_regenerated(ws: Path, tmp_path: Path) -> None:
    settings = generator_settings(tmp_path / "cache")
    spec = ws / "specs" / "demo.wrapper_spec"
    assert (await run_regeneration(plan_regeneration(ws, spec, settings), never_asked)).ok
    lib_rs = ws / ".build/rust/ffi_demo/src/lib.rs"
    original = lib_rs.read_text()
    lib_rs.write_text(original + "\n// hand-tuned: keep me\n")
    asked: list[list[Path]] = []

    async def accept(files: list[Path]) -> bool:
        asked.append(files)
        return True

    result = await run_regeneration(plan_regeneration(ws, spec, settings), accept)
    assert result.ok, result.message
    assert asked == [[lib_rs]]
    assert result.backup_dir is not None
    assert result.backup_dir.parent == tmp_path / "cache" / "backups"
    saved = result.backup_dir / ".build/rust/ffi_demo/src/lib.rs"
    assert saved.read_text() == original + "\n// hand-tuned: keep me\n"
    assert [
        p.relative_to(result.backup_dir).as_posix()
        for p in result.backup_dir.rglob("*")
        if p.is_file()
    ] == [".build/rust/ffi_demo/src/lib.rs"]
    assert lib_rs.read_text() == original
    assert result.changed_files == [lib_rs]
    assert str(result.backup_dir) in result.message
    assert plan_regeneration(ws, spec, settings).edited_outputs == []


async def test_hostile_spec_path_is_one_argv_element(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    odd_dir = ws / "we ird \"quoted\" 'single'; $(touch pwned) `touch pwned2` & |"
    odd_dir.mkdir(parents=True)
    spec = odd_dir / "demo $(touch pwned).wrapper_spec"
    shutil.copy(FIXTURE_SPEC, spec)
    record = tmp_path / "argv.jsonl"
    settings = generator_settings(tmp_path / "cache", record)
    plan = plan_regeneration(ws, spec, settings)
    assert plan.argv[2] == str(spec)
    result = await run_regeneration(plan, never_asked)
    assert result.ok, result.message
    (received,) = records(record)
    assert received[1] == str(spec)
    assert len(received) == 6
    everything = [p.name for p in tmp_path.rglob("*")]
    assert not [name for name in everything if name.startswith("pwned")]
    assert not Path("pwned").exists()
    assert (ws / "src/lib/demo/ffi.spl").is_file()


def test_placeholders_substitute_inside_elements_without_splitting() -> None:
    argv = substitute(
        ["simple", "wrapper-gen", "${spec}", "--tier=${tier}", "--out=${workspaceFolder}/x"],
        Path("/w s/a b.wrapper_spec"),
        Path("/w s"),
        "2",
    )
    assert argv == ["simple", "wrapper-gen", "/w s/a b.wrapper_spec", "--tier=2", "--out=/w s/x"]


def test_generator_not_found_says_what_was_looked_for_and_which_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    with pytest.raises(GeneratorNotFound) as info:
        generator_argv(Settings(), tmp_path, tmp_path / "x.wrapper_spec")
    message = str(info.value)
    assert message.startswith("generator 'simple' not found (looked for ")
    assert str(tmp_path / "bin" / "simple") in message
    assert "'simple' on PATH" in message
    assert "sffi.generator.command" in message
    assert "[tool.sffi-lsp.generator] command" in message
    with pytest.raises(GeneratorNotFound, match="tools/gen"):
        generator_argv(
            Settings(generator_command=("tools/gen", "${spec}")), tmp_path, tmp_path / "x"
        )
    with pytest.raises(GeneratorNotFound, match="no generator command is configured"):
        generator_argv(Settings(generator_command=()), tmp_path, tmp_path / "x")


def test_workspace_bin_simple_is_found_before_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    simple = tmp_path / "bin" / "simple"
    simple.parent.mkdir()
    simple.write_text("#!/bin/sh\n")
    simple.chmod(simple.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    spec = tmp_path / "a.wrapper_spec"
    assert generator_argv(Settings(), tmp_path, spec) == [str(simple), "wrapper-gen", str(spec)]
    # relative program paths are taken from the workspace root
    assert generator_argv(
        Settings(generator_command=("bin/simple", "run", "${spec}")), tmp_path, spec
    )[0] == str(simple)


def test_default_cache_dir_is_per_workspace_under_xdg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    a = workspace_cache_dir(tmp_path / "a", Settings())
    b = workspace_cache_dir(tmp_path / "b", Settings())
    assert a.parent == tmp_path / "xdg" / "sffi-lsp"
    assert a != b
    assert workspace_cache_dir(tmp_path, Settings(cache_dir="rel")) == tmp_path / "rel"


async def test_generated_crate_builds_and_installs_as_satellite(ws: Path, tmp_path: Path) -> None:
    if shutil.which("cargo") is None:
        pytest.fail("cargo is not installed: the tests build real crates with it")
    settings = generator_settings(tmp_path / "cache")
    spec = ws / "specs" / "demo.wrapper_spec"
    assert (await run_regeneration(plan_regeneration(ws, spec, settings), never_asked)).ok
    build = await build_crate(
        ws / ".build/rust/ffi_demo",
        settings,
        ws,
        extra_env={"CARGO_TARGET_DIR": str(tmp_path / "target")},
    )
    assert build.ok, build.stderr
    assert build.findings == []
    assert build.artifacts == [tmp_path / "target" / "release" / "libsimple_demo.so"]
    installed = install_satellite(build.artifacts[0], "demo", ws / "build")
    assert installed.path == ws / "build" / "libspl_demo.so"
    assert installed.path.read_bytes() == build.artifacts[0].read_bytes()
