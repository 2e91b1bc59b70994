"""What the census says about one extern name, and about a workspace (plain data)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from sffi_lsp.resolution import Lane, LaneState, Provider


class CensusClass(str, enum.Enum):
    """One class per name; the first that applies, in this order, wins."""

    SHADOWED = "shadowed"  # a Simple fn of the same name exists: the extern is never reached
    DEAD = "dead"  # declared, never called
    UNRESOLVED = "unresolved"  # no judged lane resolves it
    CAPABILITY_GAP = "capability-gap"  # a capability-gap family, no row serves it
    LANE_GAP = "lane-gap"  # resolves in some judged lane, not in another (or only under a feature)
    OK = "ok"  # every judged lane resolves it
    UNDECLARED_EXPORT = "undeclared-export"  # exported with the project's prefix, declared nowhere


CLASS_ORDER = (CensusClass.OK, CensusClass.LANE_GAP, CensusClass.CAPABILITY_GAP, CensusClass.UNRESOLVED,
               CensusClass.DEAD, CensusClass.SHADOWED, CensusClass.UNDECLARED_EXPORT)
LANE_ORDER = (Lane.INTERPRETER, Lane.JIT, Lane.NATIVE)
STATE_ORDER = (LaneState.OK, LaneState.MISSING, LaneState.GAP, LaneState.CAPABILITY_GAP, LaneState.FEATURE_ONLY)


@dataclass(frozen=True, slots=True)
class LaneCell:
    """A judged lane's state for one name (``feature`` for feature-only)."""

    state: LaneState
    feature: str | None = None
    reason: str = ""  # how it resolves, or why it fails (the lane resolution's words)

    def label(self) -> str:
        return f"{self.state.value}({self.feature})" if self.feature else self.state.value


@dataclass(frozen=True, slots=True)
class CensusRow:
    name: str
    census_class: CensusClass
    declarations: int  # extern fn declarations (the index `check` reads)
    calls: int  # call sites (same index)
    lanes: dict[Lane, LaneCell]  # judged lanes only
    providers: tuple[Provider, ...]
    drift: str | None = None  # arity / type disagreement between row, definition and declarations
    drift_kind: str | None = None  # "arity", "type" or "return"


@dataclass
class Census:
    """The census of one workspace root: a row per extern name, by name."""

    root: Path
    judged: tuple[Lane, ...]
    rows: list[CensusRow] = field(default_factory=list)
