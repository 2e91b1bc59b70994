"""``sffi-lsp regenerate | build | register`` end to end, with the fixture generator and cargo."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from backend_fixtures import FAKE_GENERATOR, FIXTURE_SPEC


def sffi(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sffi_lsp", *args], cwd=cwd, capture_output=True, text=True, input=stdin
    )


def generator_workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    shutil.copy(FIXTURE_SPEC, root / "demo.wrapper_spec")
    (root / "sffi-lsp.toml").write_text(
        "[generator]\ncommand = " + json.dumps([sys.executable, str(FAKE_GENERATOR), "${spec}", "--root", "${workspaceFolder}"]) + "\n"
    )
    return root


def test_regenerate_writes_the_tiers_and_protects_hand_edits(tmp_path: Path) -> None:
    root = generator_workspace(tmp_path)
    first = sffi("regenerate", "demo.wrapper_spec", cwd=root)
    assert first.returncode == 0, first.stderr
    written = sorted(first.stdout.split())
    assert "src/lib/demo/ffi.spl" in written and "src/lib/demo/mod.spl" in written
    tier2 = root / "src/lib/demo/ffi.spl"
    tier2.write_text(tier2.read_text() + "# hand edit\n")

    declined = sffi("regenerate", "demo.wrapper_spec", cwd=root, stdin="")
    assert declined.returncode == 1
    assert "edited by hand and would be overwritten: src/lib/demo/ffi.spl" in declined.stderr
    assert tier2.read_text().endswith("# hand edit\n")

    accepted = sffi("regenerate", "demo.wrapper_spec", "--yes", cwd=root)
    assert accepted.returncode == 0, accepted.stderr
    assert not tier2.read_text().endswith("# hand edit\n")
    backup_dir = Path(accepted.stderr.split("edited files backed up to ")[1].split()[0])
    assert (backup_dir / "src/lib/demo/ffi.spl").read_text().endswith("# hand edit\n")
    # A clean check afterwards: the generated Tier 2 matches its spec.
    assert "SFFI010" not in sffi("check", ".", cwd=root).stdout


def test_regenerate_without_a_generator_says_what_to_set(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    shutil.copy(FIXTURE_SPEC, root / "demo.wrapper_spec")
    (root / "sffi-lsp.toml").write_text('[generator]\ncommand = ["no-such-generator-xyz", "${spec}"]\n')
    result = sffi("regenerate", "demo.wrapper_spec", cwd=root)
    assert result.returncode == 2
    assert "no-such-generator-xyz" in result.stderr and "generator" in result.stderr


def test_build_then_register_clears_the_demo_loading_errors(built_demo_template: Path, tmp_path: Path) -> None:
    root = tmp_path / "demo"
    shutil.copytree(built_demo_template, root, symlinks=True, ignore=shutil.ignore_patterns("target"))
    (root / "sffi-lsp.toml").write_text("")  # no manifest configured: nothing loads the library yet
    before = sffi("check", ".", "--select", "SFFI001,SFFI007", cwd=root)
    assert "build needed" in before.stdout

    built = sffi("build", ".build/rust/ffi_bitset", cwd=root)
    assert built.returncode == 0, built.stderr
    assert built.stdout.strip() == ".build/rust/ffi_bitset/target/release/libsimple_bitset_ffi.so"
    after_build = sffi("check", ".", "--select", "SFFI001,SFFI007", cwd=root)
    assert "build needed" not in after_build.stdout
    assert "SFFI007" in after_build.stdout  # built, but the runtime would not load it

    manifest = tmp_path / "manifest.sdn"
    registered = sffi("register", ".build/rust/ffi_bitset/target/release/libsimple_bitset_ffi.so",
                      "--manifest", str(manifest), cwd=root)
    assert registered.returncode == 0, registered.stderr
    text = manifest.read_text()
    assert text.startswith("plugins:\n    -\n        name: bitset\n")
    assert "rt_bitset_new" in text and "simple_bitset_flip" not in text  # only what Simple declares
    (root / "sffi-lsp.toml").write_text(f'plugin-manifest = "{manifest}"\n')
    final = sffi("check", ".", "--select", "SFFI001,SFFI007", cwd=root)
    assert final.stdout.count("SFFI007") == 0


def test_build_reports_compiler_errors_on_their_line(tmp_path: Path) -> None:
    crate = tmp_path / "ws" / ".build/rust/ffi_bad"
    (crate / "src").mkdir(parents=True)
    (tmp_path / "ws" / "sffi-lsp.toml").write_text("")
    (crate / "Cargo.toml").write_text('[package]\nname = "bad"\nversion = "0.1.0"\nedition = "2021"\n'
                                     '[lib]\ncrate-type = ["cdylib"]\n[workspace]\n')
    (crate / "src/lib.rs").write_text('#[no_mangle]\npub extern "C" fn rt_bad_f() -> i64 {\n    "text"\n}\n')
    result = sffi("build", ".build/rust/ffi_bad", cwd=tmp_path / "ws")
    assert result.returncode == 1
    assert result.stdout.startswith(".build/rust/ffi_bad/src/lib.rs:3:5: E0308 ")
