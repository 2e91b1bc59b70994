"""Near misses: the exported name an unresolved extern most likely meant.

The generator's known slips come first (``simple_`` instead of ``rt_``, a doubled or
missing library qualifier, a handle name without its library prefix), then a
different case, then an edit distance of one or two.
"""

from __future__ import annotations

import re
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


def _pieces(name: str, count: int) -> list[str]:
    """``name`` cut into ``count`` consecutive pieces (the empty string when it is shorter)."""
    if len(name) < count:
        return [""]
    step = len(name) / count
    return [name[round(i * step): round((i + 1) * step)] for i in range(count)]


def _char_masks(pattern: str) -> dict[str, int]:
    masks: dict[str, int] = {}
    for i, char in enumerate(pattern):
        masks[char] = masks.get(char, 0) | (1 << i)
    return masks


def _distance(masks: dict[str, int], length: int, text: str) -> int:
    """Levenshtein distance of the pattern (given by its ``_char_masks`` and length) and
    ``text``: Myers' bit-vector algorithm in Hyyrö's form, one column per character."""
    if length == 0:
        return len(text)
    full = (1 << length) - 1
    high = 1 << (length - 1)
    pv, mv, score = full, 0, length
    for char in text:
        eq = masks.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
    return score


class NearMissFinder:
    """Finds near misses among a fixed set of exported names."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = set(names)
        self.by_lower: dict[str, list[str]] = defaultdict(list)
        self.by_length: dict[int, list[str]] = defaultdict(list)
        self._found: dict[str, tuple[str, str] | None] = {}
        for name in self.names:
            self.by_lower[name.lower()].append(name)
            self.by_length[len(name)].append(name)

    def find(self, name: str) -> tuple[str, str] | None:
        """The best candidate and why it was chosen, or None (remembered per name)."""
        if name not in self._found:
            self._found[name] = self._find(name)
        return self._found[name]

    def _find(self, name: str) -> tuple[str, str] | None:
        for variant in generator_variants(name):
            if variant in self.names and variant != name:
                simple_twin = variant.startswith("simple_") or name.startswith("simple_")
                reason = "simple_ prefix" if simple_twin else "generator qualification"
                return variant, reason
        for candidate in sorted(self.by_lower.get(name.lower(), ())):
            if candidate != name:
                return candidate, "different case"
        prefix = name.split("_", 1)[:1]
        # Pigeonhole filter (exact): within 2 edits, one of 3 pieces of the name survives
        # verbatim in the candidate (a substring test at C speed); then a bit-parallel
        # distance for the few left.
        pieces = re.compile("|".join(re.escape(piece) for piece in _pieces(name, 3)))
        masks = _char_masks(name)
        found: dict[int, list[str]] = {1: [], 2: []}
        for length in range(len(name) - 2, len(name) + 3):
            for candidate in self.by_length.get(length, ()):
                if candidate == name or pieces.search(candidate) is None:
                    continue
                if candidate.split("_", 1)[:1] != prefix:
                    continue
                distance = _distance(masks, len(name), candidate)
                if distance <= 2:
                    found[max(1, distance)].append(candidate)
        for limit in (1, 2):
            if found[limit]:
                return sorted(found[limit])[0], f"edit distance {limit}"
        return None
