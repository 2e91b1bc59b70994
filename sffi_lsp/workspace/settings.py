"""One validated settings model for the CLI and the server.

Sources: ``[tool.sffi-lsp]`` in ``pyproject.toml`` or a ``sffi-lsp.toml`` at the workspace
root (kebab-case keys), and the editor's ``sffi`` settings (camelCase keys, sent as
``initializationOptions`` and through ``workspace/configuration``). Both spellings map
to the same fields; unknown keys and wrong types are reported, never fatal.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

SEVERITY_NAMES = ("error", "warning", "information", "hint", "off")


@dataclass(frozen=True)
class Settings:
    libraries: tuple[str, ...] = ()  # extra globs of native libraries, relative to the root
    search_paths: tuple[str, ...] = ()  # extra directories searched for libraries
    exclude: tuple[str, ...] = ()  # globs of paths to leave out of the index
    runtime_path: str | None = None  # libsimple_runtime.so or the `simple` binary
    plugin_manifest: str | None = None  # manifest.sdn; else $SIMPLE_PLUGIN_MANIFEST, ~/.simple/...
    extern_prefixes: tuple[str, ...] = ("rt_",)
    select: tuple[str, ...] = ()  # rule codes or prefixes; empty means all
    ignore: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)  # code -> error|warning|...|off
    cache_dir: str | None = None
    generator_command: tuple[str, ...] = ("simple", "wrapper-gen", "${spec}")
    cargo_profile: str = "release"
    cargo_features: tuple[str, ...] = ()
    cargo_extra_args: tuple[str, ...] = ()
    cargo_env: dict[str, str] = field(default_factory=dict)
    debounce_ms: int = 150
    # Native sources (issue 10): globs of C/C++/Rust/assembly sources to index, relative to the
    # root (default: the whole workspace minus build output and vendored trees); the lanes to
    # judge (interpreter, jit, native; default: those whose tables are visible); directories or
    # files outside the workspace holding the runtime's sources (its tables and exports).
    sources: tuple[str, ...] = ()
    lanes: tuple[str, ...] = ()
    runtime_sources: tuple[str, ...] = ()

    def merged(self, other: dict[str, Any]) -> tuple[Settings, list[str]]:
        """These settings updated by a raw mapping; returns the new settings and errors."""
        return _apply(self, other)


# Nested tables flatten into prefixed field names: [cargo] profile -> cargo_profile.
_NESTED = {"generator": "generator_", "cargo": "cargo_", "diagnostics": ""}


def _snake(key: str) -> str:
    key = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key)
    return key.replace("-", "_").lower()


def _flatten(raw: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in raw.items():
        name = _snake(str(key))
        if name in _NESTED and isinstance(value, dict):
            for sub_key, sub_value in value.items():
                flat[_NESTED[name] + _snake(str(sub_key))] = (f"{key}.{sub_key}", sub_value)
        elif name == "server" or name == "trace" or name == "interpreter":
            continue  # client-side settings of the editor extension
        else:
            flat[name] = (str(key), value)
    return flat


def _check_strings(label: str, value: Any, errors: list[str]) -> tuple[str, ...] | None:
    if isinstance(value, str):
        errors.append(f"setting '{label}' must be a list of strings, got a string (write [{value!r}])"
                      .replace("['", '["').replace("']", '"]'))
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    errors.append(f"setting '{label}' must be a list of strings, got {type(value).__name__}")
    return None


def _apply(base: Settings, raw: dict[str, Any]) -> tuple[Settings, list[str]]:
    errors: list[str] = []
    known = {f.name: f for f in fields(Settings)}
    updates: dict[str, Any] = {}
    for name, (label, value) in _flatten(raw).items():
        if name not in known:
            errors.append(f"unknown setting '{label}'")
            continue
        if value is None:
            continue
        default = getattr(Settings(), name)
        if isinstance(default, tuple):
            checked = _check_strings(label, value, errors)
            if checked is not None:
                updates[name] = checked
        elif name == "per_file_ignores":
            if isinstance(value, dict):
                table: dict[str, tuple[str, ...]] = {}
                for pattern, codes in value.items():
                    checked = _check_strings(f"{label}.{pattern}", codes, errors)
                    if checked is not None:
                        table[str(pattern)] = checked
                updates[name] = table
            else:
                errors.append(f"setting '{label}' must be a table of glob -> codes")
        elif name == "severity":
            if isinstance(value, dict):
                sev: dict[str, str] = {}
                for code, level in value.items():
                    if isinstance(level, str) and level.lower() in SEVERITY_NAMES:
                        sev[str(code).upper()] = level.lower()
                    else:
                        errors.append(
                            f"setting '{label}.{code}' must be one of {', '.join(SEVERITY_NAMES)}"
                        )
                updates[name] = sev
            else:
                errors.append(f"setting '{label}' must be a table of code -> severity")
        elif name == "cargo_env":
            if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                updates[name] = {str(k): v for k, v in value.items()}
            else:
                errors.append(f"setting '{label}' must be a table of strings")
        elif name == "debounce_ms":
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                updates[name] = value
            else:
                errors.append(f"setting '{label}' must be a non-negative integer")
        else:  # optional or plain strings
            if isinstance(value, str):
                updates[name] = value or None if default is None else value
            else:
                errors.append(f"setting '{label}' must be a string, got {type(value).__name__}")
    # A value equal to the default is "not set": editors send every key with its default,
    # which must not wipe what the project's settings file chose.
    defaults = Settings()
    updates = {k: v for k, v in updates.items() if v != getattr(defaults, k)}
    return replace(base, **updates), errors


_TOML_POSITION = re.compile(r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def _read_toml(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    """The parsed file, or the one-line error (``FILE:LINE:COL: ...`` for a syntax error)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return None, f"{path}: cannot read settings: {exc.strerror or exc}"
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_POSITION.match(str(exc))
        if found is None and str(exc).endswith(" (at end of document)"):
            lines = text.split("\n")
            message = str(exc)[: -len(" (at end of document)")]
            return None, f"{path}:{len(lines)}:{len(lines[-1]) + 1}: invalid TOML: {message}"
        if found is None:
            return None, f"{path}: invalid TOML: {exc}"
        return None, f"{path}:{found['line']}:{found['col']}: invalid TOML: {found['msg']}"


def load_settings_file(path: Path) -> tuple[Settings, list[str]]:
    """Settings from one file: a ``sffi-lsp.toml`` (keys at the top level) or a
    ``pyproject.toml`` (the ``[tool.sffi-lsp]`` table); ``--config FILE`` names one."""
    data, error = _read_toml(path)
    if data is None:
        return Settings(), [error or f"{path}: cannot read settings"]
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("sffi-lsp", {})
        if not isinstance(table, dict):
            return Settings(), [f"{path}: [tool.sffi-lsp] must be a table"]
    else:
        table = dict(data)
        tool = table.get("tool")
        if isinstance(tool, dict) and "sffi-lsp" in tool:
            table.pop("tool")
            settings, errors = Settings().merged(table)
            return settings, [f"{path}: {e}" for e in errors] + [
                f"{path}: unknown setting 'tool'; {path.name} holds the settings at the top level "
                "([tool.sffi-lsp] belongs in pyproject.toml): remove the [tool.sffi-lsp] header"
            ]
    settings, errors = Settings().merged(table)
    return settings, [f"{path}: {e}" for e in errors]


def settings_file(root: Path) -> Path | None:
    """The file the settings of ``root`` come from: ``sffi-lsp.toml`` wins over a
    ``pyproject.toml`` with a ``[tool.sffi-lsp]`` table when both are present."""
    toml = root / "sffi-lsp.toml"
    if toml.is_file():
        return toml
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        data, error = _read_toml(pyproject)
        if error is not None or (data is not None and "sffi-lsp" in data.get("tool", {})):
            return pyproject
    return None


def load_file_settings(root: Path) -> tuple[Settings, list[str]]:
    """Settings from ``sffi-lsp.toml`` or ``pyproject.toml`` ``[tool.sffi-lsp]`` under ``root``."""
    path = settings_file(root)
    if path is None:
        return Settings(), []
    return load_settings_file(path)


# Settings naming a file or directory: (field, kebab-case key).
PATH_SETTINGS = (("runtime_path", "runtime-path"), ("plugin_manifest", "plugin-manifest"),
                 ("search_paths", "search-paths"), ("runtime_sources", "runtime-sources"))


def path_warnings(settings: Settings, root: Path) -> list[str]:
    """A warning for each path setting naming something that does not exist."""
    warnings = []
    for name, key in PATH_SETTINGS:
        value = getattr(settings, name)
        for item in (value if isinstance(value, tuple) else (value,)):
            if not item:
                continue
            path = Path(item).expanduser()
            path = path if path.is_absolute() else root / path
            if not path.exists():
                warnings.append(f"setting '{key}': {item} does not exist")
    return warnings
