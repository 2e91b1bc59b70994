"""Build the Simple grammar into the package and ship the tree-sitter queries with it.

The grammar (tree-sitter-simple/src) compiles into ``sffi_lsp.syntax._binding``; the
queries at the repository root (queries/) are copied to ``sffi_lsp/queries`` in the build,
and the rules documentation (docs/rules.md, the target of each diagnostic's link) to
``sffi_lsp/docs/rules.md``.
"""

import shutil
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_py import build_py


class BuildWithQueries(build_py):
    def run(self) -> None:
        super().run()
        source = Path(__file__).parent / "queries"
        target = Path(self.build_lib) / "sffi_lsp" / "queries"
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        rules = Path(__file__).parent / "docs" / "rules.md"
        if rules.is_file():
            (Path(self.build_lib) / "sffi_lsp" / "docs").mkdir(parents=True, exist_ok=True)
            shutil.copy2(rules, Path(self.build_lib) / "sffi_lsp" / "docs" / "rules.md")


setup(
    cmdclass={"build_py": BuildWithQueries},
    ext_modules=[
        Extension(
            name="sffi_lsp.syntax._binding",
            sources=[
                "sffi_lsp/syntax/_binding.c",
                "tree-sitter-simple/src/parser.c",
                "tree-sitter-simple/src/scanner.c",
            ],
            include_dirs=["tree-sitter-simple/src"],
            extra_compile_args=["-std=c11", "-O2"],
        )
    ],
)
