"""Moved to ``sffi_lsp.resolution`` (the lane model shared by checks, hover and census);
kept so code written against the old place still imports."""

from sffi_lsp.resolution.loader import (  # noqa: F401
    MAX_DYNAMIC_PARAMS,
    RUNTIME_LIBRARY,
    SATELLITE_PREFIXES,
    Resolution,
    Resolver,
    Route,
    is_marshallable_type,
    satellite_library_name,
    satellite_prefix,
)
