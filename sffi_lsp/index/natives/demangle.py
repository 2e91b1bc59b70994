"""Display names for mangled symbols: Rust legacy (``_ZN..17h<hash>E``) and v0 (``_R..``)
through ``rust-demangler``, Itanium C++ through the C++ runtime's ``__cxa_demangle``.

Demangling is slow next to reading a symbol table, so it is done only for names that
are shown, and remembered.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from itertools import accumulate, compress, repeat
from operator import contains, itemgetter

_RUST_LEGACY = re.compile(r"^_?_ZN.*17h[0-9a-f]{16}E(\.\S*)?$")


@cache
def _cxa_demangle() -> tuple[object, object] | None:
    for name in ("libstdc++.so.6", "libc++.so.1", "libc++abi.so.1"):
        try:
            lib = ctypes.CDLL(name)
            function = lib.__cxa_demangle
        except (OSError, AttributeError):
            continue
        function.restype = ctypes.c_void_p
        function.argtypes = [ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
        libc = ctypes.CDLL(None)
        free = libc.free
        free.argtypes = [ctypes.c_void_p]
        return function, free
    return None


def demangle_itanium(name: str) -> str | None:
    """``_ZN3foo3barEv`` -> ``foo::bar()``, or None when it does not demangle."""
    functions = _cxa_demangle()
    if functions is None:
        return None
    function, free = functions
    status = ctypes.c_int(0)
    pointer = function(name.encode("utf-8", "surrogateescape"), None, None, ctypes.byref(status))  # type: ignore[operator]
    if not pointer or status.value != 0:
        return None
    try:
        return ctypes.string_at(pointer).decode("utf-8", "replace")
    finally:
        free(pointer)  # type: ignore[operator]


def demangle_rust(name: str) -> str | None:
    from rust_demangler import demangle as rust_demangle

    try:
        text = rust_demangle(name)
    except Exception:  # the package raises on malformed input
        return None
    return text if text and text != name else None


@lru_cache(maxsize=65536)
def demangle(name: str) -> str | None:
    """The human-readable form of a mangled name, or None if it is not mangled."""
    if name.startswith(("_R", "__R")) or _RUST_LEGACY.match(name):
        result = demangle_rust(name)
        if result is not None:
            return result
    if name.startswith(("_Z", "__Z")):
        return demangle_itanium(name[1:] if name.startswith("__Z") else name)
    return None


def display_name(name: str) -> str:
    return demangle(name) or name


def _argument_bytes() -> int:
    """Bytes of names per ``c++filt`` run: most of what ``execve`` takes (``ARG_MAX``, less
    the environment), so a big library needs a handful of runs, not dozens."""
    try:
        limit = os.sysconf("SC_ARG_MAX")
    except (OSError, ValueError):
        limit = -1
    if limit <= 0:
        limit = 128 * 1024
    environment = sum(len(k) + len(v) + 2 + 8 for k, v in os.environ.items())
    return max(16 * 1024, min(limit, 2 * 1024 * 1024) * 3 // 4 - environment)


ARGUMENT_BYTES = _argument_bytes()
POINTER_BYTES = 8  # each argument also costs a pointer in argv


class _CxxFilt:
    """``c++filt`` runs over many names (all started at once, so they share the cores),
    fed and drained by a thread so the caller can work meanwhile; ``result()`` waits for
    it (None: no ``c++filt``, or it failed)."""

    def __init__(self, names: Sequence[str]) -> None:
        import threading

        self.names = names
        self.output: list[str | None] | None = None
        tool = shutil.which("c++filt")
        self.thread = threading.Thread(target=self._run, args=(tool,), daemon=True) if tool else None
        if self.thread is not None:
            self.thread.start()

    def _run(self, tool: str) -> None:
        # The names go in as arguments, in chunks under the argument-size limit: read from
        # stdin, c++filt flushes after every line (a write per name, a wake-up per write).
        ends = list(accumulate(len(name) + 1 + POINTER_BYTES for name in self.names))
        chunks: list[Sequence[str]] = []
        start = 0
        while start < len(self.names):
            base = ends[start - 1] if start else 0
            stop = max(bisect_right(ends, base + ARGUMENT_BYTES, lo=start), start + 1)
            chunks.append(self.names[start:stop])
            start = stop
        try:
            runs = [subprocess.Popen([tool, "--", *chunk], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     stdin=subprocess.DEVNULL) for chunk in chunks]
            outputs = [run.communicate()[0] for run in runs]
        except (OSError, ValueError):
            return
        if any(run.returncode != 0 for run in runs):
            return
        lines = b"".join(outputs).decode("utf-8", "replace").split("\n")
        if len(lines) >= len(self.names):
            self.output = [None if out == name else out for name, out in zip(self.names, lines, strict=False)]

    def result(self) -> list[str | None] | None:
        if self.thread is None:
            return None
        self.thread.join()
        return self.output


def demangle_many_started(names: Sequence[str]) -> Callable[[], list[str | None]]:
    """Start demangling ``names`` (Itanium C++ names in bulk through one ``c++filt`` run,
    like ``nm -C``; Rust names, and everything when ``c++filt`` is missing, one by one);
    the returned function waits for and returns the results (None: not mangled)."""
    # Whole-list passes run in C (compress/map, no Python code per name): Itanium names
    # go in bulk, but for Rust legacy ones (``_ZN..17h<hash>E``); Rust v0 names one by one.
    first_two = list(map(itemgetter(slice(0, 2)), names))
    everyone = range(len(names))
    bulk = list(compress(everyone, map("_Z".__eq__, first_two)))
    rest = list(compress(everyone, map("_R".__eq__, first_two)))
    underscored = "__" in first_two and any(name.startswith("__Z") for name in names)
    if "__" in first_two:  # one underscore more (as Mach-O writes them): rare
        for i in compress(everyone, map("__".__eq__, first_two)):
            (bulk if names[i][2:3] == "Z" else rest if names[i][2:3] == "R" else []).append(i)
        bulk.sort()
    itanium = list(map(names.__getitem__, bulk))
    legacy = [i for i in compress(bulk, map(contains, itanium, repeat("17h"))) if _RUST_LEGACY.match(names[i])]
    if legacy:
        dropped = set(legacy)
        rest += legacy
        bulk = [i for i in bulk if i not in dropped]
        itanium = list(map(names.__getitem__, bulk))
    if underscored:
        itanium = [name[1:] if name.startswith("__Z") else name for name in itanium]
    filt = _CxxFilt(itanium) if len(bulk) >= 64 else None

    def finish() -> list[str | None]:
        result: list[str | None] = [None] * len(names)
        for i in rest:
            result[i] = demangle(names[i])
        filtered = filt.result() if filt is not None else None
        if filtered is not None:
            for i, text in zip(bulk, filtered, strict=False):
                result[i] = text
        else:
            for i in bulk:
                result[i] = demangle(names[i])
        return result

    return finish


def demangle_many(names: Sequence[str]) -> list[str | None]:
    """``demangle`` over many names at once (see ``demangle_many_started``)."""
    return demangle_many_started(names)()
