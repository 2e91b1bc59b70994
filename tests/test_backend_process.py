"""The process runner: argv only, streamed output, cancellation of the whole tree, per-key lock."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from sffi_lsp.backends.process import KeyBusy, busy_keys, run_process, run_process_sync
from tests.backend_fixtures import group_pids, pid_alive

PY = sys.executable

# A parent that starts a sleeping grandchild (which ignores SIGTERM) and then sleeps.
TREE = (
    "import subprocess, sys, time\n"
    "child = subprocess.Popen([sys.executable, '-c', "
    "'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    "print(1, flush=True); time.sleep(60)'])\n"
    "print('child', child.pid, flush=True)\n"
    "time.sleep(60)\n"
)


async def test_output_is_streamed_per_line_and_captured() -> None:
    seen: list[tuple[str, str]] = []
    result = await run_process(
        [
            PY,
            "-c",
            "import sys; print('a'); print('b'); print('err', file=sys.stderr); sys.exit(3)",
        ],
        on_output=lambda stream, line: seen.append((stream, line)),
    )
    assert result.returncode == 3 and not result.ok
    assert result.stdout == ["a", "b"]
    assert result.stderr == ["err"]
    assert sorted(seen) == [("stderr", "err"), ("stdout", "a"), ("stdout", "b")]


async def test_arguments_reach_the_program_verbatim_without_a_shell(tmp_path: Path) -> None:
    hostile = "a b; touch pwned $(touch pwned2) `touch pwned3` 'q' \"d\" | & > x"
    result = await run_process(
        [PY, "-c", "import sys; print(repr(sys.argv[1]))", hostile], cwd=tmp_path
    )
    assert result.stdout == [repr(hostile)]
    assert sorted(os.listdir(tmp_path)) == []


async def test_env_and_cwd(tmp_path: Path) -> None:
    result = await run_process(
        [PY, "-c", "import os; print(os.getcwd()); print(os.environ['SFFI_T'])"],
        cwd=tmp_path,
        env={"SFFI_T": "yes"},
    )
    assert result.stdout == [str(tmp_path), "yes"]


async def test_missing_program_is_an_error_not_an_exception() -> None:
    result = await run_process(["/nonexistent/prog-xyz", "a"], key="missing")
    assert result.returncode is None and result.error is not None
    assert "prog-xyz" in result.error
    assert "missing" not in busy_keys()


async def test_cancel_event_ends_the_whole_process_group() -> None:
    cancel = asyncio.Event()
    pids: list[int] = []
    lines: list[str] = []

    def on_output(stream: str, line: str) -> None:
        lines.append(line)
        if line.startswith("child "):
            cancel.set()

    result = await run_process(
        [PY, "-c", TREE],
        key="tree",
        on_output=on_output,
        on_start=pids.append,
        cancel=cancel,
        grace=0.5,
    )
    assert result.cancelled and not result.ok
    child = int(next(line for line in lines if line.startswith("child ")).split()[1])
    assert not pid_alive(pids[0])
    assert not pid_alive(child)  # ignored SIGTERM, killed after the grace period
    assert group_pids(pids[0]) == []
    assert busy_keys() == frozenset()


async def test_task_cancellation_also_ends_the_process() -> None:
    pids: list[int] = []
    task = asyncio.create_task(
        run_process([PY, "-c", TREE], key="task", on_start=pids.append, grace=0.5)
    )
    while not pids:
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert group_pids(pids[0]) == []
    assert "task" not in busy_keys()


async def test_second_run_on_a_busy_key_is_refused_or_waits() -> None:
    slow = [PY, "-c", "import time; time.sleep(0.6); print('slow')"]
    first = asyncio.create_task(run_process(slow, key="crate-a"))
    while "crate-a" not in busy_keys():
        await asyncio.sleep(0.01)
    with pytest.raises(KeyBusy, match="'crate-a' is already running"):
        await run_process([PY, "-c", "print(1)"], key="crate-a", wait_if_busy=False)
    # another key is independent
    other = await run_process([PY, "-c", "print('other')"], key="crate-b", wait_if_busy=False)
    assert other.stdout == ["other"]
    progress: list[str] = []
    waited = await run_process(
        [PY, "-c", "print('after')"], key="crate-a", on_progress=progress.append
    )
    assert (await first).stdout == ["slow"]
    assert waited.stdout == ["after"]
    assert progress[0] == "waiting for the running job on crate-a"
    assert busy_keys() == frozenset()


async def test_cancel_while_waiting_for_the_lock_does_not_run() -> None:
    slow = asyncio.create_task(run_process([PY, "-c", "import time; time.sleep(0.5)"], key="k"))
    while "k" not in busy_keys():
        await asyncio.sleep(0.01)
    cancel = asyncio.Event()
    cancel.set()
    result = await run_process([PY, "-c", "print('never')"], key="k", cancel=cancel)
    assert result.cancelled and result.pid is None and result.stdout == []
    await slow


def test_sync_wrapper_for_the_cli() -> None:
    result = run_process_sync([PY, "-c", "print('sync')"], key="sync")
    assert result.ok and result.stdout == ["sync"]
