"""Find and run the wrapper generator (``simple wrapper-gen <spec>``) from an argv template.

The template (``settings.generator_command``) is a list of argv elements with the
placeholders ``${spec}``, ``${workspaceFolder}`` and ``${tier}``. Each element stays one
argv element after substitution, whatever the spec path contains: nothing is ever
handed to a shell.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from sffi_lsp.backends.process import OutputCallback, ProcessResult, ProgressCallback, run_process
from sffi_lsp.workspace.settings import Settings

SETTING_HINT = (
    "set 'sffi.generator.command' in the editor or '[tool.sffi-lsp.generator] command' in "
    "pyproject.toml / sffi-lsp.toml to the generator's argv, "
    'e.g. ["/path/to/simple", "wrapper-gen", "${spec}"]'
)


class GeneratorNotFound(RuntimeError):
    """The generator program named by the settings cannot be found."""


def substitute(
    template: Sequence[str], spec: Path, workspace: Path, tier: str = "all"
) -> list[str]:
    """The template with placeholders replaced; one argv element per template element."""
    values = {
        "${spec}": str(spec),
        "${workspaceFolder}": str(workspace),
        "${tier}": tier,
    }
    argv = []
    for element in template:
        for placeholder, value in values.items():
            element = element.replace(placeholder, value)
        argv.append(element)
    return argv


def resolve_program(program: str, workspace: Path) -> tuple[str | None, list[str]]:
    """The program's path and the places looked at.

    A name with a directory part is taken relative to the workspace; a bare name is
    looked up as ``<workspace>/bin/<name>``, then on ``PATH``.
    """
    looked: list[str] = []
    if os.sep in program or "/" in program:
        path = Path(os.path.expanduser(program))
        if not path.is_absolute():
            path = workspace / path
        looked.append(str(path))
        ok = path.is_file() and os.access(path, os.X_OK)
        return (str(path) if ok else None), looked
    local = workspace / "bin" / program
    looked.append(str(local))
    if local.is_file() and os.access(local, os.X_OK):
        return str(local), looked
    looked.append(f"'{program}' on PATH")
    return shutil.which(program), looked


def generator_argv(settings: Settings, workspace: Path, spec: Path, tier: str = "all") -> list[str]:
    """The generator's argv for ``spec``; raises ``GeneratorNotFound`` with what was looked for."""
    if not settings.generator_command:
        raise GeneratorNotFound(f"no generator command is configured: {SETTING_HINT}")
    argv = substitute(settings.generator_command, spec, workspace, tier)
    program, looked = resolve_program(argv[0], workspace)
    if program is None:
        raise GeneratorNotFound(
            f"generator '{argv[0]}' not found (looked for {', '.join(looked)}); {SETTING_HINT}"
        )
    return [program, *argv[1:]]


def generator_key(workspace: Path) -> str:
    """The lock key of generator runs: one at a time per workspace (outputs may overlap)."""
    return f"generator:{workspace}"


async def run_generator(
    argv: Sequence[str],
    workspace: Path,
    *,
    on_output: OutputCallback | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: asyncio.Event | None = None,
    key: str | None = None,
    wait_if_busy: bool = False,
) -> ProcessResult:
    """Run the generator in the workspace root (it writes relative to its cwd)."""

    def progress(message: str) -> None:
        if on_progress is not None:
            on_progress(message)

    def output(stream: str, line: str) -> None:
        if on_output is not None:
            on_output(stream, line)
        lowered = line.lower()
        if "tier" in lowered and ("generated" in lowered or "writing" in lowered):
            progress(line.strip())

    progress("running the generator")
    result = await run_process(
        argv,
        cwd=workspace,
        key=key or generator_key(workspace),
        wait_if_busy=wait_if_busy,
        on_output=output,
        on_progress=progress,
        cancel=cancel,
    )
    if result.cancelled:
        progress("generator cancelled")
    elif result.ok:
        progress("generator finished")
    else:
        progress(f"generator failed (exit {result.returncode})")
    return result
