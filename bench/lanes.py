"""Cold and warm `sffi-lsp check` on a workspace at the Simple repository's scale.

`python bench/lanes.py [--out DIR] [--scale S] [--runs N]` generates the workspace with
`bench/gen_repo.py` (reused when DIR already holds it), then times, each in a fresh
process, median of N runs:

- cold: `sffi-lsp check DIR` with an empty cache directory (every file parsed);
- baseline, same run: `sffi-lsp check DIR --select SFFI004` with an empty cache (the
  same discovery and indexing, one trivial rule): what the lane rules add on top;
- warm: `sffi-lsp check DIR` again on the filled cache.

Peak RSS is the largest sum of the resident sets of the checker and its worker
processes, sampled every 50 ms from /proc; CPU is their user + system seconds (a figure
the machine's load does not inflate much, unlike wall time). The load average is printed before and after:
the machine is shared, so compare ratios within one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_repo import generate

PAGE = os.sysconf("SC_PAGE_SIZE")


TICKS = os.sysconf("SC_CLK_TCK")


def _tree(root_pid: int, cpu: dict[int, float]) -> int:
    """Bytes resident in ``root_pid`` and all its descendants (from /proc); records each
    one's CPU seconds so far (user + system) in ``cpu``."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    seconds: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * PAGE
        seconds[int(entry)] = (int(fields[11]) + int(fields[12])) / TICKS
    total = 0
    for pid in rss:
        walk = pid
        while walk > 1:
            if walk == root_pid:
                total += rss[pid]
                cpu[pid] = max(cpu.get(pid, 0.0), seconds[pid])
                break
            walk = parents.get(walk, 0)
    return total


def run_check(workspace: Path, cache: Path, *extra: str) -> tuple[float, int, int, float]:
    """Wall seconds, peak tree RSS in bytes, the exit status, and the CPU seconds of the
    process tree (sampled: the last 50 ms of each process are not counted) of one check."""
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [sys.executable, "-m", "sffi_lsp", "check", str(workspace), *extra]
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    cpu: dict[int, float] = {}
    while process.poll() is None:
        peak = max(peak, _tree(process.pid, cpu))
        time.sleep(0.05)
    return time.perf_counter() - start, peak, process.returncode, sum(cpu.values())


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "sffi-bench-repo")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    marker = args.out / f".generated-{args.scale}"
    if not marker.exists():
        shutil.rmtree(args.out, ignore_errors=True)
        shape = generate(args.out, args.scale)
        marker.write_text(repr(shape))
    print(marker.read_text())
    print(f"load average before: {_load()}  (cores: {os.cpu_count()})")
    cold, base, warm = [], [], []
    with tempfile.TemporaryDirectory(prefix="sffi-bench-cache-") as scratch:
        for i in range(args.runs):
            cold.append(run_check(args.out, Path(scratch) / f"cold{i}"))
            base.append(run_check(args.out, Path(scratch) / f"base{i}", "--select", "SFFI004"))
            warm.append(run_check(args.out, Path(scratch) / f"cold{i}"))
    for label, runs in (("cold check", cold), ("baseline: cold, --select SFFI004", base), ("warm check", warm)):
        seconds = statistics.median(r[0] for r in runs)
        rss = max(r[1] for r in runs) / 2**20
        codes = sorted({r[2] for r in runs})
        cpu = statistics.median(r[3] for r in runs)
        print(f"{label:34} median {seconds:6.2f} s  (runs {', '.join(f'{r[0]:.2f}' for r in runs)})  "
              f"CPU {cpu:6.2f} s  peak RSS {rss:7.1f} MiB  exit {codes}")
    print(f"load average after:  {_load()}")


if __name__ == "__main__":
    main()
