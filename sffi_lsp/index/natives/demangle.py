"""Display names for mangled symbols: Rust legacy (``_ZN..17h<hash>E``) and v0 (``_R..``)
through ``rust-demangler``, Itanium C++ through the C++ runtime's ``__cxa_demangle``.

Demangling is slow next to reading a symbol table, so it is done only for names that
are shown, and remembered.
"""

from __future__ import annotations

import ctypes
import re
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
