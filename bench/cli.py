"""Benchmark the command line (issue 14): ``sffi-lsp symbols --native --format json`` on
libtorch_cpu.so against ``nm -DC --defined-only``, net of interpreter start-up, and the
start-up of each subcommand (``--help``) against a bare interpreter.

Every figure is the median of RUNS runs of a fresh process, measured in this run next to
its baseline (the machine is shared and noisy: compare the ratios). Wall time and CPU
time (user + system of the child) are both given.

Usage: python bench/cli.py [RUNS] [--baseline-tree DIR]. With ``--baseline-tree`` (a
checkout of an older ``sffi_lsp`` package, e.g. ``git archive <commit> sffi_lsp queries``
plus the built ``_binding`` module), the same figures for that code run next to ours
(``PYTHONPATH=DIR``); old code lists a library through a workspace directory holding it."""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from native import obtain  # noqa: E402  (fetches libtorch_cpu.so into bench/.data)


def run_once(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(wall ms, child CPU ms, output bytes) of one run with its stdout read and dropped."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, check=True, env=env)
    wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1000
    return wall, cpu, len(done.stdout)


def median_run(argv: list[str], runs: int, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    run_once(argv, env)  # warm: the page cache, and the symbol cache of a workspace listing
    results = [run_once(argv, env) for _ in range(runs)]
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results),
            results[-1][2])


def main() -> int:
    args = sys.argv[1:]
    baseline_tree = None
    if "--baseline-tree" in args:
        at = args.index("--baseline-tree")
        baseline_tree = args[at + 1]
        del args[at:at + 2]
    runs = int(args[0]) if args else 5
    old_env = {**os.environ, "PYTHONPATH": baseline_tree} if baseline_tree else None
    python = sys.executable
    env_note = "PYTHONDONTWRITEBYTECODE unset" if "PYTHONDONTWRITEBYTECODE" not in os.environ else \
        "WARNING: PYTHONDONTWRITEBYTECODE is set (start-up figures include compiling)"
    print(f"runs per figure: {runs}; {env_note}")
    bare = median_run([python, "-c", "pass"], runs)
    print(f"{'bare interpreter (python -c pass)':48} wall {bare[0]:7.1f} ms  cpu {bare[1]:7.1f} ms")

    print("\nCLI start-up (sffi-lsp ... --help), net = minus the bare interpreter:")
    for argv in (["--version"], ["check", "--help"], ["symbols", "--help"], ["serve", "--help"],
                 ["register", "--help"]):
        wall, cpu, _ = median_run([python, "-m", "sffi_lsp", *argv], runs)
        print(f"  {'sffi-lsp ' + ' '.join(argv):46} wall {wall:7.1f} ms  cpu {cpu:7.1f} ms  "
              f"net wall {wall - bare[0]:6.1f} ms")
        if old_env is not None:
            wall, cpu, _ = median_run([python, "-m", "sffi_lsp", *argv], runs, old_env)
            print(f"  {'  baseline tree':46} wall {wall:7.1f} ms  cpu {cpu:7.1f} ms  "
                  f"net wall {wall - bare[0]:6.1f} ms")

    library = obtain()
    nm = shutil.which("nm")
    if library is None or nm is None:
        print("skip symbols: libtorch_cpu.so or nm cannot be had")
        return 0
    print(f"\nsymbols of {library.name} ({library.stat().st_size >> 20} MB):")
    ours = median_run([python, "-m", "sffi_lsp", "symbols", "--native", "--format", "json", str(library)], runs)
    theirs = median_run([nm, "-DC", "--defined-only", str(library)], runs)
    print(f"  {'sffi-lsp symbols --native --format json':46} wall {ours[0]:7.1f} ms  cpu {ours[1]:7.1f} ms  "
          f"({ours[2] >> 20} MB out)")
    print(f"  {'  net of interpreter start-up':46} wall {ours[0] - bare[0]:7.1f} ms  cpu {ours[1] - bare[1]:7.1f} ms")
    print(f"  {'nm -DC --defined-only':46} wall {theirs[0]:7.1f} ms  cpu {theirs[1]:7.1f} ms  "
          f"({theirs[2] >> 20} MB out)")
    print(f"  ratio ours(net)/nm: wall {(ours[0] - bare[0]) / theirs[0]:.2f}  cpu {(ours[1] - bare[1]) / theirs[1]:.2f}")
    if old_env is not None:
        with tempfile.TemporaryDirectory() as tmp:
            workspace = Path(tmp)
            (workspace / "lib").mkdir()
            (workspace / "lib" / library.name).symlink_to(library)
            (workspace / "sffi-lsp.toml").write_text("")
            cache = {"XDG_CACHE_HOME": str(workspace / ".cache")}
            listing = [python, "-m", "sffi_lsp", "symbols", "--native", "--format", "json", str(workspace)]
            new_dir = median_run(listing, runs, {**os.environ, **cache})
            old_dir = median_run(listing, runs, {**old_env, **cache})
        print("  the workspace directory holding it (warm symbol cache):")
        print(f"  {'  ours':46} wall {new_dir[0]:7.1f} ms  cpu {new_dir[1]:7.1f} ms")
        print(f"  {'  baseline tree':46} wall {old_dir[0]:7.1f} ms  cpu {old_dir[1]:7.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
