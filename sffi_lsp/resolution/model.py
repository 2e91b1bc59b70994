"""What resolving one extern name yields, lane by lane (plain data, no protocol types)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from sffi_lsp.model import Span


class Lane(str, enum.Enum):
    """An execution lane of the Simple toolchain (SFFI.md 4.1, 4.2)."""

    INTERPRETER = "interpreter"  # interpreter_extern: table, prefix families, capability gap, dynamic SFFI
    JIT = "jit"  # Cranelift JIT: runtime symbols, else rt_interp_call
    NATIVE = "native"  # AOT link / bare metal: something must export the symbol

    @property
    def label(self) -> str:
        return {"interpreter": "interpreted", "jit": "JIT", "native": "AOT"}[self.value]


class LaneState(str, enum.Enum):
    OK = "ok"  # resolves
    MISSING = "missing"  # fails, and so does every other judged lane
    GAP = "gap"  # fails here while another judged lane resolves it
    CAPABILITY_GAP = "capability-gap"  # interpreter: a capability-gap family, no row serves it
    FEATURE_ONLY = "feature-only"  # resolves only in builds with a cargo feature / cfg


class ProviderKind(str, enum.Enum):
    INTERPRETER_ROW = "interpreter-row"  # insert_simple!, m.insert, exact-name arm, fallback match
    FAMILY_ROW = "family-row"  # a family's row table (SDL2_FNS) or `match name` arm
    PREFIX_ARM = "prefix-arm"  # name.starts_with(..) in the dispatcher, family without rows
    CODEGEN_ROW = "codegen-row"  # RuntimeFuncSpec::new
    ALIAS = "alias"  # sffi_alias_target
    RUNTIME_EXPORT = "runtime-export"  # #[no_mangle] / #[export_name] Rust function
    C_DEFINITION = "c-definition"  # file-scope C/C++ definition, alias attribute
    MACRO_DEFINITION = "macro-definition"  # S1(name) with S1(n) defining n
    ASSEMBLY = "assembly"  # .globl label
    LIBRARY = "library"  # exported by a built library
    MANIFEST = "manifest"  # a plugin manifest claims it
    SIMPLE_FUNCTION = "simple-function"  # the fn behind a mangled name


@dataclass(frozen=True, slots=True)
class Provider:
    """One thing that serves (or would serve) a name: a row, an export, a definition."""

    kind: ProviderKind
    name: str  # the symbol it provides (an alias target, a prefix...)
    path: Path
    span: Span | None = None
    feature: str | None = None  # cfg feature it exists under
    family: str | None = None
    detail: str | None = None  # codegen signature, row table name, ...

    @property
    def line(self) -> int:
        """1-based line, 0 when unknown."""
        return self.span.start.line + 1 if self.span is not None else 0


@dataclass(frozen=True, slots=True)
class GateVerdict:
    """The dynamic SFFI gate (4.1 step 4): a codegen row, all-I64 params, exactly [I64], <= 13."""

    passes: bool
    reason: str  # why it passes or is refused, in words
    row: Provider | None = None


@dataclass(frozen=True, slots=True)
class LaneVerdict:
    lane: Lane
    state: LaneState
    reason: str  # how it resolves, or why and with what consequence it fails
    providers: tuple[Provider, ...] = ()
    feature: str | None = None  # for FEATURE_ONLY
    family: str | None = None  # the family it fell into, if any

    @property
    def resolves(self) -> bool:
        return self.state is LaneState.OK


@dataclass(frozen=True, slots=True)
class MangledTarget:
    """``a__b__f``: the Simple module and function a mangled name stands for (SFFI.md 4.3)."""

    module: str  # a/b
    function: str  # f
    module_path: Path | None  # the .spl file, when the workspace has it
    found: bool  # the module defines the function
    span: Span | None = None  # the function's name there


@dataclass(slots=True)
class NameResolution:
    """Everything known about one extern name: per judged lane, providers, the gate."""

    name: str
    lanes: dict[Lane, LaneVerdict] = field(default_factory=dict)  # judged lanes only
    providers: tuple[Provider, ...] = ()  # every provider found, any lane
    gate: GateVerdict | None = None  # None without a codegen row
    mangled: MangledTarget | None = None
    family: str | None = None  # the interpreter family (prefix) it falls into
    capability_gap: str | None = None  # the capability-gap family label

    def state(self, lane: Lane) -> LaneState | None:
        verdict = self.lanes.get(lane)
        return verdict.state if verdict is not None else None

    @property
    def resolved(self) -> bool:
        """Some judged lane resolves it (also only under a feature)."""
        return any(v.state in (LaneState.OK, LaneState.FEATURE_ONLY) for v in self.lanes.values())

    @property
    def defined(self) -> bool:
        """Some provider exists at all (a row, an export, a definition)."""
        return bool(self.providers)

    def failing(self) -> list[LaneVerdict]:
        return [v for v in self.lanes.values() if v.state in (LaneState.MISSING, LaneState.GAP)]
