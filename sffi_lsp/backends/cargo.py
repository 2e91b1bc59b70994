"""Build a Tier 1 crate with cargo and read its JSON messages into findings and facts.

Compiler messages become ``Finding``s on the Rust file and line of their primary span
(code: the rustc error code, or ``rustc``); artifacts give the built libraries and the
progress count; build-script warnings on stderr (``cargo:warning=``) are kept, and one
saying "stub mode" marks the build as a stub build. The last build of each crate is
saved in the workspace cache so checks can ask ``last_build_was_stub``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sffi_lsp.backends.cache import read_json, workspace_cache_dir, write_json_atomic
from sffi_lsp.backends.process import OutputCallback, ProgressCallback, run_process
from sffi_lsp.model import Finding, Position, Range, Related, Severity, Span
from sffi_lsp.text import LineIndex
from sffi_lsp.workspace.settings import Settings

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_SKIPPED_MESSAGES = re.compile(r"^(aborting due to|\d+ warnings? emitted|For more information)")
_PACKAGE_PREFIX = re.compile(r"^[A-Za-z0-9_.-]+@[A-Za-z0-9_.+-]+: ")  # "simple-torch@0.1.0: "
_SUMMARY_WARNING = re.compile(r"^`[^`]+` \([^)]*\) generated \d+ warnings?")
_LEVELS = {
    "error": Severity.ERROR,
    "error: internal compiler error": Severity.ERROR,
    "warning": Severity.WARNING,
    "note": Severity.INFORMATION,
    "help": Severity.HINT,
}
_LIBRARY_SUFFIXES = (".so", ".dylib", ".dll", ".a", ".lib", ".rlib")


@dataclass
class BuildResult:
    crate_dir: Path
    argv: list[str]
    ok: bool
    returncode: int | None
    cancelled: bool = False
    findings: list[Finding] = field(default_factory=list)
    artifacts: list[Path] = field(default_factory=list)  # libraries built for the crate
    crates_compiled: int = 0
    build_scripts_run: list[str] = field(default_factory=list)  # package ids
    stub_mode: bool = False
    warnings: list[str] = field(default_factory=list)  # build-script and cargo warnings
    finished: bool | None = None  # build-finished's success, when cargo said it
    message: str = ""
    stderr: list[str] = field(default_factory=list)


def cargo_argv(settings: Settings, cargo: str = "cargo") -> list[str]:
    """``cargo build`` with the settings' profile, features and extra arguments."""
    argv = [cargo, "build"]
    profile = settings.cargo_profile or "dev"
    if profile == "release":
        argv.append("--release")
    elif profile not in ("dev", "debug"):
        argv += ["--profile", profile]
    argv.append("--message-format=json-diagnostic-rendered-ansi")
    if settings.cargo_features:
        argv += ["--features", ",".join(settings.cargo_features)]
    argv += list(settings.cargo_extra_args)
    return argv


def _severity(level: str) -> Severity:
    return _LEVELS.get(level, Severity.ERROR if level.startswith("error") else Severity.WARNING)


class CargoMessages:
    """Reads cargo's output one line at a time and accumulates a ``BuildResult``."""

    def __init__(self, result: BuildResult, on_progress: ProgressCallback | None = None) -> None:
        self.result = result
        self.on_progress = on_progress
        self.manifest = (result.crate_dir / "Cargo.toml").resolve()
        self._indexes: dict[Path, LineIndex | None] = {}

    def _index(self, path: Path) -> LineIndex | None:
        if path not in self._indexes:
            try:
                self._indexes[path] = LineIndex(path.read_bytes())
            except OSError:
                self._indexes[path] = None
        return self._indexes[path]

    def _span(self, path: Path, raw: dict[str, Any]) -> Span:
        index = self._index(path)
        start, end = int(raw.get("byte_start", 0)), int(raw.get("byte_end", 0))
        if index is not None and 0 <= start <= end <= len(index.data):
            return index.span(start, end)
        # Not readable: fall back to rustc's 1-based line/column.
        begin = Position(int(raw.get("line_start", 1)) - 1, int(raw.get("column_start", 1)) - 1)
        finish = Position(int(raw.get("line_end", 1)) - 1, int(raw.get("column_end", 1)) - 1)
        return Span.of(Range(begin, finish), start, end)

    def _path(self, file_name: str, manifest: str | None) -> Path:
        path = Path(file_name)
        if path.is_absolute():
            return path
        base = Path(manifest).parent if manifest else self.result.crate_dir
        return base / path

    def stdout_line(self, line: str) -> None:
        line = line.strip()
        if not line.startswith("{"):
            return
        try:
            msg = json.loads(line)
        except ValueError:
            return
        if not isinstance(msg, dict):
            return
        reason = msg.get("reason")
        if reason == "compiler-message":
            self._compiler_message(msg)
        elif reason == "compiler-artifact":
            self.result.crates_compiled += 1
            if self.on_progress is not None:
                n = self.result.crates_compiled
                self.on_progress(f"{n} crate{'s' if n != 1 else ''} compiled")
            target = msg.get("target") or {}
            kinds = target.get("kind") or []
            own = Path(str(msg.get("manifest_path", ""))).resolve() == self.manifest
            if own and "custom-build" not in kinds:
                for name in msg.get("filenames") or []:
                    if str(name).endswith(_LIBRARY_SUFFIXES):
                        self.result.artifacts.append(Path(name))
        elif reason == "build-script-executed":
            self.result.build_scripts_run.append(str(msg.get("package_id", "")))
        elif reason == "build-finished":
            self.result.finished = bool(msg.get("success"))

    def stderr_line(self, line: str) -> None:
        text = _ANSI.sub("", line).strip()
        if not text.startswith("warning:"):
            return
        warning = _PACKAGE_PREFIX.sub("", text[len("warning:") :].strip())
        if _SUMMARY_WARNING.match(warning):
            return
        self.result.warnings.append(warning)
        if "stub mode" in warning.lower():
            self.result.stub_mode = True

    def _compiler_message(self, msg: dict[str, Any]) -> None:
        diag = msg.get("message") or {}
        text = str(diag.get("message", ""))
        level = str(diag.get("level", "error"))
        if level == "failure-note" or _SKIPPED_MESSAGES.match(text):
            return
        manifest = msg.get("manifest_path")
        spans = diag.get("spans") or []
        primary = next((s for s in spans if s.get("is_primary")), spans[0] if spans else None)
        if primary is None:
            path = Path(str(manifest)) if manifest else self.manifest
            span = Span(0, 0, 0, 0, 0, 0)
        else:
            path = self._path(str(primary.get("file_name", "")), manifest)
            span = self._span(path, primary)
        related: list[Related] = []
        for s in spans:
            if s is primary:
                continue
            other = self._path(str(s.get("file_name", "")), manifest)
            related.append(Related(other, self._span(other, s), str(s.get("label") or text)))
        for child in diag.get("children") or []:
            child_spans = child.get("spans") or []
            note = f"{child.get('level', 'note')}: {child.get('message', '')}"
            if child_spans:
                other = self._path(str(child_spans[0].get("file_name", "")), manifest)
                related.append(Related(other, self._span(other, child_spans[0]), note))
            elif child.get("message"):
                text += f"\n{note}"
        if primary is not None and primary.get("label"):
            text += f" ({primary['label']})"
        code = (diag.get("code") or {}).get("code") or "rustc"
        self.result.findings.append(
            Finding(
                code=str(code),
                severity=_severity(level),
                message=text,
                path=path,
                span=span,
                related=tuple(related),
                data={
                    "rendered": _ANSI.sub("", str(diag.get("rendered") or "")),
                    "source": "cargo",
                },
            )
        )


def _build_state_path(workspace: Path, settings: Settings, crate_dir: Path) -> Path:
    digest = hashlib.sha256(str(crate_dir.resolve()).encode("utf-8")).hexdigest()[:16]
    return workspace_cache_dir(workspace, settings) / "builds" / f"{digest}.json"


def _save_build(workspace: Path, settings: Settings, result: BuildResult) -> None:
    write_json_atomic(
        _build_state_path(workspace, settings, result.crate_dir),
        {
            "crate_dir": str(result.crate_dir.resolve()),
            "ok": result.ok,
            "stub_mode": result.stub_mode,
            "warnings": result.warnings,
            "artifacts": [str(a) for a in result.artifacts],
            "errors": sum(1 for f in result.findings if f.severity is Severity.ERROR),
            "time": time.time(),
        },
    )


def last_build(crate_dir: Path, settings: Settings, workspace: Path) -> dict[str, Any] | None:
    """The saved summary of the crate's last finished build, if any."""
    data = read_json(_build_state_path(workspace, settings, crate_dir))
    return data or None


def last_build_was_stub(crate_dir: Path, settings: Settings, workspace: Path) -> bool | None:
    """Whether the crate's last build ran in stub mode; None when it was never built here."""
    data = last_build(crate_dir, settings, workspace)
    return None if data is None else bool(data.get("stub_mode"))


async def build_crate(
    crate_dir: Path,
    settings: Settings,
    workspace: Path,
    *,
    on_output: OutputCallback | None = None,
    on_progress: ProgressCallback | None = None,
    on_start: Any = None,
    cancel: asyncio.Event | None = None,
    wait_if_busy: bool = False,
    cargo: str = "cargo",
    extra_env: dict[str, str] | None = None,
) -> BuildResult:
    """``cargo build`` in ``crate_dir``; one build per crate at a time."""
    argv = cargo_argv(settings, cargo)
    result = BuildResult(crate_dir, argv, ok=False, returncode=None)
    parser = CargoMessages(result, on_progress)

    def output(stream: str, line: str) -> None:
        if stream == "stdout":
            parser.stdout_line(line)
        else:
            parser.stderr_line(line)
        if on_output is not None:
            on_output(stream, line)

    env = {"CARGO_TERM_COLOR": "never", **settings.cargo_env, **(extra_env or {})}
    if on_progress is not None:
        on_progress(f"cargo build in {crate_dir}")
    proc = await run_process(
        argv,
        cwd=crate_dir,
        env=env,
        key=f"cargo:{crate_dir.resolve()}",
        wait_if_busy=wait_if_busy,
        on_output=output,
        on_progress=on_progress,
        on_start=on_start,
        cancel=cancel,
    )
    result.returncode = proc.returncode
    result.cancelled = proc.cancelled
    result.stderr = proc.stderr
    result.ok = proc.ok and result.finished is not False
    errors = sum(1 for f in result.findings if f.severity is Severity.ERROR)
    if proc.error:
        result.message = proc.error
    elif result.cancelled:
        result.message = "build cancelled"
    elif result.ok:
        result.message = (
            f"built {len(result.artifacts)} librar{'y' if len(result.artifacts) == 1 else 'ies'}"
        )
        if result.stub_mode:
            result.message += " (stub mode)"
    else:
        result.message = f"build failed: {errors} error(s), exit {result.returncode}"
    if not result.cancelled and proc.returncode is not None:
        _save_build(workspace, settings, result)
    return result


def files_to_reindex(result: BuildResult) -> list[Path]:
    """What a finished build may have changed for the index: the libraries it built, and
    the crate's manifest and Rust sources as they were compiled."""
    crate = result.crate_dir
    sources = [crate / "Cargo.toml", crate / "build.rs"]
    src = crate / "src"
    if src.is_dir():
        sources += sorted(src.rglob("*.rs"))
    return [*result.artifacts, *(p for p in sources if p.is_file())]


def build_crate_sync(
    crate_dir: Path, settings: Settings, workspace: Path, **kwargs: Any
) -> BuildResult:
    """``build_crate`` for the CLI."""
    return asyncio.run(build_crate(crate_dir, settings, workspace, **kwargs))
