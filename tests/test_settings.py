"""Settings: both spellings, validation messages, and the editor's defaults not overriding files."""

from pathlib import Path

from sffi_lsp.workspace.settings import Settings, load_file_settings


def test_pyproject_table_is_read_with_kebab_case_keys(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.sffi-lsp]\nextern-prefixes = ["rt_", "serial_"]\nplugin-manifest = "m.sdn"\n'
        '[tool.sffi-lsp.cargo]\nprofile = "dev"\nenv = { LIBTORCH_PATH = "/opt/torch" }\n'
        '[tool.sffi-lsp.per-file-ignores]\n"src/kernel/*" = ["SFFI002"]\n'
    )
    settings, errors = load_file_settings(tmp_path)
    assert errors == []
    assert settings.extern_prefixes == ("rt_", "serial_")
    assert settings.plugin_manifest == "m.sdn"
    assert settings.cargo_profile == "dev"
    assert settings.cargo_env == {"LIBTORCH_PATH": "/opt/torch"}
    assert settings.per_file_ignores == {"src/kernel/*": ("SFFI002",)}


def test_sffi_lsp_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "sffi-lsp.toml").write_text('select = ["SFFI001"]\n')
    (tmp_path / "pyproject.toml").write_text('[tool.sffi-lsp]\nselect = ["SFFI002"]\n')
    settings, _ = load_file_settings(tmp_path)
    assert settings.select == ("SFFI001",)


def test_unknown_keys_and_wrong_types_are_reported() -> None:
    settings, errors = Settings().merged(
        {"libaries": ["x"], "externPrefixes": 3, "severity": {"SFFI001": "loud"}, "debounceMs": -1}
    )
    assert errors == [
        "unknown setting 'libaries'",
        "setting 'externPrefixes' must be a list of strings, got int",
        "setting 'severity.SFFI001' must be one of error, warning, information, hint, off",
        "setting 'debounceMs' must be a non-negative integer",
    ]
    assert settings == Settings()


def test_editor_camel_case_keys_map_to_the_same_fields() -> None:
    settings, errors = Settings().merged(
        {"searchPaths": ["lib"], "generator": {"command": ["gen", "${spec}"]},
         "cargo": {"extraArgs": ["-v"]}, "diagnostics": {"debounceMs": 0},
         "server": {"path": "x"}, "trace": {"server": "off"}}
    )
    assert errors == []
    assert settings.search_paths == ("lib",)
    assert settings.generator_command == ("gen", "${spec}")
    assert settings.cargo_extra_args == ("-v",)
    assert settings.debounce_ms == 0


def test_editor_defaults_do_not_wipe_file_settings(tmp_path: Path) -> None:
    (tmp_path / "sffi-lsp.toml").write_text('libraries = ["out/*.so"]\n')
    settings, _ = load_file_settings(tmp_path)
    merged, errors = settings.merged({"libraries": [], "externPrefixes": ["rt_"], "cargo": {"profile": "release"}})
    assert errors == []
    assert merged.libraries == ("out/*.so",)


def test_broken_toml_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "sffi-lsp.toml").write_text("select = [\n")
    settings, errors = load_file_settings(tmp_path)
    assert settings == Settings()
    assert errors == [f"{tmp_path / 'sffi-lsp.toml'}:2:1: invalid TOML: Invalid value"]
