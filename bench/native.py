"""Benchmark: list libtorch_cpu.so's exported symbols with our reader vs `nm -D --defined-only`
(and check that both give the same names), and time a warm (cached) index build up to the
first lookup answer. Usage: python bench/native.py"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
DATA = HERE / ".data"
LIBRARY = DATA / "libtorch_cpu.so"
WHEEL_MEMBER = "torch/lib/libtorch_cpu.so"


def obtain() -> Path | None:
    if LIBRARY.is_file():
        return LIBRARY
    DATA.mkdir(parents=True, exist_ok=True)
    wheels = sorted(DATA.glob("torch-*.whl"))
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "torch==2.13.0", "-d", str(DATA)],
                       check=False, capture_output=True)
        wheels = sorted(DATA.glob("torch-*.whl"))
    if not wheels:
        return None
    with zipfile.ZipFile(wheels[0]) as wheel, wheel.open(WHEEL_MEMBER) as src, open(LIBRARY, "wb") as out:
        shutil.copyfileobj(src, out, 1 << 20)
    return LIBRARY


def median_ms(fn, runs: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> int:
    library = obtain()
    if library is None:
        print("skip: libtorch_cpu.so cannot be had (no torch wheel)")
        return 0
    from sffi_lsp.index.cache import SymbolCache
    from sffi_lsp.index.natives import NativeIndex, read_library
    from sffi_lsp.index.natives.table import SCANS_BEFORE_INDEX
    from sffi_lsp.workspace.discovery import WorkspaceFiles
    from sffi_lsp.workspace.settings import Settings

    ours_ms, info = median_ms(lambda: read_library(library))
    nm = shutil.which("nm")
    nm_ms, nm_out = median_ms(lambda: subprocess.run([nm, "-D", "--defined-only", str(library)],
                                                     capture_output=True, check=True).stdout)
    nm_lines = [line.split() for line in nm_out.decode().splitlines() if line.strip()]
    ours = set(info.symbols.names)  # type: ignore[attr-defined]
    # Documented differences (bench/README.md): nm prints a symbol's version (name@VER,
    # name@@VER: compare the name), the version-definition symbols (type A, value 0) and
    # LOCAL entries of .dynsym (lower-case letters other than u, v, w, i); we list neither.
    versioned = sum(1 for parts in nm_lines if "@" in parts[-1])
    version_defs = {parts[-1] for parts in nm_lines if parts[-2] == "A" and int(parts[0], 16) == 0}
    local = {parts[-1].split("@")[0] for parts in nm_lines if parts[-2].islower() and parts[-2] not in "uvwi"}
    nm_names = {parts[-1].split("@")[0] for parts in nm_lines} - version_defs - local
    print(f"library: {library.name} ({library.stat().st_size / 1e6:.0f} MB)")
    print(f"ours:  {ours_ms:7.1f} ms  {len(ours)} symbols")
    print(f"nm -D: {nm_ms:7.1f} ms  {len(nm_lines)} lines")
    print(f"ratio ours/nm: {ours_ms / nm_ms:.2f}")
    print(f"nm lines left out by design: {versioned} versioned (name@VER, compared by name), "
          f"{len(version_defs)} version definitions (A), {len(local)} LOCAL")
    only_ours, only_nm = ours - nm_names, nm_names - ours
    by_letter: dict[str, int] = {}
    for parts in nm_lines:
        if parts[-1].split("@")[0] in only_nm:
            by_letter[parts[-2]] = by_letter.get(parts[-2], 0) + 1
    print(f"in ours, not in nm: {len(only_ours)}; in nm, not ours: {len(only_nm)} {by_letter}")
    assert not only_ours and not only_nm, "our name set differs from nm -D --defined-only"

    # A name that exists: at::_ops::add_Tensor::call.
    name = "_ZN2at4_ops10add_Tensor4callERKNS_6TensorES4_RKN3c106ScalarE"
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(cache_dir=tmp)
        files = WorkspaceFiles(library.parent, libraries=[library])
        NativeIndex(library.parent, settings, SymbolCache.for_settings(settings), jobs=1).build(files)

        def warm_first_lookup() -> list:
            index = NativeIndex(library.parent, settings, SymbolCache.for_settings(settings), jobs=1)
            index.build(files)
            return index.lookup(name)

        first_ms, found = median_ms(warm_first_lookup)
        assert len(found) == 1, found
        index = NativeIndex(library.parent, settings, SymbolCache.for_settings(settings), jobs=1)
        build_ms, _ = median_ms(lambda: index.build(files), 1)
        table = index.libraries[library].symbols
        start = time.perf_counter()
        table.name_set()  # type: ignore[attr-defined]
        name_index_ms = (time.perf_counter() - start) * 1000
        lookup_ms, _ = median_ms(lambda: index.lookup(name), 5)
        print(f"warm (cached) build to first lookup answer: {first_ms:.1f} ms ({len(found)} found); "
              f"warm build alone: {build_ms:.1f} ms")
        print(f"name index (built after {SCANS_BEFORE_INDEX} scanned lookups): {name_index_ms:.1f} ms once; "
              f"then lookup: {lookup_ms * 1000:.1f} us")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
