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
from sffi_lsp.model import Finding, Severity
from sffi_lsp.server import convert, diagnostics, indexing, watchers
from sffi_lsp.server.client import Progress, capability, log, show
from sffi_lsp.server.state import ServerFindings

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
    """Re-index files a command wrote and refresh every project's diagnostics.

    A file in no workspace folder (a plugin manifest in the home directory) may matter to
    every project: each re-reads it.
    """
    watchers.apply_changes(ls, changed)
    diagnostics.refresh_all(ls)
    if not ls.state.indexing:
        indexing.report_ready(ls)  # a built library may fix what the index could not read


def _publish_build(ls: SffiServer, root: Path, crate: Path, findings: list[Finding]) -> None:
    """The build's compiler messages as diagnostics on their files; the crate's previous
    ones are replaced (a clean build clears them)."""
    store = ls.state.findings.get(root)
    if not isinstance(store, ServerFindings):
        return
    diagnostics.deliver(ls, root, store.set_build(crate, findings))


async def regenerate_wrapper(ls: SffiServer, *args: Any) -> dict[str, Any]:
    from sffi_lsp.backends.generated_state import plan_regeneration, run_regeneration
    from sffi_lsp.backends.generator import GeneratorNotFound, generator_key

    spec = _argument(args, "spec")
    if spec is None or not spec.is_file():
        return _fail(ls, f"{REGENERATE}: no such .wrapper_spec: {args[0] if args else '(none)'}")
    project = ls.state.project_for(spec)
    if project is None:
        return _fail(ls, f"{REGENERATE}: {spec} is in no indexed workspace")
    if generator_key(project.root) in busy_keys():
        return _fail(ls, f"the generator is already running in {project.root.name}; wait for it or cancel it")
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
    except KeyBusy:
        return _fail(ls, f"the generator is already running in {project.root.name}; wait for it or cancel it")
    finally:
        progress.end()
    if cancel.is_set():
        show(ls, f"regeneration of {spec.name} cancelled", lsp.MessageType.Warning)
    elif result.ok or result.declined:
        show(ls, result.message, lsp.MessageType.Info)
    else:
        show(ls, f"regeneration of {spec.name} failed: {result.message}", lsp.MessageType.Error)
    if not result.declined:
        _after(ls, list(plan.outputs))
    return {"ok": result.ok, "message": result.message,
            "changed": [str(p) for p in result.changed_files],
            "backup": str(result.backup_dir) if result.backup_dir else None}


async def build_library(ls: SffiServer, *args: Any) -> dict[str, Any]:
    from sffi_lsp.backends.cargo import build_crate, files_to_reindex

    crate = _argument(args, "crate")
    if crate is not None and crate.name == "Cargo.toml":
        crate = crate.parent
    if crate is None or not (crate / "Cargo.toml").is_file():
        return _fail(ls, f"{BUILD}: no Cargo.toml in {crate}")
    project = ls.state.project_for(crate)
    if project is None:
        return _fail(ls, f"{BUILD}: {crate} is in no indexed workspace")
    name = project.relative(crate)
    if f"cargo:{crate.resolve()}" in busy_keys():
        return _fail(ls, f"a build of {name} is already running; wait for it or cancel it")
    progress = Progress(ls, f"Building {crate.name}", cancellable=True)
    cancel = asyncio.Event()
    progress.on_cancel.append(cancel.set)

    def output(stream: str, line: str) -> None:
        if stream == "stdout" and line.startswith("{"):
            return  # cargo's JSON messages: compiler messages are logged rendered below
        log(ls, f"[cargo] {line}", lsp.MessageType.Log)

    def started(pid: int) -> None:
        log(ls, f"[cargo] started cargo build in {crate} (pid {pid}, process group {pid})")

    await progress.begin("cargo build")
    try:
        result = await build_crate(crate, project.settings, project.root, on_output=output,
                                   on_progress=progress.report, on_start=started, cancel=cancel)
    except KeyBusy:
        return _fail(ls, f"a build of {name} is already running; wait for it or cancel it")
    finally:
        progress.end()
    for finding in result.findings:
        rendered = str(finding.data.get("rendered") or "").rstrip()
        log(ls, f"[cargo] {rendered or finding.message}", lsp.MessageType.Log)
    if result.cancelled:
        show(ls, f"build of {name} cancelled; the cargo process was stopped", lsp.MessageType.Warning)
        return {"ok": False, "message": "build cancelled", "cancelled": True, "artifacts": []}
    if result.ok:
        show(ls, f"{name}: {result.message}", lsp.MessageType.Info)
    else:
        show(ls, f"{name}: {result.message}", lsp.MessageType.Error)
    if result.stub_mode:
        log(ls, f"{name} was built in stub mode: {'; '.join(result.warnings)}", lsp.MessageType.Warning)
    if result.returncode is not None:
        _publish_build(ls, project.root, crate.resolve(), result.findings)
    # the libraries built and the sources compiled; the checks re-run (SFFI009 reads the
    # saved stub-mode fact of this build)
    _after(ls, files_to_reindex(result))
    return {"ok": result.ok, "message": result.message, "cancelled": False,
            "artifacts": [str(p) for p in result.artifacts],
            "errors": sum(1 for f in result.findings if f.severity is Severity.ERROR)}


async def register_library(ls: SffiServer, *args: Any) -> dict[str, Any]:
    from sffi_lsp.backends.register import (
        default_manifest_path,
        functions_to_register,
        install_satellite,
        plugin_name,
        register_in_manifest,
    )
    from sffi_lsp.index.natives import read_library_report

    library = _argument(args, "library")
    options = args[0] if args and isinstance(args[0], dict) else {}
    if library is None or not library.is_file():
        return _fail(ls, f"{REGISTER}: no such library: {library}")
    project = ls.state.project_for(library)
    if project is None:
        return _fail(ls, f"{REGISTER}: {library} is in no indexed workspace")
    mode = options.get("mode") or "manifest"
    try:
        if mode == "satellite":
            prefix = options.get("prefix") or plugin_name(library)
            result = install_satellite(library, str(prefix), project.root / "build")
        else:
            info = project.natives.libraries.get(library) or read_library_report(library).info
            if info is None:
                return _fail(ls, f"{REGISTER}: cannot read {library}")
            functions = functions_to_register(
                (s.name for s in info.symbols),
                (d.name for d in project.declarations.externs()),
                project.settings.extern_prefixes,
            )
            manifest = default_manifest_path(project.settings, project.root)
            result = register_in_manifest(manifest, plugin_name(library), library, functions)
    except OSError as exc:
        return _fail(ls, f"{REGISTER}: {exc}")
    message = result.message
    if result.backup is not None:
        message += f" (previous content kept in {result.backup})"
    show(ls, message, lsp.MessageType.Info)
    if mode != "satellite" and capability(ls, "window", "show_document", "support"):
        try:
            await ls.window_show_document_async(lsp.ShowDocumentParams(
                uri=convert.uri_of(result.path), take_focus=False))
        except Exception as exc:  # showing the file is a courtesy
            log(ls, f"window/showDocument failed: {exc}")
    _after(ls, [result.path])
    return {"ok": True, "message": message, "path": str(result.path), "changed": result.changed,
            "backup": str(result.backup) if result.backup else None}


async def reindex(ls: SffiServer, *args: Any) -> dict[str, Any]:
    await indexing.index_folders(ls, list(ls.state.folders))
    diagnostics.refresh_all(ls)
    return {"ok": True, "message": f"re-indexed {len(ls.state.projects)} folder(s)"}
