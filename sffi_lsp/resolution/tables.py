"""The runtime's tables as one workspace sees them, assembled once from the native index.

Interpreter rows, prefix arms in dispatch order, family rows, capability-gap families,
satellite prefixes, codegen rows and aliases, and the native definitions (Rust exports,
C/C++ and assembly definitions, macro-made definitions). A lane is judged only when its
tables are visible here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sffi_lsp.index.natives import NativeIndex
from sffi_lsp.index.natives.c_macros import expand
from sffi_lsp.index.natives.dispatch import feature_of
from sffi_lsp.model import NativeKind, NativeSymbol

# The satellites dynamic_sffi.rs loads (its SATELLITE_PREFIXES when the workspace has it).
DEFAULT_SATELLITE_PREFIXES = ("ts", "torch", "cuda", "vulkan", "vhdl")


@dataclass(frozen=True, slots=True)
class PrefixArm:
    prefix: str
    excludes: tuple[str, ...]
    family: str
    guarded: bool  # another guard (a signature lookup) must pass: only the family's rows do
    symbol: NativeSymbol

    @property
    def feature(self) -> str | None:
        return feature_of(self.symbol.cfg)

    def matches(self, name: str) -> bool:
        return name.startswith(self.prefix) and not any(name.startswith(x) for x in self.excludes)


@dataclass
class RuntimeTables:
    interpreter_rows: dict[str, list[NativeSymbol]] = field(default_factory=dict)
    family_rows: dict[str, dict[str, NativeSymbol]] = field(default_factory=dict)  # family -> name -> row
    prefix_arms: list[PrefixArm] = field(default_factory=list)
    capability_gaps: list[tuple[str, str, NativeSymbol]] = field(default_factory=list)  # prefix, label, row
    satellite_prefixes: tuple[str, ...] = DEFAULT_SATELLITE_PREFIXES
    codegen_rows: dict[str, list[NativeSymbol]] = field(default_factory=dict)
    aliases: dict[str, tuple[str, NativeSymbol]] = field(default_factory=dict)  # name -> (target, row)
    macro_definitions: dict[str, list[NativeSymbol]] = field(default_factory=dict)  # made name -> the use

    @property
    def interpreter_visible(self) -> bool:
        return bool(self.interpreter_rows or self.prefix_arms)

    @property
    def codegen_visible(self) -> bool:
        return bool(self.codegen_rows)

    @classmethod
    def of(cls, natives: NativeIndex) -> RuntimeTables:
        """The tables of ``natives``, assembled once per state of the index."""
        cached = _TABLES.get(id(natives))
        if cached is not None and cached[0] is natives and cached[1] == natives.generation:
            return cached[2]
        tables = cls._assemble(natives)
        _TABLES[id(natives)] = (natives, natives.generation, tables)
        return tables

    @classmethod
    def _assemble(cls, natives: NativeIndex) -> RuntimeTables:
        tables = cls()
        interpreter: dict[str, list[NativeSymbol]] = defaultdict(list)
        codegen: dict[str, list[NativeSymbol]] = defaultdict(list)
        families: dict[str, dict[str, NativeSymbol]] = defaultdict(dict)
        for symbols in natives.source_symbols.values():
            for symbol in symbols:
                if symbol.kind is not NativeKind.RUNTIME_TABLE:
                    continue
                if symbol.table == "interpreter":
                    interpreter[symbol.name].append(symbol)
                elif symbol.table == "codegen":
                    codegen[symbol.name].append(symbol)
                elif symbol.table == "family" and symbol.family is not None:
                    families[symbol.family].setdefault(symbol.name, symbol)
        satellites: list[str] = []
        macros: dict[str, list[NativeSymbol]] = defaultdict(list)
        uses: list[NativeSymbol] = []
        for fact in sorted(natives.dispatch, key=_position):
            if fact.table == "prefix-arm":
                guarded = fact.detail[:1] == ("guarded",)
                excludes = fact.detail[1:] if guarded else fact.detail
                tables.prefix_arms.append(PrefixArm(fact.name, excludes, fact.family or fact.name, guarded, fact))
            elif fact.table == "capability-gap":
                tables.capability_gaps.append((fact.name, fact.family or fact.name.rstrip("_"), fact))
            elif fact.table == "satellite-prefix":
                satellites.append(fact.name)
            elif fact.table == "alias" and fact.detail:
                tables.aliases[fact.name] = (fact.detail[0], fact)
            elif fact.table == "c-macro":
                macros[fact.name].append(fact)
            elif fact.table == "c-macro-use":
                uses.append(fact)
        made: dict[str, list[NativeSymbol]] = defaultdict(list)
        for use in uses:
            for definition in macros.get(use.name, ()):
                name = expand(definition, use)
                if name is not None:
                    made[name].append(use)
                    break
        tables.interpreter_rows = dict(interpreter)
        tables.codegen_rows = dict(codegen)
        tables.family_rows = dict(families)
        tables.macro_definitions = dict(made)
        if satellites:
            tables.satellite_prefixes = tuple(dict.fromkeys(satellites))
        return tables


_TABLES: dict[int, tuple[NativeIndex, int, RuntimeTables]] = {}


def _position(symbol: NativeSymbol) -> tuple[str, int]:
    return str(symbol.path), symbol.span.start_byte if symbol.span is not None else 0
