"""A compact, column-wise table of one library's exported symbols.

A big library exports tens of thousands of symbols; building a ``NativeSymbol`` per
symbol up front costs more than reading the file. ``SymbolTable`` keeps the columns
(names, addresses, sizes, ELF ``st_info`` bytes) and is a ``Sequence[NativeSymbol]``
that builds each ``NativeSymbol`` the first time it is asked for. It pickles as its
columns, so a cached 70k-symbol library loads in milliseconds.

It stands where ``LibraryInfo.symbols`` expects a tuple: ``len``, iteration, indexing,
``in``, and equality with a tuple of the same symbols all work.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import overload

from sffi_lsp.model import NativeKind, NativeSymbol

_BINDINGS = {1: "GLOBAL", 2: "WEAK", 10: "UNIQUE"}  # 10: STB_GNU_UNIQUE
_TYPES = {0: "NOTYPE", 1: "OBJECT", 2: "FUNC", 5: "COMMON", 6: "TLS", 10: "IFUNC"}  # 10: STT_GNU_IFUNC
SCANS_BEFORE_INDEX = 32  # lookups per table answered by scanning before a name index is built
INFO_FUNC_GLOBAL = 1 << 4 | 2
INFO_OBJECT_GLOBAL = 1 << 4 | 1


def symbol_info(binding: str, symbol_type: str) -> int:
    """The ELF ``st_info`` byte for a binding and type name (for non-ELF readers)."""
    b = 2 if binding == "WEAK" else 1
    t = 1 if symbol_type == "OBJECT" else 2
    return b << 4 | t


class SymbolTable(Sequence[NativeSymbol]):
    __slots__ = ("_items", "_more_rows", "_rows", "_scans", "addresses", "infos", "names", "path", "sizes")

    def __init__(
        self,
        path: Path,
        names: list[str],
        addresses: Iterable[int],
        sizes: Iterable[int],
        infos: bytes | bytearray,
    ) -> None:
        self.path = path
        self.names = names
        self.addresses = addresses if isinstance(addresses, array) else array("Q", addresses)
        self.sizes = sizes if isinstance(sizes, array) else array("Q", sizes)
        self.infos = bytes(infos)
        self._items: list[NativeSymbol | None] | None = None
        self._rows: dict[str, int] | None = None  # name -> its last row, built on first use
        self._more_rows: dict[str, list[int]] = {}  # name -> its earlier rows (archives)
        self._scans = 0  # lookups answered by a scan, before the name index is built
        if not (len(names) == len(self.addresses) == len(self.sizes) == len(self.infos)):
            raise ValueError("symbol table columns differ in length")

    @classmethod
    def concat(cls, path: Path, tables: Sequence[SymbolTable]) -> SymbolTable:
        names: list[str] = []
        addresses = array("Q")
        sizes = array("Q")
        infos = bytearray()
        for table in tables:
            names.extend(table.names)
            addresses.extend(table.addresses)
            sizes.extend(table.sizes)
            infos.extend(table.infos)
        return cls(path, names, addresses, sizes, infos)

    def rows(self, name: str) -> list[int]:
        """The rows named ``name``, in order (several only in archives).

        The first ``SCANS_BEFORE_INDEX`` calls scan the names (``list.index``, a C loop:
        about 0.3 ms for 70k names); later ones build a name -> row dict once (hashing
        every name: about 13 ms for 70k) and use it. So a warm start answers its first
        lookups without paying for an index, and a busy table soon has one.
        """
        rows = self._rows
        if rows is None:
            if self._scans < SCANS_BEFORE_INDEX:
                self._scans += 1
                return self._scan(name)
            rows = self._index_names()
        last = rows.get(name)
        if last is None:
            return []
        earlier = self._more_rows.get(name)
        return [last] if earlier is None else [*earlier, last]

    def _scan(self, name: str) -> list[int]:
        names = self.names
        found: list[int] = []
        start = 0
        while True:
            try:
                start = names.index(name, start)
            except ValueError:
                return found
            found.append(start)
            start += 1

    def name_set(self) -> dict[str, int]:
        """Every name (a dict keyed by name; building it is the same one-time pass)."""
        return self._rows if self._rows is not None else self._index_names()

    def _index_names(self) -> dict[str, int]:
        names = self.names
        rows = dict(zip(names, range(len(names)), strict=True))
        if len(rows) != len(names):
            more: dict[str, list[int]] = {}
            for i, name in enumerate(names):
                if rows[name] != i:
                    more.setdefault(name, []).append(i)
            self._more_rows = more
        self._rows = rows
        return rows

    def __len__(self) -> int:
        return len(self.names)

    def _make(self, index: int) -> NativeSymbol:
        info = self.infos[index]
        return NativeSymbol(
            self.names[index], NativeKind.LIBRARY, self.path, self.addresses[index], self.sizes[index],
            _TYPES.get(info & 0xF, "FUNC"), _BINDINGS.get(info >> 4, "GLOBAL"),
        )

    @overload
    def __getitem__(self, index: int) -> NativeSymbol: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[NativeSymbol, ...]: ...
    def __getitem__(self, index: int | slice) -> NativeSymbol | tuple[NativeSymbol, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("symbol index out of range")
        items = self._items
        if items is None:
            items = self._items = [None] * len(self.names)
        item = items[index]
        if item is None:
            item = items[index] = self._make(index)
        return item

    def __iter__(self) -> Iterator[NativeSymbol]:
        for i in range(len(self.names)):
            yield self[i]

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, NativeSymbol) or value.path != self.path:
            return False
        return any(self[i] == value for i, n in enumerate(self.names) if n == value.name)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SymbolTable):
            return (self.path, self.names, self.addresses, self.sizes, self.infos) == (
                other.path, other.names, other.addresses, other.sizes, other.infos)
        if isinstance(other, tuple):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.path, tuple(self.names), self.infos))

    def __add__(self, other: Iterable[NativeSymbol]) -> tuple[NativeSymbol, ...]:
        return tuple(self) + tuple(other)

    def __repr__(self) -> str:
        return f"SymbolTable({str(self.path)!r}, {len(self)} symbols)"

    def __reduce__(self) -> tuple[object, ...]:
        return (SymbolTable, (self.path, self.names, self.addresses, self.sizes, self.infos))
