"""How each extern name resolves in the Simple toolchain, lane by lane (SFFI.md section 4).

The one resolution model, shared by checks, hover, definition and the census:

- ``LaneResolver(project).resolve(name) -> NameResolution``: per judged lane
  (``Lane.INTERPRETER``, ``Lane.JIT``, ``Lane.NATIVE``) a ``LaneVerdict`` whose ``state``
  is ``LaneState.OK / MISSING / GAP / CAPABILITY_GAP / FEATURE_ONLY`` (with ``feature``),
  its ``providers`` (``Provider``: kind, path, span -> ``line``, feature, family), and a
  ``reason`` in words; plus the name's ``providers`` in every lane, the dynamic ``gate``
  verdict, the ``family`` and ``capability_gap`` it falls in, and its ``mangled`` target.
- ``LaneResolver.names()`` / ``resolutions()``: every declared extern name once, cheaply
  (results are cached per resolver; build one resolver per index state).
- ``LaneResolver.judged``: the lanes judged here (tables visible, ``lanes`` setting).
- ``Resolver`` (``loader``): the runtime loader's view of one name (routes through the
  runtime library, manifests and satellites), used by the loading rules.
"""

from sffi_lsp.resolution.lanes import PRELUDE, LaneResolver, provider_of
from sffi_lsp.resolution.loader import (
    MAX_DYNAMIC_PARAMS,
    RUNTIME_LIBRARY,
    Resolution,
    Resolver,
    Route,
    is_marshallable_type,
    satellite_library_name,
    satellite_prefix,
)
from sffi_lsp.resolution.model import (
    GateVerdict,
    Lane,
    LaneState,
    LaneVerdict,
    MangledTarget,
    NameResolution,
    Provider,
    ProviderKind,
)

__all__ = [
    "MAX_DYNAMIC_PARAMS", "PRELUDE", "RUNTIME_LIBRARY", "GateVerdict", "Lane", "LaneResolver", "LaneState",
    "LaneVerdict", "MangledTarget", "NameResolution", "Provider", "ProviderKind", "Resolution", "Resolver",
    "Route", "is_marshallable_type", "provider_of", "satellite_library_name", "satellite_prefix",
]
