"""Parse + index throughput of the declaration index on a generated workspace.

    python bench/parse.py [--files 5000] [--bytes-per-file 5000] [--workers N]

Generates (once, under bench/.data/parse-<files>) a workspace of varied, valid Simple
files totalling about files x bytes-per-file bytes, then indexes it cold in fresh
processes and reports MB/s and files/s (median of 3). Target: 5,000 files / 25 MB in
under 5 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen_simple import generate_file  # noqa: E402


def make_workspace(root: Path, files: int, bytes_per_file: int) -> tuple[list[Path], int]:
    marker = root / ".complete"
    paths = [root / "src" / f"m{i // 100:03d}" / f"f{i:05d}.spl" for i in range(files)]
    if not marker.exists():
        for i, path in enumerate(paths):
            path.parent.mkdir(parents=True, exist_ok=True)
            text = generate_file(i, 40)
            while len(text) < bytes_per_file:
                text += "\n" + generate_file(i * 7919 + len(text), 40)
            path.write_text(text[: bytes_per_file].rsplit("\n", 1)[0] + "\n")
        marker.touch()
    return paths, sum(p.stat().st_size for p in paths)


CHILD = """
import sys, time
from pathlib import Path
from sffi_lsp.index.declarations import DeclarationIndex
paths = [Path(p) for p in sys.stdin.read().split()]
start = time.perf_counter()
index = DeclarationIndex()
index.build(paths, workers={workers})
elapsed = time.perf_counter() - start
externs = sum(1 for _ in index.externs())
print(elapsed, externs, len(index.files))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--bytes-per-file", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = HERE / ".data" / f"parse-{args.files}-{args.bytes_per_file}"
    paths, size = make_workspace(root, args.files, args.bytes_per_file)
    listing = "\n".join(map(str, paths))
    times = []
    for _ in range(args.runs):
        # A fresh interpreter per run: nothing warm but the OS page cache.
        out = subprocess.run(
            [sys.executable, "-c", CHILD.format(workers=args.workers)],
            input=listing, capture_output=True, text=True, check=True,
        ).stdout.split()
        times.append(float(out[0]))
        externs, indexed = int(out[1]), int(out[2])
    median = statistics.median(times)
    print(f"workspace: {len(paths)} files, {size / 1e6:.1f} MB, {externs} extern declarations ({indexed} files indexed)")
    print(f"workers: {args.workers}; cold index, median of {len(times)}: {median:.2f} s "
          f"({size / 1e6 / median:.1f} MB/s, {len(paths) / median:.0f} files/s); runs: "
          + ", ".join(f"{t:.2f}" for t in times))
    print(f"target: under 5 s -> {'met' if median < 5 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
