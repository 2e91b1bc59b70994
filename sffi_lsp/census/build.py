"""Building the census of a workspace: every extern name the workspace declares (and every
prefixed export nobody declares), its declarations and call sites from the declaration
index ``check`` reads, its lanes and providers from the lane resolution, its class and
its signature drift."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from sffi_lsp.census.drift import Shape, compare, declaration_shape, distinct, native_shape
from sffi_lsp.census.model import Census, CensusClass, CensusRow, LaneCell
from sffi_lsp.model import Declaration, DeclKind, NativeKind
from sffi_lsp.resolution import LaneResolver, LaneState, NameResolution
from sffi_lsp.workspace.project import Project

# Helpers the generator exports for the runtime's own marshalling, not for Simple code
# (as SFFI011 leaves them out).
INTERNAL_SUFFIXES = ("_free_string",)


def build_census(project: Project, resolver: LaneResolver | None = None) -> Census:
    """The census of ``project``, rows sorted by name."""
    resolver = resolver or LaneResolver(project)
    index = project.declarations
    declared: dict[str, list[Declaration]] = {}
    for decl in index.sorted_externs():  # the declarations SFFI001/SFFI006 read
        if decl.kind is DeclKind.EXTERN_FN:
            declared.setdefault(decl.name, []).append(decl)
    opaque = frozenset(d.name for d in index.sorted_externs() if d.kind is DeclKind.EXTERN_TYPE)
    census = Census(project.root, resolver.judged)
    for name, decls in declared.items():
        resolution = resolver.resolve(name)
        calls = len(index.calls(name))
        klass = _classify(resolution, calls, _shadowed(project, name))
        census.rows.append(_row(project, resolver, resolution, klass, decls, calls, opaque))
    for name in sorted(undeclared_exports(project, declared.keys())):
        resolution = resolver.resolve(name)
        census.rows.append(_row(project, resolver, resolution, CensusClass.UNDECLARED_EXPORT, [],
                                len(index.calls(name)), opaque))
    census.rows.sort(key=lambda r: r.name)
    return census


def _shadowed(project: Project, name: str) -> bool:
    """A top-level Simple ``fn`` of this name exists: calls reach it, not the extern."""
    index = project.declarations
    if not index.function_count(name):
        return False
    return any(d.kind is DeclKind.FN and d.container is None for d in index.declarations(name))


def _classify(resolution: NameResolution, calls: int, shadowed: bool) -> CensusClass:
    if shadowed:
        return CensusClass.SHADOWED
    if calls == 0:
        return CensusClass.DEAD
    states = {v.state for v in resolution.lanes.values()}
    if not resolution.resolved:
        return CensusClass.CAPABILITY_GAP if LaneState.CAPABILITY_GAP in states else CensusClass.UNRESOLVED
    if LaneState.CAPABILITY_GAP in states:
        return CensusClass.CAPABILITY_GAP
    if states - {LaneState.OK}:
        return CensusClass.LANE_GAP
    return CensusClass.OK


def undeclared_exports(project: Project, declared: Collection[str]) -> Iterator[str]:
    """Names with one of the project's extern prefixes that a library (the runtime's too)
    exports or a Rust/C source defines, and that no ``extern fn`` declares."""
    prefixes = tuple(project.settings.extern_prefixes)
    natives = project.natives
    candidates: set[str] = set()
    for info in natives.libraries.values():
        candidates.update(s.name for s in info.symbols if s.symbol_type in (None, "FUNC"))
    for symbols in natives.source_symbols.values():
        candidates.update(
            s.name for s in symbols
            if s.kind in (NativeKind.RUST_SOURCE, NativeKind.C_SOURCE) and s.symbol_type != "declaration"
        )
    return (
        name for name in candidates
        if name.startswith(prefixes) and name not in declared
        and not name.endswith(INTERNAL_SUFFIXES)
    )


def _row(project: Project, resolver: LaneResolver, resolution: NameResolution, klass: CensusClass,
         decls: list[Declaration], calls: int, opaque: frozenset[str]) -> CensusRow:
    lanes = {lane: LaneCell(v.state, v.feature if v.state is LaneState.FEATURE_ONLY else None, v.reason)
             for lane, v in resolution.lanes.items()}
    drift = _drift(project, resolver, resolution.name, decls, opaque)
    return CensusRow(resolution.name, klass, len(decls), calls, lanes, resolution.providers,
                     drift[1] if drift else None, drift[0] if drift else None)


def _drift(project: Project, resolver: LaneResolver, name: str, decls: list[Declaration],
           opaque: frozenset[str]) -> tuple[str, str] | None:
    shapes: list[Shape] = []
    row = resolver.codegen_row(name)
    symbols = ([row] if row is not None else []) + [
        s for s in project.natives.lookup(name) if s.kind in (NativeKind.RUST_SOURCE, NativeKind.C_SOURCE)
    ]
    for symbol in symbols:
        shape = native_shape(symbol)
        if shape is not None:
            shapes.append(shape)
    for decl in decls:
        shape = declaration_shape(decl, opaque)
        if shape is not None:
            shapes.append(shape)
    return compare(distinct(shapes), project.relative) if len(shapes) > 1 else None
