"""The command line is a package of one module per command, imported only when named."""

from __future__ import annotations

import subprocess
import sys

from sffi_lsp.cli import command_module, command_names


def test_every_module_of_the_package_is_a_command_with_help_arguments_and_run() -> None:
    assert command_names() == ["build", "check", "regenerate", "register", "rule", "serve", "symbols"]
    for name in command_names():
        module = command_module(name)
        assert isinstance(module.HELP, str) and module.HELP
        assert callable(module.add_arguments) and callable(module.run)


def _modules_loaded_by(*argv: str) -> set[str]:
    script = (
        "import sys\n"
        "from sffi_lsp.cli import build_parser\n"
        f"build_parser({list(argv)!r}).parse_args({list(argv)!r})\n"
        "print('\\n'.join(m for m in sys.modules if m.startswith('sffi_lsp')))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_parsing_a_command_imports_that_command_only() -> None:
    loaded = _modules_loaded_by("check", "--select", "SFFI001")
    assert {m for m in loaded if m.startswith("sffi_lsp.cli.")} == {"sffi_lsp.cli.check", "sffi_lsp.cli.formats"}
    assert not any(m.startswith("sffi_lsp.server") for m in loaded)
    loaded = _modules_loaded_by("register", "lib/libx.so")
    assert {m for m in loaded if m.startswith("sffi_lsp.cli.")} == {"sffi_lsp.cli.register"}
    assert not any(m.startswith("sffi_lsp.checks") for m in loaded)


def test_the_readme_command_table_lists_every_command_and_check_flag() -> None:
    from pathlib import Path

    from sffi_lsp.cli import build_parser

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    table = readme[readme.index("## Commands"):readme.index("## Settings")]
    for name in command_names():
        assert f"`sffi-lsp {name}" in table, name
    check = build_parser(["check"])._subparsers._group_actions[0].choices["check"]  # type: ignore[union-attr]
    flags = {opt for action in check._actions for opt in action.option_strings if opt.startswith("--")}
    assert {flag for flag in flags if flag not in table} == {"--help"}
