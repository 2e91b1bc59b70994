"""The extern census: one row per extern name with its declarations, call sites, lanes,
providers, class and signature drift (``sffi-lsp census``), built on the lane resolution
(``sffi_lsp.resolution``) and the declaration index ``check`` reads."""

from sffi_lsp.census.build import build_census, undeclared_exports
from sffi_lsp.census.model import CLASS_ORDER, LANE_ORDER, STATE_ORDER, Census, CensusClass, CensusRow, LaneCell

__all__ = ["CLASS_ORDER", "LANE_ORDER", "STATE_ORDER", "Census", "CensusClass", "CensusRow", "LaneCell",
           "build_census", "undeclared_exports"]
