"""Near misses: the exported name an unresolved extern most likely meant.

The generator's known slips come first (``simple_`` instead of ``rt_``, a doubled or
missing library qualifier, a handle name without its library prefix), then a
different case, then an edit distance of one or two.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable


def generator_variants(name: str) -> list[str]:
    """Names the generator could have emitted for ``name`` (or the other way round)."""
    variants: list[str] = []
    if name.startswith("rt_"):
        variants.append("simple_" + name[3:])
    elif name.startswith("simple_"):
        variants.append("rt_" + name[7:])
    parts = name.split("_")
    if len(parts) >= 3 and parts[0] == "rt":
        lib = parts[1]
        rest = parts[2:]
        # rt_<lib>_<lib>_<fn>  <->  rt_<lib>_<fn>
        if rest[0] == lib and len(rest) > 1:
            variants.append("_".join(["rt", lib, *rest[1:]]))
        else:
            variants.append("_".join(["rt", lib, lib, *rest]))
        # rt_<lib>_<handle>_<method>: the handle lowercased with or without the lib prefix
        if len(rest) >= 2:
            head = rest[0]
            if head.startswith(lib) and len(head) > len(lib):
                variants.append("_".join(["rt", lib, head[len(lib):], *rest[1:]]))
            else:
                variants.append("_".join(["rt", lib, lib + head, *rest[1:]]))
    return variants


def _within_distance(a: str, b: str, limit: int) -> bool:
    """Levenshtein distance of ``a`` and ``b`` is at most ``limit`` (banded DP)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        lo, hi = max(1, i - limit), min(len(b), i + limit)
        if lo > 1:
            current[lo - 1] = limit + 1
        for j in range(lo, hi + 1):
            cost = 0 if ca == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if hi < len(b):
            for j in range(hi + 1, len(b) + 1):
                current[j] = limit + 1
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


class NearMissFinder:
    """Finds near misses among a fixed set of exported names."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = set(names)
        self.by_lower: dict[str, list[str]] = defaultdict(list)
        self.by_length: dict[int, list[str]] = defaultdict(list)
        for name in self.names:
            self.by_lower[name.lower()].append(name)
            self.by_length[len(name)].append(name)

    def find(self, name: str) -> tuple[str, str] | None:
        """The best candidate and why it was chosen, or None."""
        for variant in generator_variants(name):
            if variant in self.names and variant != name:
                simple_twin = variant.startswith("simple_") or name.startswith("simple_")
                reason = "simple_ prefix" if simple_twin else "generator qualification"
                return variant, reason
        for candidate in sorted(self.by_lower.get(name.lower(), ())):
            if candidate != name:
                return candidate, "different case"
        prefix = name.split("_", 1)[:1]
        for limit in (1, 2):
            matches = []
            for length in range(len(name) - limit, len(name) + limit + 1):
                for candidate in self.by_length.get(length, ()):
                    if candidate == name or candidate.split("_", 1)[:1] != prefix:
                        continue
                    if _within_distance(name, candidate, limit):
                        matches.append(candidate)
            if matches:
                return sorted(matches)[0], f"edit distance {limit}"
        return None
