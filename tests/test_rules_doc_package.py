"""The rules documentation ships in the package, so a diagnostic's ``codeDescription`` link
works from an installed sffi-lsp (not only from a source checkout)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_build_copies_docs_rules_md_into_the_package_and_links_point_there(tmp_path: Path):
    build = tmp_path / "build"
    subprocess.run([sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(build)],
                   cwd=REPO, check=True, capture_output=True)
    shipped = build / "sffi_lsp" / "docs" / "rules.md"
    assert shipped.read_bytes() == (REPO / "docs" / "rules.md").read_bytes()
    probe = subprocess.run(
        [sys.executable, "-c", "from sffi_lsp.server.convert import code_description as d; print(d('SFFI004').href)"],
        cwd=tmp_path, env={"PYTHONPATH": str(build), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == f"{shipped.as_uri()}#sffi004-extern-type"


def test_the_source_distribution_includes_the_rules_doc():
    assert "include docs/rules.md" in (REPO / "MANIFEST.in").read_text().splitlines()
