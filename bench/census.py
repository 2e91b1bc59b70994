"""Cold `sffi-lsp census` at the Simple repository's scale, next to a cold `check` of the
same workspace measured in the same run.

`python bench/census.py [--out DIR] [--scale S] [--runs N]` generates the workspace of
the lanes bench with `bench/gen_repo.py` (reused when DIR already holds it: the same
directory as `bench/lanes.py`), then times, each in a fresh process with an empty cache
directory (every file parsed), median of N runs, interleaved:

- cold census: `sffi-lsp census DIR --format csv` (the rows written to /dev/null);
- baseline, same run: cold `sffi-lsp check DIR` (the same indexes, the rules instead of
  the census);
- warm census: `sffi-lsp census DIR` again on the cache the cold census filled.

`gen_repo.py` writes declarations but no calls, which would make every name `dead`; this
bench adds `src/app/calls/` (500 files, 10,000 calls of three quarters of the declared
names, deterministic) so call sites are counted as in real code. The check baseline runs
on the same tree.

Target: cold census under 15 s on the 2-core machine. Peak RSS and CPU seconds are those
of the process tree (index workers included), sampled as in `bench/lanes.py`; the load
average is printed before and after: the machine is shared, compare ratios within a run.
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
from lanes import _load, _tree

CALL_FILES = 500
CALLS_PER_FILE = 20


def add_calls(root: Path) -> int:
    """Write ``src/app/calls/``: calls of three quarters of the declared extern names."""
    import random
    import re

    declared = sorted({m.group(1) for path in root.rglob("*.spl")
                       for m in re.finditer(r"^extern fn (\w+)", path.read_text(), re.M)})
    rng = random.Random(12)
    called = rng.sample(declared, len(declared) * 3 // 4)
    out = root / "src" / "app" / "calls"
    out.mkdir(parents=True, exist_ok=True)
    for n in range(CALL_FILES):
        body = "".join(f"    {rng.choice(called)}()\n" for _ in range(CALLS_PER_FILE))
        (out / f"calls_{n}.spl").write_text(f"fn calls_{n}():\n{body}")
    return CALL_FILES * CALLS_PER_FILE


def run_command(workspace: Path, cache: Path, *argv: str) -> tuple[float, int, int, float, str]:
    """Wall seconds, peak tree RSS (bytes), exit status, CPU seconds of the process tree,
    and the stdout of one ``sffi-lsp`` command."""
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [sys.executable, "-m", "sffi_lsp", *argv]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.DEVNULL, cwd=workspace)
        peak = 0
        cpu: dict[int, float] = {}
        while process.poll() is None:
            peak = max(peak, _tree(process.pid, cpu))
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return elapsed, peak, process.returncode, sum(cpu.values()), text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "sffi-bench-repo")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    marker = args.out / f".generated-{args.scale}-calls"
    if not marker.exists():
        shutil.rmtree(args.out, ignore_errors=True)
        shape = generate(args.out, args.scale)
        marker.write_text(f"{shape!r}, plus {add_calls(args.out)} calls in src/app/calls/")
    print(marker.read_text())
    print(f"load average before: {_load()}  (cores: {os.cpu_count()})")
    census, check, warm = [], [], []
    with tempfile.TemporaryDirectory(prefix="sffi-bench-cache-") as scratch:
        for i in range(args.runs):
            census.append(run_command(args.out, Path(scratch) / f"census{i}", "census", ".", "--format", "csv"))
            check.append(run_command(args.out, Path(scratch) / f"check{i}", "check", "."))
            warm.append(run_command(args.out, Path(scratch) / f"census{i}", "census", "."))
    for label, runs in (("cold census", census), ("baseline: cold check", check), ("warm census", warm)):
        seconds = statistics.median(r[0] for r in runs)
        rss = max(r[1] for r in runs) / 2**20
        codes = sorted({r[2] for r in runs})
        cpu = statistics.median(r[3] for r in runs)
        print(f"{label:22} median {seconds:6.2f} s  (runs {', '.join(f'{r[0]:.2f}' for r in runs)})  "
              f"CPU {cpu:6.2f} s  peak RSS {rss:7.1f} MiB  exit {codes}")
    ratio = statistics.median(r[0] for r in census) / statistics.median(r[0] for r in check)
    print(f"cold census / cold check: {ratio:.2f}")
    totals = [line for line in warm[-1][4].splitlines()
              if " names: " in line or line.startswith(("interpreter:", "jit:", "native:"))]
    print("census totals:", *totals, sep="\n  ")
    print(f"load average after:  {_load()}")


if __name__ == "__main__":
    main()
