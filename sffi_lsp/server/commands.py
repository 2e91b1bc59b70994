"""workspace/executeCommand: regenerate a wrapper, build a crate, register a library, re-index.

Each runs with work-done progress (cancellable where a process runs), streams the
process output to ``window/logMessage``, then re-indexes what changed and refreshes
the diagnostics.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

from sffi_lsp.backends.cache import workspace_cache_dir
from sffi_lsp.backends.process import KeyBusy, busy_keys
from sffi_lsp.server import convert, diagnostics, indexing, watchers
from sffi_lsp.server.client import Progress, log, show

if TYPE_CHECKING:
    from sffi_lsp.server.app import SffiServer

REGENERATE = "sffi.regenerateWrapper"
BUILD = "sffi.buildLibrary"
REGISTER = "sffi.registerLibrary"
REINDEX = "sffi.reindex"
ALL = [REGENERATE, BUILD, REGISTER, REINDEX]


def _argument(args: tuple[Any, ...], key: str) -> Path | None:
    """``{key: uri-or-path}`` (or a bare string) as the first argument."""
    if not args:
        return None
    first = args[0]
    value = first.get(key) if isinstance(first, dict) else first
    return convert.path_or_uri(value)


def _fail(ls: SffiServer, message: str) -> dict[str, Any]:
    show(ls, message, lsp.MessageType.Error)
    return {"ok": False, "message": message}


def _output(ls: SffiServer, prefix: str):
    def on_output(stream: str, line: str) -> None:
        log(ls, f"[{prefix}] {line}", lsp.MessageType.Log)
    return on_output


def _after(ls: SffiServer, changed: list[Path]) -> None:
    """Re-index files a command wrote and refresh every project's diagnostics."""
    watchers.apply_changes(ls, changed)
    diagnostics.refresh_all(ls)


async def regenerate_wrapper(ls: SffiServer, *args: Any) -> dict[str, Any]:
    from sffi_lsp.backends.generated_state import plan_regeneration, run_regeneration
    from sffi_lsp.backends.generator import GeneratorNotFound

    spec = _argument(args, "spec")
    if spec is None or not spec.is_file():
        return _fail(ls, f"{REGENERATE}: no such .wrapper_spec: {args[0] if args else '(none)'}")
    project = ls.state.project_for(spec)
    if project is None:
        return _fail(ls, f"{REGENERATE}: {spec} is in no indexed workspace")
    try:
        plan = plan_regeneration(project.root, spec, project.settings)
    except GeneratorNotFound as exc:
        return _fail(ls, f"cannot regenerate {spec.name}: {exc}")

    async def confirm(files: list[Path]) -> bool:
        names = ", ".join(project.relative(f) for f in files)
        backups = workspace_cache_dir(project.root, project.settings) / "backups"
        answer = await ls.window_show_message_request_async(lsp.ShowMessageRequestParams(
            type=lsp.MessageType.Warning,
            message=f"Regenerating {spec.name} overwrites hand edits in {names}. "
                    f"They will be backed up to {backups}.",
            actions=[lsp.MessageActionItem(title="Regenerate"), lsp.MessageActionItem(title="Cancel")],
        ))
        return answer is not None and answer.title == "Regenerate"

    progress = Progress(ls, f"Regenerating {spec.name}", cancellable=True)
    cancel = asyncio.Event()
    progress.on_cancel.append(cancel.set)
    await progress.begin(" ".join(plan.argv))
    try:
        result = await run_regeneration(plan, confirm, on_output=_output(ls, "generator"),
                                        on_progress=progress.report, cancel=cancel)
    finally:
        progress.end()
    if cancel.is_set():
        show(ls, f"regeneration of {spec.name} cancelled", lsp.MessageType.Warning)
    elif result.ok or result.declined:
        show(ls, result.message, lsp.MessageType.Info)
    else:
        show(ls, f"regeneration of {spec.name} failed: {result.message}", lsp.MessageType.Error)
    _after(ls, list(plan.outputs))
    return {"ok": result.ok, "message": result.message,
            "changed": [str(p) for p in result.changed_files],
            "backup": str(result.backup_dir) if result.backup_dir else None}


async def build_library(ls: SffiServer, *args: Any) -> dict[str, Any]:
    from sffi_lsp.backends.cargo import build_crate

    crate = _argument(args, "crate")
    if crate is not None and crate.name == "Cargo.toml":
        crate = crate.parent
    if crate is None or not (crate / "Cargo.toml").is_file():
        return _fail(ls, f"{BUILD}: no Cargo.toml in {crate}")
    project = ls.state.project_for(crate)
    if project is None:
        return _fail(ls, f"{BUILD}: {crate} is in no indexed workspace")
    if f"cargo:{crate.resolve()}" in busy_keys():
        return _fail(ls, f"a build of {project.relative(crate)} is already running")
    progress = Progress(ls, f"Building {crate.name}", cancellable=True)
    cancel = asyncio.Event()
    progress.on_cancel.append(cancel.set)
    await progress.begin("cargo build")
    try:
        result = await build_crate(crate, project.settings, project.root, on_output=_output(ls, "cargo"),
                                   on_progress=progress.report, cancel=cancel)
    except KeyBusy:
        return _fail(ls, f"a build of {project.relative(crate)} is already running")
    finally:
        progress.end()
    for finding in result.findings:
        log(ls, f"{finding.path}:{finding.span.start.line + 1}: {finding.code}: {finding.message}",
            lsp.MessageType.Warning)
    if result.cancelled:
        show(ls, f"build of {project.relative(crate)} cancelled; the cargo process was stopped",
             lsp.MessageType.Warning)
    elif result.ok:
        show(ls, f"{project.relative(crate)}: {result.message}", lsp.MessageType.Info)
    else:
        show(ls, f"{project.relative(crate)}: {result.message}", lsp.MessageType.Error)
    _after(ls, list(result.artifacts))
    return {"ok": result.ok, "message": result.message, "cancelled": result.cancelled,
            "artifacts": [str(p) for p in result.artifacts]}


def _library_name(library: Path) -> str:
    """``bitset`` for ``libsimple_bitset_ffi.so``."""
    stem = library.name.split(".so")[0].split(".")[0]
    for prefix in ("lib", "simple_", "spl_"):
        stem = stem.removeprefix(prefix)
    return stem.removesuffix("_ffi") or stem


async def register_library(ls: SffiServer, *args: Any) -> dict[str, Any]:
    from sffi_lsp.backends.register import default_manifest_path, install_satellite, register_in_manifest
    from sffi_lsp.index.natives import read_library_report

    library = _argument(args, "library")
    options = args[0] if args and isinstance(args[0], dict) else {}
    if library is None or not library.is_file():
        return _fail(ls, f"{REGISTER}: no such library: {library}")
    project = ls.state.project_for(library)
    if project is None:
        return _fail(ls, f"{REGISTER}: {library} is in no indexed workspace")
    report = read_library_report(library)
    if report.info is None:
        return _fail(ls, f"{REGISTER}: cannot read {library}")
    functions = sorted({s.name for s in report.info.symbols if project.settings.extern_prefixes
                        and s.name.startswith(tuple(project.settings.extern_prefixes))})
    mode = options.get("mode") or "manifest"
    try:
        if mode == "satellite":
            prefix = options.get("prefix") or _library_name(library)
            result = install_satellite(library, str(prefix), project.root / "build")
        else:
            manifest = default_manifest_path(project.settings, project.root)
            result = register_in_manifest(manifest, _library_name(library), library, functions)
    except OSError as exc:
        return _fail(ls, f"{REGISTER}: {exc}")
    show(ls, result.message, lsp.MessageType.Info)
    _after(ls, [result.path])
    return {"ok": True, "message": result.message, "path": str(result.path), "changed": result.changed}


async def reindex(ls: SffiServer, *args: Any) -> dict[str, Any]:
    await indexing.index_folders(ls, list(ls.state.folders))
    diagnostics.refresh_all(ls)
    return {"ok": True, "message": f"re-indexed {len(ls.state.projects)} folder(s)"}
