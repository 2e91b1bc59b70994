"""The analysis core knows nothing of the protocol: only sffi_lsp/server imports pygls/lsprotocol."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "sffi_lsp"
PROTOCOL = ("pygls", "lsprotocol")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_core_modules_do_not_import_the_protocol() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(m for m in _imported_modules(path) if m.split(".")[0] in PROTOCOL)
        for path in PACKAGE.rglob("*.py")
        if "server" not in path.relative_to(PACKAGE).parts
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_server_is_the_only_protocol_user() -> None:
    users = {
        path.relative_to(PACKAGE).parts[0]
        for path in PACKAGE.rglob("*.py")
        if any(m.split(".")[0] in PROTOCOL for m in _imported_modules(path))
    }
    assert users == {"server"}
