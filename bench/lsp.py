"""Benchmark of the language server over stdio (not a test).

Generates a workspace of 5,000 ``.spl`` files with 2,000 externs and a C library
exporting them (built with ``cc``), starts ``sffi-lsp serve``, and reports: time to the
first workspace diagnostics after ``initialized``, keystroke-to-diagnostics latency over
200 edits in a 3,000-line file (debounce 0), hover latency, and the server's peak RSS.

    python bench/lsp.py [--files 5000] [--externs 2000] [--edits 200] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote


def uri(path: Path) -> str:
    return "file://" + quote(str(path))


def generate(root: Path, files: int, externs: int) -> Path:
    """The workspace; returns the 3,000-line file that gets edited."""
    (root / "lib").mkdir(parents=True)
    c = root / "native.c"
    c.write_text("".join(f"long rt_bench_f{i}(long a, long b) {{ return a + b + {i}; }}\n" for i in range(externs)))
    subprocess.run(["cc", "-shared", "-fPIC", "-O0", "-o", str(root / "lib/libsimple_runtime.so"), str(c)], check=True)
    c.unlink()
    per = 100
    for n in range(0, externs, per):
        d = root / "src/lib" / f"m{n // per}"
        d.mkdir(parents=True)
        (d / "ffi.spl").write_text("".join(f"extern fn rt_bench_f{i}(a: i64, b: i64) -> i64\n"
                                           for i in range(n, min(n + per, externs))))
    app = root / "src/app"
    app.mkdir(parents=True)
    for k in range(files - externs // per - 1):
        lines = [f"fn work{k}(x: i64) -> i64:"]
        lines += [f"    val v{j} = rt_bench_f{(k * 7 + j) % externs}(x, {j})" for j in range(8)]
        lines.append("    x")
        (app / f"f{k}.spl").write_text("\n".join(lines) + "\n")
    big = app / "big.spl"
    body = []
    for j in range(1000):
        body += [f"fn big{j}(x: i64) -> i64:", f"    val y = rt_bench_f{j % externs}(x, 1)", "    y"]
    big.write_text("\n".join(body) + "\n")
    (root / "sffi-lsp.toml").write_text('runtime-path = "lib/libsimple_runtime.so"\n')
    return big


class Client:
    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.next_id = 0
        self.responses: dict[int, queue.Queue] = {}
        self.notifications: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = 0
            while (line := out.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:
                return
            msg = json.loads(out.read(length))
            now = time.perf_counter()
            if "id" in msg and "method" in msg:  # a server request: accept everything
                self._send({"jsonrpc": "2.0", "id": msg["id"], "result": [None] if msg["method"] == "workspace/configuration" else None})
            elif "id" in msg:
                self.responses.setdefault(msg["id"], queue.Queue()).put((now, msg))
            else:
                self.notifications.put((now, msg))

    def _send(self, msg: dict) -> None:
        data = json.dumps(msg).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()

    def request(self, method: str, params: dict) -> tuple[float, dict]:
        self.next_id += 1
        q = self.responses.setdefault(self.next_id, queue.Queue())
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return q.get(timeout=600)

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, predicate, timeout: float = 600) -> tuple[float, dict]:
        deadline = time.perf_counter() + timeout
        while True:
            at, msg = self.notifications.get(timeout=max(0.01, deadline - time.perf_counter()))
            if predicate(msg):
                return at, msg


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--externs", type=int, default=2000)
    ap.add_argument("--edits", type=int, default=200)
    ap.add_argument("--keep", type=Path)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sffi-lsp-bench-"))
    root = args.keep or tmp / "ws"
    big = generate(root, args.files, args.externs)
    env = {**os.environ, "HOME": str(tmp), "XDG_CACHE_HOME": str(tmp / "cache")}
    client = Client([sys.executable, "-m", "sffi_lsp", "serve"], env)
    client.request("initialize", {"processId": os.getpid(), "rootUri": uri(root), "capabilities": {},
                                  "workspaceFolders": [{"uri": uri(root), "name": "ws"}],
                                  "initializationOptions": {"diagnostics": {"debounceMs": 0},
                                                            "cacheDir": str(tmp / "cache")}})
    started = time.perf_counter()
    client.notify("initialized", {})
    # The workspace checks run and publish before the "ready" status (a clean workspace
    # publishes nothing, so "ready" is the moment every file's diagnostics are out).
    ready, _ = client.wait(lambda m: m.get("method") == "sffi/status" and m["params"]["state"] == "ready")
    first = ready
    text = big.read_text()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri(big), "languageId": "simple", "version": 1, "text": text}})
    client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri(big))
    latencies = []
    for n in range(args.edits):
        line = 1 + 3 * (n % 900)
        insert = n % 2 == 0
        edit = {"range": {"start": {"line": line, "character": 4}, "end": {"line": line, "character": 4 if insert else 5}},
                "text": "v" if insert else ""}
        if not insert:
            edit["range"]["start"] = {"line": 1 + 3 * ((n - 1) % 900), "character": 4}
            edit["range"]["end"] = {"line": 1 + 3 * ((n - 1) % 900), "character": 5}
        sent = time.perf_counter()
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri(big), "version": n + 2}, "contentChanges": [edit]})
        version = n + 2
        at, _ = client.wait(lambda m, v=version: m.get("method") == "textDocument/publishDiagnostics"
                            and m["params"]["uri"] == uri(big) and m["params"].get("version") == v)
        latencies.append((at - sent) * 1000)
    hovers = []
    for n in range(200):
        line = 1 + 3 * (n % 900)
        sent = time.perf_counter()
        at, msg = client.request("textDocument/hover", {"textDocument": {"uri": uri(big)},
                                                        "position": {"line": line, "character": 16}})
        hovers.append((at - sent) * 1000)
        assert msg.get("result"), msg
    status = Path(f"/proc/{client.proc.pid}/status").read_text()
    hwm = next((line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")), "0")
    client.request("shutdown", {})
    client.notify("exit", {})
    client.proc.wait(timeout=30)
    print(f"workspace: {args.files} .spl files, {args.externs} externs, C library via cc")
    print(f"first diagnostics after initialized: {(first - started):.2f} s (ready: {(ready - started):.2f} s)")
    print(f"edit -> diagnostics ({args.edits} edits, 3,000-line file, debounce 0): "
          f"p50 {statistics.median(latencies):.1f} ms, p95 {pct(latencies, 95):.1f} ms")
    print(f"hover (200): p50 {statistics.median(hovers):.1f} ms, p95 {pct(hovers, 95):.1f} ms")
    print(f"server peak RSS (VmHWM): {int(hwm) / 1024:.0f} MB")
    if args.keep is None:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
