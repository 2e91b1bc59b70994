"""Re-checking only what an edit can change gives exactly the findings of a full run."""

from __future__ import annotations

from pathlib import Path

import pytest

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.incremental import FindingsStore
from sffi_lsp.index.declarations import Document
from sffi_lsp.model import Finding
from sffi_lsp.workspace.project import Project

EDITS = [
    # (file, old text, new text): each applied on top of the previous ones
    ("src/app/legacy_ffi.spl", "extern fn rt_bitset_available() -> bool\nextern fn rt_bitset_available() -> bool\n",
     "extern fn rt_bitset_available() -> bool\n"),                                   # duplicate removed
    ("src/app/legacy_ffi.spl", "extern fn bitset_popcount", "extern fn rt_bitset_popcount"),  # rename
    ("src/lib/bitset/ffi.spl", "extern fn rt_bitset_new(size: i64) -> i64\n", ""),    # a declaration removed
    ("src/app/legacy_ffi.spl", "        rt_bitset_clear(handle)\n",
     "        rt_bitset_clear(handle)\n        rt_bitset_new(3)\n"),                      # a call added
    ("src/lib/bitset/mod.spl", "fn available() -> bool:", "fn rt_bitset_bitvec_reset() -> bool:"),  # ordinary fn
    ("src/lib/bitset/ffi.spl", "extern fn rt_bitset_version() -> text\n",
     "extern fn rt_bitset_version() -> text\nextern fn rt_bitset_union_count(a: i64) -> i64\n"),  # conflicting dup
    ("src/app/legacy_ffi.spl", "extern type BitsetRef\n", "extern type BitsetRef\nextern type Other\n"),
]


def _snapshot(by_path: dict[Path, list[Finding]]) -> dict[Path, list[tuple[str, str, int, int]]]:
    return {
        p: [(f.code, f.message, f.span.start_byte, f.span.end_byte) for f in found]
        for p, found in by_path.items()
    }


@pytest.mark.parametrize("steps", range(1, len(EDITS) + 1))
def test_incremental_run_equals_a_full_run(built_demo: Path, steps: int) -> None:
    project = Project.open(built_demo)
    store = FindingsStore()
    store.run_all(CheckContext(project))
    docs: dict[Path, Document] = {}
    for rel, old, new in EDITS[:steps]:
        path = built_demo / rel
        doc = docs.get(path) or Document(path, path.read_text())
        docs[path] = doc
        assert old in doc.text, rel
        doc.apply_change(doc.text.replace(old, new, 1))
        project.declarations.update(doc.entries())
        store.run_changed(CheckContext(project, text_of=lambda p: docs[p].text if p in docs else None), {path})
        full = FindingsStore()
        full.run_all(CheckContext(project, text_of=lambda p: docs[p].text if p in docs else None))
        assert _snapshot(store.by_path) == _snapshot(full.by_path), f"after {rel}: {old!r} -> {new!r}"


def test_fresh_findings_carry_fixes_against_current_text(built_demo: Path) -> None:
    project = Project.open(built_demo)
    store = FindingsStore()
    store.run_all(CheckContext(project))
    legacy = built_demo / "src/app/legacy_ffi.spl"
    main = built_demo / "src/app/main.spl"
    # A new call of bitset_popcount in main.spl: the cached SFFI002 finding of the unchanged
    # legacy_ffi.spl has a rename fix that does not know it; a fresh one does.
    doc = Document(main, "fn extra() -> i64:\n    bitset_popcount(5)\n" + main.read_text())
    project.declarations.update(doc.entries())
    ctx = CheckContext(project, text_of=lambda p: doc.text if p == main else None)
    store.run_changed(ctx, {main})
    cached = next(f for f in store.of(legacy) if f.code == "SFFI002").fixes[0]
    fresh = next(f for f in store.fresh(ctx, legacy) if f.code == "SFFI002").fixes[0]
    assert ("main.spl", 1) not in {(e.path.name, e.span.start_line) for e in cached.edits}
    assert ("main.spl", 1) in {(e.path.name, e.span.start_line) for e in fresh.edits}
    assert [f.code for f in store.fresh(ctx, legacy)] == [f.code for f in store.of(legacy)]
