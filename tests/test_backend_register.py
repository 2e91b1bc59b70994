"""Registering a built library: manifest entries and satellite copies, never losing a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from sffi_lsp.backends.register import (
    default_manifest_path,
    install_satellite,
    register_in_manifest,
)
from sffi_lsp.workspace.settings import Settings


def test_manifest_entry_added_then_updated_with_backup(tmp_path: Path) -> None:
    manifest = tmp_path / "plugins" / "manifest.sdn"
    lib = tmp_path / "libsimple_demo.so"
    lib.write_bytes(b"\x7fELF")
    first = register_in_manifest(manifest, "demo", lib, ["rt_demo_available", "rt_demo_version"])
    assert first.changed and first.backup is None and first.path == manifest
    assert manifest.read_text() == (
        "plugins:\n"
        "    -\n"
        "        name: demo\n"
        f"        library: {lib.resolve()}\n"
        "        functions: [rt_demo_available, rt_demo_version]\n"
    )
    assert "added entry 'demo'" in first.message
    again = register_in_manifest(manifest, "demo", lib, ["rt_demo_available", "rt_demo_version"])
    assert not again.changed and again.backup is None
    before = manifest.read_text()
    updated = register_in_manifest(manifest, "demo", lib, ["rt_demo_available"])
    assert updated.changed and "updated entry 'demo'" in updated.message
    assert updated.backup is not None and updated.backup.read_text() == before
    assert "functions: [rt_demo_available]\n" in manifest.read_text()


def test_satellite_install_keeps_a_different_previous_file(tmp_path: Path) -> None:
    built = tmp_path / "target" / "libsimple_torch.so"
    built.parent.mkdir()
    built.write_bytes(b"new library")
    dest = tmp_path / "build"
    first = install_satellite(built, "torch", dest)
    assert first.path == dest / "libspl_torch.so" and first.changed and first.backup is None
    same = install_satellite(built, "torch", dest)
    assert not same.changed and same.backup is None
    built.write_bytes(b"newer library")
    replaced = install_satellite(built, "torch", dest)
    assert replaced.changed
    assert replaced.backup is not None and replaced.backup.read_bytes() == b"new library"
    assert (dest / "libspl_torch.so").read_bytes() == b"newer library"


def test_default_manifest_path_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIMPLE_PLUGIN_MANIFEST", str(tmp_path / "env.sdn"))
    assert default_manifest_path(Settings(plugin_manifest="m.sdn"), tmp_path) == tmp_path / "m.sdn"
    assert default_manifest_path(Settings(), tmp_path) == tmp_path / "env.sdn"
    monkeypatch.delenv("SIMPLE_PLUGIN_MANIFEST")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_manifest_path(Settings()) == tmp_path / ".simple" / "plugins" / "manifest.sdn"


def test_never_an_empty_functions_list(tmp_path: Path) -> None:
    lib = tmp_path / "libx.so"
    lib.write_bytes(b"\x7fELF")
    manifest = tmp_path / "manifest.sdn"
    result = register_in_manifest(manifest, "x", lib, [])
    assert (result.changed, result.message) == (False, "not registering libx.so: it exports no function to list")
    assert not manifest.exists()
