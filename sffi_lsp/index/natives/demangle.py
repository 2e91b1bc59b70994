"""Display names for mangled symbols: Rust legacy (``_ZN..17h<hash>E``) and v0 (``_R..``)
through ``rust-demangler``, Itanium C++ through the C++ runtime's ``__cxa_demangle``.

Demangling is slow next to reading a symbol table, so it is done only for names that
are shown, and remembered.
"""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from functools import cache, lru_cache

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


ARGUMENT_BYTES = 256 * 1024  # names per c++filt run, well under ARG_MAX with the environment


class _CxxFilt:
    """One ``c++filt`` run over many names, fed and drained by a thread so the caller
    can work meanwhile; ``result()`` waits for it (None: no ``c++filt``, or it failed)."""

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
        chunks: list[list[str]] = [[]]
        size = 0
        for name in self.names:
            if size + len(name) + 1 > ARGUMENT_BYTES and chunks[-1]:
                chunks.append([])
                size = 0
            chunks[-1].append(name)
            size += len(name) + 1
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
    bulk: list[int] = []
    rest: list[int] = []
    for i, name in enumerate(names):
        if name.startswith(("_Z", "__Z")) and not ("17h" in name and _RUST_LEGACY.match(name)):
            bulk.append(i)
        elif name.startswith(("_R", "__R", "_Z", "__Z")):
            rest.append(i)
    itanium = [names[i][1:] if names[i].startswith("__Z") else names[i] for i in bulk]
    filts = [_CxxFilt(itanium)] if len(bulk) >= 64 else []

    def finish() -> list[str | None]:
        result: list[str | None] = [None] * len(names)
        for i in rest:
            result[i] = demangle(names[i])
        parts = [f.result() for f in filts]
        filtered = None if not parts or any(p is None for p in parts) else [d for p in parts for d in p or ()]
        for n, i in enumerate(bulk):
            result[i] = filtered[n] if filtered is not None else demangle(names[i])
        return result

    return finish


def demangle_many(names: Sequence[str]) -> list[str | None]:
    """``demangle`` over many names at once (see ``demangle_many_started``)."""
    return demangle_many_started(names)()
