"""Run external programs (generator, cargo): argv lists only, streamed output, cancellation.

Never a shell. Each run gets its own process group so cancelling it ends the whole tree
(cargo's rustc and build-script children too): SIGTERM to the group, then SIGKILL after
a grace period. A per-key lock keeps one run per crate or spec at a time; the lock is a
plain thread-safe set, so it works across event loops (server loop, CLI ``asyncio.run``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

OutputCallback = Callable[[str, str], None]  # (stream "stdout"|"stderr", line without newline)
ProgressCallback = Callable[[str], None]


class KeyBusy(RuntimeError):
    """A run for this key is already in progress and the caller asked not to wait."""


@dataclass
class ProcessResult:
    argv: list[str]
    returncode: int | None  # None when the program could not be started
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    cancelled: bool = False
    pid: int | None = None
    duration: float = 0.0
    error: str | None = None  # why it could not start

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.cancelled


_busy: set[str] = set()
_busy_guard = threading.Lock()


def busy_keys() -> frozenset[str]:
    """Keys with a run in progress."""
    with _busy_guard:
        return frozenset(_busy)


def _try_acquire(key: str) -> bool:
    with _busy_guard:
        if key in _busy:
            return False
        _busy.add(key)
        return True


def _release(key: str) -> None:
    with _busy_guard:
        _busy.discard(key)


async def _acquire(key: str, wait: bool, cancel: asyncio.Event | None) -> bool:
    """Take the key's lock; False when cancelled while waiting."""
    while not _try_acquire(key):
        if not wait:
            raise KeyBusy(f"'{key}' is already running; wait for it to finish or cancel it")
        if cancel is not None and cancel.is_set():
            return False
        await asyncio.sleep(0.05)
    return True


def _signal_group(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if sys.platform != "win32":
            os.killpg(pid, sig)
        else:  # pragma: no cover - no process groups on Windows
            os.kill(pid, sig)


def _group_alive(pgid: int) -> bool:
    """Whether a running (non-zombie) process is left in group ``pgid``."""
    proc_dir = Path("/proc")
    if not proc_dir.is_dir():
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True
    for entry in proc_dir.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 2 and fields[0] != "Z" and fields[2] == str(pgid):
            return True
    return False


async def _stop(proc: asyncio.subprocess.Process, grace: float) -> None:
    """Terminate the process group, kill it after ``grace`` seconds, reap the child."""
    _signal_group(proc.pid, signal.SIGTERM)
    try:
        await asyncio.wait_for(proc.wait(), grace)
    except TimeoutError:
        _signal_group(proc.pid, signal.SIGKILL)
        await proc.wait()
    # Grandchildren that ignored SIGTERM (or outlived their parent) go too; wait until
    # the kernel has actually removed them, so "cancelled" means "gone".
    if sys.platform != "win32":
        _signal_group(proc.pid, signal.SIGKILL)
        deadline = time.monotonic() + 5.0
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)


async def _pump(
    stream: asyncio.StreamReader | None,
    name: str,
    sink: list[str],
    on_output: OutputCallback | None,
) -> None:
    if stream is None:
        return
    while True:
        raw = await stream.readline()
        if not raw:
            return
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        sink.append(line)
        if on_output is not None:
            on_output(name, line)


async def run_process(
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    key: str | None = None,
    wait_if_busy: bool = True,
    on_output: OutputCallback | None = None,
    on_progress: ProgressCallback | None = None,
    on_start: Callable[[int], None] | None = None,
    cancel: asyncio.Event | None = None,
    grace: float = 3.0,
) -> ProcessResult:
    """Run ``argv`` (no shell) and collect its output.

    ``env`` entries are added to this process's environment. With ``key``, only one run
    per key at a time: a second run waits (``wait_if_busy``) or raises ``KeyBusy``.
    Setting ``cancel`` or cancelling the task stops the process group (terminate, then
    kill after ``grace`` seconds); a cancelled run returns ``cancelled=True`` (event) or
    re-raises ``CancelledError`` (task).
    """
    argv = [str(a) for a in argv]
    result = ProcessResult(argv, None)
    if key is not None:
        if on_progress is not None and key in busy_keys() and wait_if_busy:
            on_progress(f"waiting for the running job on {key}")
        if not await _acquire(key, wait_if_busy, cancel):
            result.cancelled = True
            return result
    started = time.monotonic()
    try:
        full_env = dict(os.environ)
        if env:
            full_env.update(env)
        try:
            proc = await asyncio.create_subprocess_exec(
                *argv,
                cwd=str(cwd) if cwd is not None else None,
                env=full_env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                start_new_session=sys.platform != "win32",
            )
        except OSError as exc:
            result.error = f"cannot run {argv[0]}: {exc.strerror or exc}"
            return result
        result.pid = proc.pid
        if on_start is not None:
            on_start(proc.pid)
        if on_progress is not None:
            on_progress(f"started {Path(argv[0]).name} (pid {proc.pid})")
        pumps = asyncio.gather(
            _pump(proc.stdout, "stdout", result.stdout, on_output),
            _pump(proc.stderr, "stderr", result.stderr, on_output),
        )
        waiter = asyncio.ensure_future(proc.wait())
        cancel_waiter = asyncio.ensure_future(cancel.wait()) if cancel is not None else None
        try:
            waits: set[asyncio.Future[object]] = {waiter}  # type: ignore[arg-type]
            if cancel_waiter is not None:
                waits.add(cancel_waiter)  # type: ignore[arg-type]
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            if not waiter.done():
                result.cancelled = True
                if on_progress is not None:
                    on_progress("cancelling")
                await _stop(proc, grace)
            await waiter
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.shield(pumps), 5.0)
        except asyncio.CancelledError:
            await asyncio.shield(_stop(proc, grace))
            raise
        finally:
            if cancel_waiter is not None:
                cancel_waiter.cancel()
            if not pumps.done():
                pumps.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await pumps
        result.returncode = proc.returncode
        return result
    finally:
        result.duration = time.monotonic() - started
        if key is not None:
            _release(key)


def run_process_sync(argv: Sequence[str], **kwargs: object) -> ProcessResult:
    """``run_process`` for the CLI: runs its own event loop."""
    return asyncio.run(run_process(argv, **kwargs))  # type: ignore[arg-type]
