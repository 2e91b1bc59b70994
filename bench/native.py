"""Benchmark: list libtorch_cpu.so's exported symbols with our reader vs `nm -D --defined-only`,
and time a warm (cached) index lookup. Usage: python bench/native.py"""

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
    from sffi_lsp.workspace.discovery import WorkspaceFiles
    from sffi_lsp.workspace.settings import Settings

    ours_ms, info = median_ms(lambda: read_library(library))
    nm = shutil.which("nm")
    nm_ms, nm_out = median_ms(lambda: subprocess.run([nm, "-D", "--defined-only", str(library)],
                                                     capture_output=True, check=True).stdout)
    nm_lines = [line.split() for line in nm_out.decode().splitlines() if line.strip()]
    ours = set(info.symbols.names)  # type: ignore[attr-defined]
    nm_names = {parts[-1].split("@")[0] for parts in nm_lines}
    print(f"library: {library.name} ({library.stat().st_size / 1e6:.0f} MB)")
    print(f"ours:  {ours_ms:7.1f} ms  {len(ours)} symbols (exported FUNC/OBJECT, GLOBAL/WEAK)")
    print(f"nm -D: {nm_ms:7.1f} ms  {len(nm_lines)} lines")
    print(f"ratio ours/nm: {ours_ms / nm_ms:.2f}")
    missing = ours - nm_names
    extra = {}
    for parts in nm_lines:
        if parts[-1].split("@")[0] not in ours:
            extra[parts[-2]] = extra.get(parts[-2], 0) + 1
    print(f"in ours, not in nm: {len(missing)}; in nm, not ours, by nm type letter: {extra}")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(cache_dir=tmp)
        files = WorkspaceFiles(library.parent, libraries=[library])
        NativeIndex(library.parent, settings, SymbolCache.for_settings(settings), jobs=1).build(files)
        warm_index = NativeIndex(library.parent, settings, SymbolCache.for_settings(settings), jobs=1)
        warm_ms, _ = median_ms(lambda: warm_index.build(files))
        lookup_ms, found = median_ms(lambda: warm_index.lookup("_ZN2at4_ops4add_6Tensor4callERKNS_6TensorES4_RKN3c106ScalarE"), 5)
        print(f"warm (cached) index build: {warm_ms:.1f} ms; lookup: {lookup_ms * 1000:.1f} us ({len(found)} found)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
