"""Per-lane resolution of extern names, as the real toolchain does it (SFFI.md 4.1-4.3).

``LaneResolver(project).resolve(name)`` answers, for every judged lane, whether the name
resolves and by what (rows, exports, definitions with file:line, cfg feature, family,
the dynamic gate), or why it fails and with what consequence.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING

from sffi_lsp.index.natives.dispatch import feature_of
from sffi_lsp.model import DeclKind, NativeKind, NativeSymbol
from sffi_lsp.resolution.mangled import ModuleMap, looks_mangled
from sffi_lsp.resolution.model import (
    GateVerdict,
    Lane,
    LaneState,
    LaneVerdict,
    NameResolution,
    Provider,
    ProviderKind,
)
from sffi_lsp.resolution.tables import RuntimeTables

if TYPE_CHECKING:
    from sffi_lsp.workspace.project import Project

MAX_DYNAMIC_PARAMS = 13
INTERP_BRIDGE_PREFIXES = ("rt_", "spl_")  # names rt_interp_call may send to the interpreter table
# Names the interpreter serves without any table row (its prelude).
PRELUDE = frozenset({"print", "println", "print_raw", "eprint", "eprintln", "eprint_raw", "dbg", "dprint",
                     "abs", "min", "max", "sqrt", "pow", "floor", "ceil", "exit", "input", "to_string",
                     "to_int", "len", "panic", "assert"})
NATIVE_KINDS = frozenset({ProviderKind.RUNTIME_EXPORT, ProviderKind.C_DEFINITION, ProviderKind.MACRO_DEFINITION,
                          ProviderKind.ASSEMBLY, ProviderKind.LIBRARY, ProviderKind.SIMPLE_FUNCTION})
ALL_LANES = (Lane.INTERPRETER, Lane.JIT, Lane.NATIVE)


def provider_of(symbol: NativeSymbol) -> Provider | None:
    """The provider a native-index symbol stands for (None for mere declarations)."""
    span = symbol.name_span or symbol.span
    feature = feature_of(symbol.cfg)
    if symbol.kind is NativeKind.RUNTIME_TABLE:
        kind = {"interpreter": ProviderKind.INTERPRETER_ROW, "codegen": ProviderKind.CODEGEN_ROW,
                "family": ProviderKind.FAMILY_ROW}.get(symbol.table or "")
        if kind is None:
            return None
        detail = symbol.signature() if kind is ProviderKind.CODEGEN_ROW else next(iter(symbol.detail), None)
        return Provider(kind, symbol.name, symbol.path, span, feature, symbol.family, detail)
    if symbol.kind is NativeKind.RUST_SOURCE:
        return Provider(ProviderKind.RUNTIME_EXPORT, symbol.name, symbol.path, span, detail=symbol.signature())
    if symbol.kind is NativeKind.C_SOURCE:
        if symbol.language == "asm":
            return Provider(ProviderKind.ASSEMBLY, symbol.name, symbol.path, span)
        if symbol.symbol_type == "declaration":
            return None
        return Provider(ProviderKind.C_DEFINITION, symbol.name, symbol.path, span, detail=symbol.signature())
    if symbol.kind is NativeKind.LIBRARY:
        return Provider(ProviderKind.LIBRARY, symbol.name, symbol.path)
    if symbol.kind is NativeKind.MANIFEST:
        return Provider(ProviderKind.MANIFEST, symbol.name, symbol.path, span, family=symbol.table)
    return None


def _where(project: Project, provider: Provider) -> str:
    line = f":{provider.line}" if provider.line else ""
    return f"{project.relative(provider.path)}{line}"


class LaneResolver:
    """Resolves names lane by lane against one project's indexes (built once per index state)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.natives = project.natives
        self.tables = RuntimeTables.of(self.natives)
        visible = {Lane.INTERPRETER: self.tables.interpreter_visible, Lane.JIT: self.tables.codegen_visible,
                   Lane.NATIVE: True}
        wanted = {lane.lower() for lane in project.settings.lanes}
        self.judged: tuple[Lane, ...] = tuple(
            lane for lane in ALL_LANES if visible[lane] and (not wanted or lane.value in wanted)
        )
        self._cache: dict[str, NameResolution] = {}

    def why_not_judged(self, lane: Lane) -> str:
        if lane is Lane.INTERPRETER and not self.tables.interpreter_visible:
            return "no interpreter dispatch table visible"
        if lane is Lane.JIT and not self.tables.codegen_visible:
            return "no codegen table visible"
        return "not selected by the `lanes` setting"

    @cached_property
    def modules(self) -> ModuleMap:
        return ModuleMap(self.project.root, self.project.declarations.files)

    @property
    def runtime_tables_visible(self) -> bool:
        """Whether any runtime table (interpreter or codegen) is visible."""
        return self.tables.interpreter_visible or self.tables.codegen_visible

    def names(self) -> Iterator[str]:
        """Every extern fn name the workspace declares, once each, in declaration order."""
        seen: set[str] = set()
        for decl in self.project.declarations.sorted_externs():
            if decl.kind is DeclKind.EXTERN_FN and decl.name not in seen:
                seen.add(decl.name)
                yield decl.name

    def resolutions(self) -> Iterator[NameResolution]:
        """``resolve`` of every declared extern name (``names()`` order)."""
        return (self.resolve(name) for name in self.names())

    # ------------------------------------------------------------------ resolving

    def resolve(self, name: str) -> NameResolution:
        cached = self._cache.get(name)
        if cached is not None:
            return cached
        result = NameResolution(name)
        providers = self._providers(name)
        alias = self.tables.aliases.get(name)
        alias_providers: list[Provider] = []
        if alias is not None:
            target, row = alias
            alias_providers = [Provider(ProviderKind.ALIAS, target, row.path, row.name_span or row.span)]
            alias_providers += [p for p in self._providers(target) if p.kind in NATIVE_KINDS]
        mangled = self.modules.target(name, self.project.declarations) if looks_mangled(name) else None
        result.mangled = mangled
        if mangled is not None and mangled.found and mangled.module_path is not None:
            providers.append(Provider(ProviderKind.SIMPLE_FUNCTION, mangled.function, mangled.module_path,
                                      mangled.span, detail=mangled.module))
        result.gate = self._gate(name)
        natives = [p for p in providers + alias_providers if p.kind in NATIVE_KINDS]
        verdicts: dict[Lane, LaneVerdict] = {}
        for lane in self.judged:
            if lane is Lane.INTERPRETER:
                verdicts[lane] = self._interpreter(name, providers, natives, result)
            elif lane is Lane.JIT:
                verdicts[lane] = self._jit(name, natives, verdicts.get(Lane.INTERPRETER))
            else:
                verdicts[lane] = self._native(natives)
        if any(v.state in (LaneState.OK, LaneState.FEATURE_ONLY) for v in verdicts.values()):
            verdicts = {
                lane: LaneVerdict(lane, LaneState.GAP, v.reason, v.providers, v.feature, v.family)
                if v.state is LaneState.MISSING else v
                for lane, v in verdicts.items()
            }
        result.lanes = verdicts
        result.providers = tuple(dict.fromkeys(providers + alias_providers))
        self._cache[name] = result
        return result

    def _providers(self, name: str) -> list[Provider]:
        found = [p for p in (provider_of(s) for s in self.natives.lookup(name)) if p is not None]
        for use in self.tables.macro_definitions.get(name, ()):
            found.append(Provider(ProviderKind.MACRO_DEFINITION, name, use.path, use.span, detail=use.name))
        return found

    def codegen_row(self, name: str) -> NativeSymbol | None:
        """The codegen row a call of ``name`` uses: by name, else after aliasing, else after
        stripping a module prefix (``rsplit_once("__")``), as codegen/instr/calls.rs does."""
        candidates = [name]
        alias = self.tables.aliases.get(name)
        if alias is not None:
            candidates.append(alias[0])
        if "__" in name:
            candidates.append(name.rsplit("__", 1)[1])
        for candidate in candidates:
            rows = self.tables.codegen_rows.get(candidate)
            if rows:
                return rows[-1]
        return None

    def _gate(self, name: str) -> GateVerdict | None:
        rows = self.tables.codegen_rows.get(name)  # the interpreter's gate looks the name up as is
        if not rows:
            return None
        symbol = rows[-1]
        row = provider_of(symbol)
        params = [p.type for p in symbol.params or ()]
        returns = symbol.returns
        if len(params) > MAX_DYNAMIC_PARAMS:
            return GateVerdict(False, f"the codegen row has {len(params)} parameters (max {MAX_DYNAMIC_PARAMS})", row)
        odd = [t for t in params if t != "I64"]
        if odd:
            return GateVerdict(False, f"the codegen row takes `{odd[0]}`, so dynamic SFFI refuses it", row)
        if returns != "I64":
            shown = f"returns `{returns}`" if returns else "returns nothing"
            return GateVerdict(False, f"the codegen row {shown}, so dynamic SFFI refuses it", row)
        return GateVerdict(True, "the codegen row is all-`I64` -> `[I64]`: dynamic SFFI may load it", row)

    def _interpreter(self, name: str, providers: list[Provider], natives: list[Provider],
                     result: NameResolution) -> LaneVerdict:
        lane = Lane.INTERPRETER
        rows = [p for p in providers if p.kind is ProviderKind.INTERPRETER_ROW]
        plain = [p for p in rows if p.feature is None]
        if plain:
            return LaneVerdict(lane, LaneState.OK, f"table row at {_where(self.project, plain[-1])}", tuple(plain))
        feature_only: LaneVerdict | None = None
        if rows:
            feature_only = LaneVerdict(lane, LaneState.FEATURE_ONLY,
                                       f"table row at {_where(self.project, rows[-1])} only with `{rows[-1].feature}`",
                                       tuple(rows), rows[-1].feature)
        for arm in self.tables.prefix_arms:
            if not arm.matches(name):
                continue
            arm_provider = Provider(ProviderKind.PREFIX_ARM, arm.prefix, arm.symbol.path,
                                    arm.symbol.name_span or arm.symbol.span, arm.feature, arm.family)
            result.family = arm.family
            family_rows = self.tables.family_rows.get(arm.family)
            if family_rows or arm.guarded:
                row = (family_rows or {}).get(name)
                if row is None:
                    if arm.guarded:
                        continue  # the guard fails: the dispatcher goes on
                    if arm.feature is not None:
                        continue
                    why = (f"prefix `{arm.prefix}` sends it to `{arm.family}`, which has no row for it: "
                           f"`unknown extern function`")
                    return feature_only or LaneVerdict(lane, LaneState.MISSING, why, (arm_provider,), family=arm.family)
                row_provider = provider_of(row)
                served = (arm_provider,) + ((row_provider,) if row_provider else ())
                how = f"`{arm.family}` row at {_where(self.project, served[-1])}"
            else:
                served = (arm_provider,)
                how = f"prefix `{arm.prefix}` family `{arm.family}` ({_where(self.project, arm_provider)})"
            if arm.feature is not None:
                feature_only = feature_only or LaneVerdict(lane, LaneState.FEATURE_ONLY, f"{how} only with "
                                                           f"`{arm.feature}`", served, arm.feature, arm.family)
                continue
            return LaneVerdict(lane, LaneState.OK, how, served, family=arm.family)
        for prefix, label, row in self.tables.capability_gaps:
            if name.startswith(prefix):
                result.capability_gap = label
                return feature_only or LaneVerdict(
                    lane, LaneState.CAPABILITY_GAP,
                    f"capability-gap family `{label}`: \"{label}: no native implementation\"",
                    (Provider(ProviderKind.PREFIX_ARM, prefix, row.path, row.name_span or row.span, family=label),),
                    family=label,
                )
        gate = result.gate
        if gate is not None and gate.passes:
            gate_rows = (gate.row,) if gate.row else ()
            if natives:
                how = f"dynamic SFFI ({gate.reason}; exported by {_where(self.project, natives[0])})"
                return LaneVerdict(lane, LaneState.OK, how, (*gate_rows, natives[0]))
            why = "no table row; the codegen row passes the dynamic gate but nothing exports it: " \
                  "plugin symbol not found"
            return feature_only or LaneVerdict(lane, LaneState.MISSING, why, gate_rows)
        if feature_only is not None:
            return feature_only
        if name in PRELUDE:
            return LaneVerdict(lane, LaneState.OK, "prelude builtin")
        if gate is not None:
            why = f"no table row, and {gate.reason}: `unknown extern function`"
        else:
            why = "no table row, no prefix family, no codegen row for dynamic SFFI: `unknown extern function`"
        return LaneVerdict(lane, LaneState.MISSING, why)

    def _jit(self, name: str, natives: list[Provider],
             interpreter: LaneVerdict | None) -> LaneVerdict:
        lane = Lane.JIT
        row = self.codegen_row(name)
        row_provider = provider_of(row) if row is not None else None
        rows = (row_provider,) if row_provider is not None else ()
        if natives:
            how = f"binds to {natives[0].kind.value} at {_where(self.project, natives[0])}"
            return LaneVerdict(lane, LaneState.OK, how, (*rows, natives[0]))
        if interpreter is not None and name.startswith(INTERP_BRIDGE_PREFIXES) and interpreter.state in (
                LaneState.OK, LaneState.FEATURE_ONLY):
            return LaneVerdict(lane, interpreter.state, f"rt_interp_call to the interpreter: {interpreter.reason}",
                               rows + interpreter.providers, interpreter.feature, interpreter.family)
        if self.project.declarations.function_count(name):
            return LaneVerdict(lane, LaneState.OK, "rt_interp_call to the interpreted Simple function", rows)
        bridge = "" if name.startswith(INTERP_BRIDGE_PREFIXES) else " (only `rt_`/`spl_` names reach the table)"
        why = f"no runtime symbol binds it and rt_interp_call cannot reach it{bridge}: the call becomes nil"
        return LaneVerdict(lane, LaneState.MISSING, why, rows)

    def _native(self, natives: list[Provider]) -> LaneVerdict:
        lane = Lane.NATIVE
        if natives:
            return LaneVerdict(lane, LaneState.OK, f"{natives[0].kind.value} at {_where(self.project, natives[0])}",
                               tuple(natives))
        return LaneVerdict(lane, LaneState.MISSING, "nothing exports it: the native build fails to link")
