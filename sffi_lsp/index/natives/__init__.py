"""The native symbol index: compiled libraries, Tier 1 sources, runtime tables, manifests."""
