"""Shared fixtures: an isolated home and cache, and the demo workspace built once."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "examples" / "demo"
DEMO_CRATE = Path(".build/rust/ffi_bitset")


def pytest_configure(config: pytest.Config) -> None:
    # Nothing a test runs may read or write the real home: manifests, caches, settings.
    # cargo and rustup find their toolchains through HOME unless told otherwise.
    real_home = Path.home()
    os.environ.setdefault("CARGO_HOME", str(real_home / ".cargo"))
    os.environ.setdefault("RUSTUP_HOME", str(real_home / ".rustup"))
    home = Path(tempfile.mkdtemp(prefix="sffi-test-home-"))
    os.environ["HOME"] = str(home)
    os.environ["XDG_CACHE_HOME"] = str(home / ".cache")
    os.environ.pop("SIMPLE_PLUGIN_MANIFEST", None)


def copy_demo(dest: Path) -> Path:
    target = dest / "demo"
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns("target"))
    return target


@pytest.fixture(scope="session")
def built_demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace copied once and its Tier 1 crate built (cargo, release)."""
    root = copy_demo(tmp_path_factory.mktemp("demo-built"))
    env = {k: v for k, v in os.environ.items() if k != "CARGO_TARGET_DIR"}
    subprocess.run(
        ["cargo", "build", "--release", "--offline", "--quiet"],
        cwd=root / DEMO_CRATE, env=env, check=True,
    )
    return root


@pytest.fixture
def built_demo(built_demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the built demo workspace (tests may edit it)."""
    target = tmp_path / "demo"
    shutil.copytree(built_demo_template, target, symlinks=True)
    return target
