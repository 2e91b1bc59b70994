"""Small workspaces for rule tests: text files, and C libraries compiled with cc."""

from __future__ import annotations

import subprocess
from pathlib import Path

from sffi_lsp.checks.context import CheckContext
from sffi_lsp.checks.registry import run_checks
from sffi_lsp.fixes import apply_edits
from sffi_lsp.model import Finding, Fix
from sffi_lsp.workspace.project import Project


def make_workspace(root: Path, files: dict[str, str], libs: dict[str, str] | None = None) -> Path:
    """Write ``files`` under ``root`` and compile each C source in ``libs`` into that library path."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "sffi-lsp.toml").touch()  # marks the workspace root
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for rel, source in (libs or {}).items():
        build_c_library(root / rel, source)
    return root


def build_c_library(path: Path, source: str, extra: tuple[str, ...] = ()) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    src = path.with_name(path.name + ".c")
    src.write_text(source)
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(path), str(src), *extra], check=True)
    src.unlink()
    return path


def check(root: Path, select: tuple[str, ...] = ()) -> list[Finding]:
    return run_checks(CheckContext(Project.open(root)), select=select)


def summary(root: Path, findings: list[Finding]) -> list[tuple[str, str, int, int]]:
    """(code, relative path, 1-based line, 1-based column) per finding."""
    return [
        (f.code, f.path.relative_to(root).as_posix(), f.span.start.line + 1, f.span.start.character + 1)
        for f in findings
    ]


def apply_fix(fix: Fix) -> None:
    """Apply a fix's edits and file creations to disk, as the CLI or the editor would."""
    by_path: dict[Path, list] = {}
    for edit in fix.edits:
        by_path.setdefault(edit.path, []).append(edit)
    for path, edits in by_path.items():
        path.write_bytes(apply_edits(path.read_bytes(), edits))
    for create in fix.creates:
        create.path.parent.mkdir(parents=True, exist_ok=True)
        create.path.write_text(create.content)
