"""Benchmark of VS Code's periodic workspace re-pull (not a test).

VS Code (vscode-languageclient 9) sends ``workspace/diagnostic`` again about every 2 s with
the result ids it holds. This generates the bench/lsp.py workspace with one finding in
every file (a call nothing declares: SFFI012), starts ``sffi-lsp serve`` as a pulling
client, and compares, median of --runs each: a full pull (no previous result ids, the
baseline) against the re-pull with the ids of the previous answer (every file
``unchanged``): round-trip time and response size. The first pull is reported apart: it
converts every finding (reports are cached per file while its findings stay the same).

    python bench/pull.py [--files 2000] [--externs 1000] [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lsp import Client, generate, uri

PULL_CAPABILITIES = {
    "textDocument": {"diagnostic": {"dynamicRegistration": True, "relatedDocumentSupport": False}},
    "workspace": {"diagnostics": {"refreshSupport": True}},
}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--externs", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sffi-lsp-pull-bench-"))
    root = tmp / "ws"
    generate(root, args.files, args.externs)
    for path in (root / "src/app").glob("f*.spl"):  # one SFFI012 per file
        path.write_text(path.read_text() + f"\nfn undeclared_{path.stem}():\n    rt_nowhere_{path.stem}(1)\n")
    env = {**os.environ, "HOME": str(tmp), "XDG_CACHE_HOME": str(tmp / "cache")}
    client = Client([sys.executable, "-m", "sffi_lsp", "serve"], env)
    _, init = client.request("initialize", {
        "processId": os.getpid(), "rootUri": uri(root), "capabilities": PULL_CAPABILITIES,
        "workspaceFolders": [{"uri": uri(root), "name": "ws"}],
        "initializationOptions": {"diagnostics": {"debounceMs": 0}, "cacheDir": str(tmp / "cache")}})
    assert init["result"]["capabilities"].get("diagnosticProvider"), "the server did not offer pull"
    client.notify("initialized", {})
    client.wait(lambda m: m.get("method") == "sffi/status" and m["params"]["state"] == "ready")

    def pull(previous: list[dict]) -> tuple[float, int, dict]:
        sent = time.perf_counter()
        at, msg = client.request("workspace/diagnostic", {"previousResultIds": previous})
        return (at - sent) * 1000, len(json.dumps(msg)), msg["result"]

    cold_ms, _, _ = pull([])  # the first pull converts every finding: what each pull cost before ids
    full_ms, full_bytes, unchanged_ms, unchanged_bytes = [], [], [], []
    reports = 0
    for _ in range(args.runs):
        ms, size, result = pull([])
        full_ms.append(ms)
        full_bytes.append(size)
        reports = len(result["items"])
        assert all(r["kind"] == "full" for r in result["items"])
        ids = [{"uri": r["uri"], "value": r["resultId"]} for r in result["items"]]
        ms, size, again = pull(ids)
        assert all(r["kind"] == "unchanged" for r in again["items"]), "a re-pull was not all unchanged"
        unchanged_ms.append(ms)
        unchanged_bytes.append(size)
    client.request("shutdown", {})
    client.notify("exit", {})
    full, unchanged = statistics.median(full_ms), statistics.median(unchanged_ms)
    print(f"workspace: {args.files} files, {reports} with findings; median of {args.runs}")
    print(f"first pull (cold: every finding converted): {cold_ms:.1f} ms")
    print(f"full pull (no result ids, baseline): {full:.1f} ms, {statistics.median(full_bytes) / 1024:.0f} KiB")
    print(f"re-pull with the result ids (all unchanged): {unchanged:.1f} ms, "
          f"{statistics.median(unchanged_bytes) / 1024:.0f} KiB")
    print(f"ratio re-pull/full: time {unchanged / full:.2f}, size "
          f"{statistics.median(unchanged_bytes) / statistics.median(full_bytes):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
