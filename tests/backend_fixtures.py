"""Shared helpers for the backend tests: fixture crates, process-group inspection, paths."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sffi_lsp.workspace.settings import Settings

GENERATOR_DIR = Path(__file__).parent / "fixtures" / "generator"
FAKE_GENERATOR = GENERATOR_DIR / "fake_wrapper_gen.py"
FIXTURE_SPEC = GENERATOR_DIR / "demo.wrapper_spec"


def write_crate(crate_dir: Path, package: str, lib_rs: str, build_rs: str | None = None) -> Path:
    """A zero-dependency cdylib crate (its own workspace) at ``crate_dir``."""
    (crate_dir / "src").mkdir(parents=True, exist_ok=True)
    build = 'build = "build.rs"\n' if build_rs is not None else ""
    lib_name = package.replace("-", "_")
    (crate_dir / "Cargo.toml").write_text(
        f'[package]\nname = "{package}"\nversion = "0.1.0"\nedition = "2021"\n{build}\n'
        f'[lib]\nname = "{lib_name}"\ncrate-type = ["cdylib"]\n\n[dependencies]\n\n[workspace]\n'
    )
    (crate_dir / "src" / "lib.rs").write_text(lib_rs)
    if build_rs is not None:
        (crate_dir / "build.rs").write_text(build_rs)
    return crate_dir


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name is in parentheses and may contain spaces
    return raw[raw.rindex(")") + 2 :].split()


def pid_alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for a reaper counts as gone)."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] != "Z"


def group_pids(pgid: int) -> list[int]:
    """Live processes in process group ``pgid``."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(int(entry))
            if fields is not None and fields[0] != "Z" and int(fields[2]) == pgid:
                pids.append(int(entry))
    return pids


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def wait_until(predicate: Callable[[], bool], timeout: float = 60.0, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def generator_settings(cache_dir: Path, record: Path | None = None) -> Settings:
    """Settings running the fixture generator through the configurable command."""
    command = [sys.executable, str(FAKE_GENERATOR), "${spec}", "--root", "${workspaceFolder}"]
    if record is not None:
        command += ["--record", str(record)]
    return Settings(generator_command=tuple(command), cache_dir=str(cache_dir))
