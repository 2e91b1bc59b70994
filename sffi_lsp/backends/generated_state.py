"""Nothing lost on regeneration: what the generator wrote, what was edited since, backups.

The generator silently overwrites its outputs (there is no "do not edit" marker). We
record the sha256 of every output after each run (``generated.json`` in the workspace
cache); before the next run, an output whose content differs from the record, or an
existing output never recorded, counts as edited: the caller asks the user, and edited
files are copied into a timestamped backup before anything runs.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from sffi_lsp.backends.cache import file_sha256, read_json, workspace_cache_dir, write_json_atomic
from sffi_lsp.backends.generator import generator_argv, run_generator
from sffi_lsp.backends.process import OutputCallback, ProcessResult, ProgressCallback
from sffi_lsp.spec.abi import generated_outputs
from sffi_lsp.spec.parser import parse_wrapper_spec
from sffi_lsp.text import read_text
from sffi_lsp.workspace.settings import Settings

STATE_FILE = "generated.json"


def state_path(workspace: Path, settings: Settings) -> Path:
    return workspace_cache_dir(workspace, settings) / STATE_FILE


def _key(workspace: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(workspace.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def recorded_hashes(workspace: Path, settings: Settings) -> dict[str, str]:
    """Output path (relative to the workspace) -> sha256 as last written by the generator."""
    files = read_json(state_path(workspace, settings)).get("files", {})
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def record_outputs(
    workspace: Path, settings: Settings, spec_path: Path, outputs: list[Path]
) -> None:
    """Record the current hashes of ``outputs`` (missing files are forgotten)."""
    path = state_path(workspace, settings)
    data = read_json(path)
    files = data.get("files") if isinstance(data.get("files"), dict) else {}
    specs = data.get("specs") if isinstance(data.get("specs"), dict) else {}
    assert isinstance(files, dict) and isinstance(specs, dict)
    for output in outputs:
        digest = file_sha256(output)
        if digest is None:
            files.pop(_key(workspace, output), None)
        else:
            files[_key(workspace, output)] = digest
    specs[_key(workspace, spec_path)] = {
        "outputs": [_key(workspace, o) for o in outputs],
        "time": time.time(),
    }
    write_json_atomic(path, {"version": 1, "files": files, "specs": specs})


def edited_outputs(workspace: Path, settings: Settings, outputs: list[Path]) -> list[Path]:
    """Outputs a regeneration would overwrite that differ from what the generator wrote."""
    recorded = recorded_hashes(workspace, settings)
    edited = []
    for output in outputs:
        digest = file_sha256(output)
        if digest is None:
            continue  # nothing to lose
        if recorded.get(_key(workspace, output)) != digest:
            edited.append(output)
    return edited


def backup(workspace: Path, settings: Settings, files: list[Path]) -> Path:
    """Copy ``files`` into a new timestamped directory beside the cache; returns it.

    Relative paths under the workspace are kept; files outside it keep their absolute
    path below the backup directory.
    """
    stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{time.time_ns() % 1_000_000_000:09d}"
    root = workspace_cache_dir(workspace, settings) / "backups" / stamp
    root.mkdir(parents=True, exist_ok=False)
    for file in files:
        rel = Path(_key(workspace, file))
        if rel.is_absolute():
            rel = rel.relative_to(rel.anchor)
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, target)
    return root


@dataclass(frozen=True)
class RegenerationPlan:
    workspace: Path
    spec_path: Path
    settings: Settings
    argv: list[str]
    outputs: list[Path]  # every file the generator may write for this spec (absolute)
    edited_outputs: list[Path]  # outputs that would lose hand edits


@dataclass
class RegenerationResult:
    ok: bool
    backup_dir: Path | None
    changed_files: list[Path]
    message: str
    process: ProcessResult | None = None
    declined: bool = False


def plan_regeneration(workspace: Path, spec_path: Path, settings: Settings) -> RegenerationPlan:
    """What a regeneration of ``spec_path`` runs and overwrites.

    Raises ``GeneratorNotFound`` when the generator cannot be found.
    """
    spec_path = spec_path if spec_path.is_absolute() else workspace / spec_path
    try:
        spec, _ = parse_wrapper_spec(read_text(spec_path))
    except OSError:
        spec = None
    outputs = [workspace / rel for _, rel in generated_outputs(spec)] if spec and spec.name else []
    argv = generator_argv(settings, workspace, spec_path)
    return RegenerationPlan(
        workspace, spec_path, settings, argv, outputs, edited_outputs(workspace, settings, outputs)
    )


async def run_regeneration(
    plan: RegenerationPlan,
    confirm: Callable[[list[Path]], Awaitable[bool]],
    on_output: OutputCallback | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: asyncio.Event | None = None,
) -> RegenerationResult:
    """Run the planned regeneration, asking ``confirm`` first when hand edits would be lost.

    Declined: nothing is backed up, run or recorded. Accepted: the edited files are
    backed up, the generator runs, and the outputs' new hashes are recorded.
    """
    ws, settings = plan.workspace, plan.settings
    # Re-check: files may have been edited since the plan was made.
    edited = edited_outputs(ws, settings, plan.outputs)
    backup_dir = None
    if edited:
        if not await confirm(edited):
            return RegenerationResult(
                False, None, [], "regeneration declined: hand-edited files kept", declined=True
            )
        backup_dir = backup(ws, settings, edited)
        if on_progress is not None:
            on_progress(f"backed up {len(edited)} edited file(s) to {backup_dir}")
    before = {o: file_sha256(o) for o in plan.outputs}
    result = await run_generator(
        plan.argv, ws, on_output=on_output, on_progress=on_progress, cancel=cancel
    )
    changed = [o for o in plan.outputs if file_sha256(o) != before[o]]
    if result.cancelled:
        return RegenerationResult(False, backup_dir, changed, "generator cancelled", result)
    if not result.ok:
        reason = result.error or f"generator exited with {result.returncode}"
        tail = "\n".join(result.stderr[-5:])
        return RegenerationResult(
            False, backup_dir, changed, reason + (f":\n{tail}" if tail else ""), result
        )
    record_outputs(ws, settings, plan.spec_path, plan.outputs)
    message = f"regenerated {len(changed)} file(s)"
    if backup_dir is not None:
        message += f"; edited files backed up to {backup_dir}"
    return RegenerationResult(True, backup_dir, changed, message, result)
