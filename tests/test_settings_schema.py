"""The shipped JSON Schema of the settings matches the settings model (issue 14)."""

from __future__ import annotations

import json
import tomllib
from dataclasses import fields
from importlib import resources
from typing import Any

import jsonschema
import pytest

from sffi_lsp.workspace.settings import Settings
from sffi_lsp.workspace.settings_schema import settings_schema

SHIPPED = json.loads(resources.files("sffi_lsp.workspace").joinpath("settings.schema.json").read_text())

GOOD = """
libraries = ["vendor/*.so"]
search-paths = ["/opt/lib"]
exclude = ["build/**"]
runtime-path = "bin/simple"
plugin-manifest = "plugins/manifest.sdn"
extern-prefixes = ["rt_", "spl_"]
select = ["SFFI0"]
ignore = ["SFFI010"]
cache-dir = ".cache"
sources = ["src/**/*.c"]
lanes = ["interpreter", "native"]
runtime-sources = ["/opt/simple/src/runtime"]
per-file-ignores = { "src/kernel/*" = ["SFFI002"] }
[severity]
SFFI002 = "error"
[generator]
command = ["simple", "wrapper-gen", "${spec}"]
[cargo]
profile = "debug"
features = ["x"]
extra-args = ["--locked"]
env = { RUSTFLAGS = "-g" }
[diagnostics]
debounce-ms = 300
"""

# One wrong value per setting: the model and the schema both refuse each.
BAD: dict[str, Any] = {
    "libraries": "foo", "search-paths": [1], "exclude": {"a": 1}, "runtime-path": 3, "plugin-manifest": ["x"],
    "extern-prefixes": "rt_", "select": "SFFI001", "ignore": [True], "cache-dir": 1,
    "per-file-ignores": {"src/*": "SFFI002"}, "severity": {"SFFI002": "loud"},
    "generator": {"command": "simple wrapper-gen"}, "cargo": {"profile": 1},
    "diagnostics": {"debounce-ms": -1}, "sources": "src", "lanes": [1], "runtime-sources": {"a": "b"},
}


def test_the_shipped_schema_is_the_one_the_model_gives() -> None:
    assert SHIPPED == settings_schema(), (
        "regenerate: python -m sffi_lsp.workspace.settings_schema > sffi_lsp/workspace/settings.schema.json")


def _schema_keys(schema: dict[str, Any], prefix: str = "") -> set[str]:
    keys = set()
    for key, sub in schema["properties"].items():
        if sub.get("type") == "object" and "properties" in sub:
            keys |= _schema_keys(sub, f"{key}.")
        else:
            keys.add(prefix + key)
    return keys


def test_every_setting_of_the_model_is_in_the_schema() -> None:
    from sffi_lsp.workspace.settings import _flatten

    raw: dict[str, Any] = {}
    for key in _schema_keys(SHIPPED):
        table, _, sub = key.partition(".")
        if sub:
            raw.setdefault(table, {})[sub] = 0
        else:
            raw[table] = 0
    assert set(_flatten(raw)) == {f.name for f in fields(Settings)}


def test_a_good_settings_file_passes_both() -> None:
    table = tomllib.loads(GOOD)
    jsonschema.validate(table, SHIPPED)
    _, errors = Settings().merged(table)
    assert errors == []


@pytest.mark.parametrize("key", sorted(BAD))
def test_a_wrong_value_fails_both(key: str) -> None:
    table = {key: BAD[key]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(table, SHIPPED)
    _, errors = Settings().merged(table)
    assert len(errors) >= 1, key


def test_an_unknown_key_fails_both() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"selct": ["SFFI001"]}, SHIPPED)
    assert Settings().merged({"selct": ["SFFI001"]})[1] == ["unknown setting 'selct'"]
