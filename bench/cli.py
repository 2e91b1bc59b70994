"""Benchmark the command line (issue 14): ``sffi-lsp symbols --native --format json`` on
libtorch_cpu.so against ``nm -DC --defined-only``, net of interpreter start-up, and the
start-up of each subcommand (``--help``) against a bare interpreter.

Every figure is the median of RUNS runs of a fresh process, measured in this run next to
its baseline (the machine is shared and noisy: compare the ratios). Wall time and CPU
time (user + system of the child) are both given.

With ``--breakdown``, the symbols figure is also split into its phases, each measured
in-process one after the other (not overlapped as in the command): imports, reading the
library, demangling (our CPU and ``c++filt``'s), building the JSON text, writing it.

Usage: python bench/cli.py [RUNS] [--baseline-tree DIR] [--breakdown]. With ``--baseline-tree`` (a
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


PHASES = ("imports", "read", "demangle", "json text", "write")


def breakdown_child(library: str) -> None:
    """One fresh process: print ``phase self_cpu_ms child_cpu_ms wall_ms`` per phase."""
    def now() -> tuple[float, float, float]:
        me = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime, time.perf_counter())

    marks = [now()]
    import importlib

    from sffi_lsp.index.natives.reader import read_library_report
    from sffi_lsp.workspace.discovery import find_root
    records = importlib.import_module("sffi_lsp.index.natives.records")
    demangle = importlib.import_module("sffi_lsp.index.natives.demangle")
    marks.append(now())
    path = Path(library).resolve()
    find_root(path)
    report = read_library_report(path)
    assert report.info is not None
    table = report.info.symbols
    marks.append(now())
    demangled = demangle.demangle_many(table.names)
    marks.append(now())
    records.demangle_many_started = lambda names: (lambda: demangled)
    text = records.library_json_text(table, path.name)
    marks.append(now())
    with open(os.devnull, "w") as sink:
        sink.write("[" + text + "]\n")
    marks.append(now())
    for name, before, after in zip(PHASES, marks[:-1], marks[1:], strict=True):
        print(name, *(f"{(b - a) * 1000:.1f}" for a, b in zip(before, after, strict=True)))


def breakdown(library: Path, runs: int) -> None:
    rows: dict[str, list[list[float]]] = {name: [] for name in PHASES}
    for _ in range(runs):
        done = subprocess.run([sys.executable, __file__, "--breakdown-child", str(library)],
                              capture_output=True, text=True, check=True)
        for line in done.stdout.splitlines():
            name, *figures = line.rsplit(" ", 3)
            rows[name].append([float(f) for f in figures])
    print("  phases, measured one after the other in one process (medians; ms):")
    print(f"  {'phase':12} {'our CPU':>9} {'child CPU':>10} {'wall':>8}")
    for name, values in rows.items():
        mine, kids, wall = (statistics.median(v[k] for v in values) for k in range(3))
        print(f"  {name:12} {mine:9.1f} {kids:10.1f} {wall:8.1f}")


def main() -> int:
    args = sys.argv[1:]
    if args[:1] == ["--breakdown-child"]:
        breakdown_child(args[1])
        return 0
    want_breakdown = "--breakdown" in args
    if want_breakdown:
        args.remove("--breakdown")
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
    if want_breakdown:
        nm_plain = median_run([nm, "-D", "--defined-only", str(library)], runs)
        print(f"  {'nm -D --defined-only (no demangling)':46} wall {nm_plain[0]:7.1f} ms  cpu {nm_plain[1]:7.1f} ms")
        breakdown(library, runs)
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
