"""Mangled Simple names (SFFI.md 4.3): ``a__b__c__f`` is ``fn f`` of module ``a/b/c``.

A module prefix is the source path relative to the source root (``src/`` in the Simple
repository, the workspace root elsewhere: both are tried), ``.spl`` dropped, numbered
layer prefixes such as ``10.`` stripped, parts joined by ``__`` (``m_`` prepended to a
part that starts with a digit). A method is ``{prefix}__{Type}_dot_{m}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from sffi_lsp.index.declarations import DeclarationIndex
from sffi_lsp.model import DeclKind
from sffi_lsp.resolution.model import MangledTarget

_LAYER = re.compile(r"^\d+\.")
SOURCE_ROOTS = ("src",)


def module_key(relative: str) -> str:
    """``10.frontend/lexer.spl`` -> ``frontend__lexer``."""
    parts = relative.removesuffix(".spl").split("/")
    cleaned = []
    for part in parts:
        part = _LAYER.sub("", part)
        if part[:1].isdigit():
            part = "m_" + part
        cleaned.append(part)
    return "__".join(cleaned)


def looks_mangled(name: str) -> bool:
    """A name with a module prefix: ``a__f`` (not ``__x`` or ``x__``)."""
    head, sep, tail = name.rpartition("__")
    return bool(sep and head and tail and not head.startswith("_"))


class ModuleMap:
    """Module key -> the workspace's ``.spl`` file, against the root and ``src/``."""

    def __init__(self, root: Path, paths: Iterable[Path]) -> None:
        self.root = root
        self.modules: dict[str, Path] = {}
        for path in paths:
            try:
                relative = path.relative_to(root).as_posix()
            except ValueError:
                continue
            self.modules.setdefault(module_key(relative), path)
            for source_root in SOURCE_ROOTS:
                if relative.startswith(source_root + "/"):
                    self.modules.setdefault(module_key(relative[len(source_root) + 1:]), path)

    def target(self, name: str, declarations: DeclarationIndex) -> MangledTarget | None:
        if not looks_mangled(name):
            return None
        prefix, _, function = name.rpartition("__")
        module = prefix.replace("__", "/")
        path = self.modules.get(prefix)
        if path is None:
            return MangledTarget(module, function, None, False)
        entry = declarations.files.get(path)
        if entry is not None:
            owner, dot, method = function.partition("_dot_")
            for decl in entry.declarations:
                if decl.kind is not DeclKind.FN:
                    continue
                if (dot and decl.name == method and decl.container == owner) or (not dot and decl.name == function):
                    return MangledTarget(module, function, path, True, decl.name_span)
        return MangledTarget(module, function, path, False)
