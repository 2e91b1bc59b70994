"""The JSON Schema of the settings file (``sffi-lsp.toml``, or ``[tool.sffi-lsp]`` in
``pyproject.toml``), built from the ``Settings`` model so the two cannot drift.

Shipped as ``sffi_lsp/workspace/settings.schema.json`` (editors with a TOML language server,
e.g. Taplo or Even Better TOML, validate and complete ``sffi-lsp.toml`` with it).
Regenerate after adding a setting:
``python -m sffi_lsp.workspace.settings_schema > sffi_lsp/workspace/settings.schema.json``
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from sffi_lsp.workspace.settings import _NESTED, SEVERITY_NAMES, Settings

SCHEMA_ID = "https://github.com/sffi-lsp/sffi-lsp/settings.schema.json"
_STRINGS = {"type": "array", "items": {"type": "string"}}


def _value_schema(name: str, default: Any) -> dict[str, Any]:
    if name == "per_file_ignores":
        return {"type": "object", "additionalProperties": _STRINGS,
                "description": "glob -> rule codes or prefixes ignored in the files it matches"}
    if name == "severity":
        return {"type": "object", "additionalProperties": {"enum": list(SEVERITY_NAMES)},
                "description": "rule code -> severity (off drops the rule's findings)"}
    if isinstance(default, tuple):
        return dict(_STRINGS)
    if isinstance(default, dict):
        return {"type": "object", "additionalProperties": {"type": "string"}}
    if isinstance(default, bool):
        return {"type": "boolean"}
    if isinstance(default, int):
        return {"type": "integer", "minimum": 0}
    return {"type": "string"}


def _kebab(name: str) -> str:
    return name.replace("_", "-")


def settings_schema() -> dict[str, Any]:
    top: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {table: {} for table, prefix in _NESTED.items() if prefix}
    for f in fields(Settings):
        default = getattr(Settings(), f.name)
        schema = _value_schema(f.name, default)
        if default not in (None, {}, ()) and not isinstance(default, dict):
            schema["default"] = list(default) if isinstance(default, tuple) else default
        for table, prefix in _NESTED.items():
            if prefix and f.name.startswith(prefix):
                nested[table][_kebab(f.name.removeprefix(prefix))] = schema
                break
        else:
            top[_kebab(f.name)] = schema
    diagnostics = {key: value for key, value in top.items() if key == "debounce-ms"}
    for table, properties in nested.items():
        top[table] = {"type": "object", "properties": properties, "additionalProperties": False}
    top["diagnostics"] = {"type": "object", "properties": diagnostics, "additionalProperties": False}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "sffi-lsp settings",
        "description": "sffi-lsp.toml, or the [tool.sffi-lsp] table of pyproject.toml (kebab-case keys)",
        "type": "object",
        "properties": dict(sorted(top.items())),
        "additionalProperties": False,
    }


def main() -> None:
    print(json.dumps(settings_schema(), indent=2))


if __name__ == "__main__":
    main()
