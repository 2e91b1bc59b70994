"""Load the tree-sitter languages and the ``.scm`` queries shipped with sffi-lsp."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from tree_sitter import Language, Node, Parser, Query, QueryCursor


@cache
def simple_language() -> Language:
    from sffi_lsp.syntax import _binding  # type: ignore[attr-defined]  # the grammar compiled at install

    return Language(_binding.language())


@cache
def rust_language() -> Language:
    import tree_sitter_rust

    return Language(tree_sitter_rust.language())


@cache
def c_language() -> Language:
    import tree_sitter_c

    return Language(tree_sitter_c.language())


@cache
def cpp_language() -> Language:
    import tree_sitter_cpp

    return Language(tree_sitter_cpp.language())


_LANGUAGES = {"simple": simple_language, "rust": rust_language, "c": c_language, "cpp": cpp_language}


def language(name: str) -> Language:
    return _LANGUAGES[name]()


def queries_dir() -> Path:
    """The installed queries (copied into the package) or the repository's ``queries/``."""
    installed = Path(__file__).resolve().parent.parent / "queries"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "queries"


def query_source(lang: str, name: str) -> str:
    """The text of ``queries/<lang>/<name>.scm``, with the queries it inherits first.

    As in nvim-treesitter, a first line ``; inherits: c`` (or ``c,other``) includes
    ``queries/c/<name>.scm``: C++ reuses the C patterns, which its grammar also has.
    """
    source = (queries_dir() / lang / f"{name}.scm").read_text(encoding="utf-8")
    first = source.split("\n", 1)[0].strip()
    if first.startswith("; inherits:"):
        parents = [p.strip() for p in first.removeprefix("; inherits:").split(",") if p.strip()]
        source = "\n".join([*(query_source(p, name) for p in parents), source])
    return source


@cache
def query(lang: str, name: str) -> Query:
    """The compiled query ``queries/<lang>/<name>.scm``."""
    return Query(language(lang), query_source(lang, name))


def parser(lang: str) -> Parser:
    return Parser(language(lang))


def captures(
    lang: str, name: str, node: Node, byte_range: tuple[int, int] | None = None
) -> dict[str, list[Node]]:
    """Run a query over ``node`` (or the part of it in ``byte_range``): capture name -> nodes,
    in document order."""
    cursor = QueryCursor(query(lang, name))
    if byte_range is not None:
        cursor.set_byte_range(*byte_range)
    result = cursor.captures(node)
    for nodes in result.values():
        nodes.sort(key=lambda n: n.start_byte)
    return result


def matches(lang: str, name: str, node: Node) -> list[tuple[int, dict[str, list[Node]]]]:
    """Run a query over ``node``: (pattern index, captures) per match."""
    return QueryCursor(query(lang, name)).matches(node)
