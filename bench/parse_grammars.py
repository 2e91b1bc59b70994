"""Parse throughput of the Simple grammar against the grammar of another git revision.

    python bench/parse_grammars.py [--rev c91046d] [--files 300] [--rounds 15]

Compiles ``tree-sitter-simple/src/{parser,scanner}.c`` of the working tree and of ``--rev``
(``git show``, into a temporary directory) with the same ``cc -O2`` flags, then parses the
same generated 5 KB files with both, alternating grammars round by round, and reports the
median process CPU time of a round (CPU time, not wall time: the shared machine's load
moves wall time by tens of percent). Two texts: the summary forms both grammars know
(``real_forms=False``), and the real-code forms (there the old grammar pays for error
recovery). Budget: the new grammar within 10 % of the old on the summary text.
"""

from __future__ import annotations

import argparse
import ctypes
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from tree_sitter import Language, Parser

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from gen_simple import generate_file  # noqa: E402

SOURCES = ("parser.c", "scanner.c")


def build(src: Path, out: Path) -> Language:
    """Compile one grammar's sources into a shared library and load its language."""
    subprocess.run(
        ["cc", "-O2", "-std=c11", "-shared", "-fPIC", "-I", str(src), *(str(src / s) for s in SOURCES), "-o", str(out)],
        check=True,
    )
    function = ctypes.CDLL(str(out)).tree_sitter_simple
    function.restype = ctypes.c_void_p
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Language(int) is the way to load a raw pointer
        return Language(function())


def texts(files: int, real_forms: bool) -> list[bytes]:
    result = []
    for i in range(files):
        text = generate_file(i, 40, real_forms=real_forms)
        while len(text) < 5000:
            text += "\n" + generate_file(i * 7919 + len(text), 40, real_forms=real_forms)
        result.append((text[:5000].rsplit("\n", 1)[0] + "\n").encode())
    return result


def rounds(parsers: dict[str, Parser], data: list[bytes], count: int) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in parsers}
    for _ in range(count):
        for name, parser in parsers.items():
            start = time.process_time()
            for text in data:
                parser.parse(text)
            times[name].append(time.process_time() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    args.add_argument("--rev", default="c91046d", help="git revision of the baseline grammar")
    args.add_argument("--files", type=int, default=300)
    args.add_argument("--rounds", type=int, default=15)
    opts = args.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old_src = Path(tmp) / "old"
        old_src.mkdir()
        for name in [*SOURCES, "tree_sitter/parser.h", "tree_sitter/alloc.h", "tree_sitter/array.h"]:
            shown = subprocess.run(
                ["git", "-C", str(ROOT), "show", f"{opts.rev}:tree-sitter-simple/src/{name}"],
                capture_output=True, check=False,
            )
            if shown.returncode == 0:
                (old_src / name).parent.mkdir(parents=True, exist_ok=True)
                (old_src / name).write_bytes(shown.stdout)
        parsers = {
            opts.rev: Parser(build(old_src, Path(tmp) / "old.so")),
            "working tree": Parser(build(ROOT / "tree-sitter-simple" / "src", Path(tmp) / "new.so")),
        }
        for label, real_forms in (("summary forms", False), ("real-code forms", True)):
            data = texts(opts.files, real_forms)
            medians = rounds(parsers, data, opts.rounds)
            old, new = medians[opts.rev], medians["working tree"]
            size = sum(map(len, data)) / 1e6
            print(f"{label}: {opts.files} files, {size:.1f} MB, median CPU of {opts.rounds} rounds: "
                  f"{opts.rev} {old:.3f} s, working tree {new:.3f} s, ratio {new / old:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
