"""Fixes never create findings (issue 14): every fix applied, then the check again."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.fixes import apply_edits
from sffi_lsp.ide.rename import rename_edits
from sffi_lsp.model import Position
from sffi_lsp.workspace.project import Project


def sffi(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cwd / ".cache")}
    env.pop("NO_COLOR", None)
    return subprocess.run([sys.executable, "-m", "sffi_lsp", *args], cwd=cwd, capture_output=True, text=True,
                          env=env)


def _findings(root: Path) -> Counter[tuple[str, str]]:
    """(code, the first `name` of the message) of every finding."""
    out = sffi("check", ".", cwd=root).stdout
    found: Counter[tuple[str, str]] = Counter()
    for line in out.splitlines():
        m = re.match(r"\S+:\d+:\d+: \w+ (SFFI\d+)(?: \[\*\])? [^`]*`([^`]+)`", line)
        if m:
            found[(m[1], m[2])] += 1
    return found


def test_applying_every_fix_then_its_rebuild_creates_no_finding(built_demo: Path) -> None:
    before = _findings(built_demo)
    assert sum(before.values()) == 8
    fixed = sffi("check", ".", "--fix", "--unsafe-fixes", cwd=built_demo)
    assert fixed.stdout.splitlines()[-1] == "Applied 4 fixes."
    # The renames touched the Tier 1 source: the fix the check then offers is the rebuild.
    rebuilt = sffi("build", ".build/rust/ffi_bitset", cwd=built_demo)
    assert rebuilt.returncode == 0, rebuilt.stderr
    after = _findings(built_demo)
    assert after - before == Counter()
    assert sum(after.values()) < sum(before.values())
    manifest = (built_demo / "plugins/manifest.sdn").read_text()
    assert "rt_bitset_popcount]" in manifest and "bitset_popcount]" not in manifest.replace("rt_bitset_popcount", "")


def test_the_lsp_rename_updates_the_manifest_functions_list(built_demo: Path) -> None:
    project = Project.open(built_demo)
    ctx = CheckContext(project)
    legacy = built_demo / "src/app/legacy_ffi.spl"
    line = next(i for i, text in enumerate(legacy.read_text().splitlines()) if "fn rt_bitset_clear(" in text)
    edits = rename_edits(ctx, legacy, Position(line, 12), "rt_bitset_wipe")
    manifest = built_demo / "plugins/manifest.sdn"
    on_manifest = [e for e in edits if e.path == manifest]
    assert len(on_manifest) == 1
    new = apply_edits(manifest.read_bytes(), on_manifest).decode()
    assert ", rt_bitset_wipe, rt_bitset_resize," in new and "rt_bitset_clear" not in new
