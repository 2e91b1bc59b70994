"""Real cargo builds of zero-dependency crates: artifacts, diagnostics, cancel, stub mode."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from sffi_lsp.backends.cargo import (
    BuildResult,
    CargoMessages,
    build_crate,
    build_crate_sync,
    cargo_argv,
    last_build_was_stub,
)
from sffi_lsp.backends.process import busy_keys
from sffi_lsp.model import Position, Severity
from sffi_lsp.workspace.settings import Settings
from tests.backend_fixtures import cmdline, group_pids, write_crate

GOOD_LIB = """\
use std::os::raw::c_char;

#[no_mangle]
pub extern "C" fn rt_fixture_available() -> bool {
    true
}

#[no_mangle]
pub extern "C" fn rt_fixture_version() -> *mut c_char {
    std::ptr::null_mut()
}
"""

BAD_LIB = """\
#[no_mangle]
pub extern "C" fn rt_bad_ok() -> i64 {
    1
}

#[no_mangle]
pub extern "C" fn rt_bad_broken() -> i64 {
    "not a number"
}
"""

SLOW_BUILD = """\
fn main() {
    std::thread::sleep(std::time::Duration::from_secs(30));
}
"""

STUB_BUILD = """\
fn main() {
    println!("cargo:warning=PyTorch not found - building in stub mode (no GPU acceleration)");
}
"""


@pytest.fixture(scope="session")
def target_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cargo-target")


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cargo-ws")


@pytest.fixture(scope="session")
def settings(workspace: Path) -> Settings:
    return Settings(cargo_profile="release", cache_dir=str(workspace / ".cache"))


@pytest.fixture(scope="session")
def good_build(workspace: Path, settings: Settings, target_dir: Path) -> BuildResult:
    crate = write_crate(workspace / "good", "fixture-good", GOOD_LIB)
    progress: list[str] = []
    result = build_crate_sync(
        crate,
        settings,
        workspace,
        on_progress=progress.append,
        extra_env={"CARGO_TARGET_DIR": str(target_dir)},
    )
    result.message += " | " + " / ".join(progress)
    return result


def test_argv_follows_profile_features_and_extra_args() -> None:
    assert cargo_argv(Settings()) == [
        "cargo",
        "build",
        "--release",
        "--message-format=json-diagnostic-rendered-ansi",
    ]
    assert cargo_argv(
        Settings(
            cargo_profile="bootstrap",
            cargo_features=("stub", "cuda"),
            cargo_extra_args=("--offline",),
        )
    ) == [
        "cargo",
        "build",
        "--profile",
        "bootstrap",
        "--message-format=json-diagnostic-rendered-ansi",
        "--features",
        "stub,cuda",
        "--offline",
    ]
    assert cargo_argv(Settings(cargo_profile="dev"))[:3] == [
        "cargo",
        "build",
        "--message-format=json-diagnostic-rendered-ansi",
    ]


def test_successful_build_returns_the_built_library(
    good_build: BuildResult, target_dir: Path
) -> None:
    assert good_build.ok, good_build.stderr
    assert good_build.artifacts == [target_dir / "release" / "libfixture_good.so"]
    assert good_build.artifacts[0].is_file()
    assert good_build.crates_compiled == 1
    assert good_build.finished is True
    assert good_build.findings == []
    assert not good_build.stub_mode
    assert "1 crate compiled" in good_build.message


def test_last_build_state_is_saved(
    good_build: BuildResult, workspace: Path, settings: Settings
) -> None:
    assert last_build_was_stub(workspace / "good", settings, workspace) is False
    assert last_build_was_stub(workspace / "never-built", settings, workspace) is None


def test_compile_error_is_a_finding_on_the_right_line(
    workspace: Path, settings: Settings, target_dir: Path
) -> None:
    crate = write_crate(workspace / "bad", "fixture-bad", BAD_LIB)
    result = build_crate_sync(
        crate, settings, workspace, extra_env={"CARGO_TARGET_DIR": str(target_dir)}
    )
    assert not result.ok and result.returncode == 101
    assert result.finished is False
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    assert len(errors) == 1
    error = errors[0]
    assert error.code == "E0308"
    assert error.path == crate / "src" / "lib.rs"
    assert error.span.start == Position(7, 4)  # 0-based: line 8 of lib.rs, the string literal
    assert error.span.end == Position(7, 18)
    assert "mismatched types" in error.message
    assert result.artifacts == []
    assert "1 error(s)" in result.message


def test_stub_mode_warning_is_detected_and_remembered(
    workspace: Path, settings: Settings, target_dir: Path
) -> None:
    crate = write_crate(workspace / "stub", "fixture-stub", GOOD_LIB, STUB_BUILD)
    result = build_crate_sync(
        crate, settings, workspace, extra_env={"CARGO_TARGET_DIR": str(target_dir)}
    )
    assert result.ok
    assert result.stub_mode
    assert result.warnings == ["PyTorch not found - building in stub mode (no GPU acceleration)"]
    assert len(result.build_scripts_run) == 1
    assert result.crates_compiled == 2  # the build script and the library
    assert result.message.endswith("(stub mode)")
    assert last_build_was_stub(crate, settings, workspace) is True


async def test_cancel_mid_build_leaves_no_process_and_no_lock(
    workspace: Path, settings: Settings, target_dir: Path
) -> None:
    crate = write_crate(workspace / "slow", "fixture-slow", GOOD_LIB, SLOW_BUILD)
    cancel = asyncio.Event()
    pids: list[int] = []
    task = asyncio.create_task(
        build_crate(
            crate,
            settings,
            workspace,
            cancel=cancel,
            on_start=pids.append,
            extra_env={"CARGO_TARGET_DIR": str(target_dir)},
        )
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if pids and any("build-script-build" in cmdline(p) for p in group_pids(pids[0])):
            break
        await asyncio.sleep(0.1)
    else:
        pytest.fail("the build script never started")
    members = group_pids(pids[0])
    assert pids[0] in members and len(members) >= 2
    started = time.monotonic()
    cancel.set()
    result = await task
    assert time.monotonic() - started < 10
    assert result.cancelled and not result.ok
    assert result.message == "build cancelled"
    assert group_pids(pids[0]) == []
    assert f"cargo:{crate.resolve()}" not in busy_keys()
    # a cancelled build is not remembered as a finished one
    assert last_build_was_stub(crate, settings, workspace) is None


def test_a_second_build_of_the_same_crate_is_refused(workspace: Path, settings: Settings) -> None:
    from sffi_lsp.backends.process import KeyBusy, _release, _try_acquire

    crate = workspace / "good"
    key = f"cargo:{crate.resolve()}"
    assert _try_acquire(key)
    try:
        with pytest.raises(KeyBusy):
            build_crate_sync(crate, settings, workspace, wait_if_busy=False)
    finally:
        _release(key)


def test_message_parser_handles_noise_and_spanless_messages(tmp_path: Path) -> None:
    result = BuildResult(tmp_path, [], ok=False, returncode=None)
    parser = CargoMessages(result)
    parser.stdout_line("not json")
    parser.stdout_line("{broken")
    parser.stdout_line(
        f'{{"reason":"compiler-message","manifest_path":"{tmp_path}/Cargo.toml","message":'
        '{"message":"aborting due to 1 previous error","level":"error","spans":[]}}'
    )
    parser.stdout_line(
        f'{{"reason":"compiler-message","manifest_path":"{tmp_path}/Cargo.toml","message":'
        '{"message":"linking with `cc` failed","level":"error","code":null,"spans":[]}}'
    )
    parser.stderr_line("\x1b[33mwarning\x1b[0m: `fixture` (lib) generated 2 warnings")
    parser.stderr_line("warning: simple-torch@0.1.0: PyTorch not found - building in stub mode")
    assert [(f.code, f.message, f.path) for f in result.findings] == [
        ("rustc", "linking with `cc` failed", tmp_path / "Cargo.toml")
    ]
    assert result.warnings == ["PyTorch not found - building in stub mode"]
    assert result.stub_mode
