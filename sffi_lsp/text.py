"""Text documents: decoding, and conversion between UTF-8 byte offsets and LSP positions.

Every file is decoded as UTF-8 with replacement characters; the parsers see the UTF-8
encoding of that decoded text, so byte offsets and positions always agree.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path

from sffi_lsp.model import Position, Span


def decode(data: bytes) -> str:
    """Decode file content as UTF-8, replacing invalid sequences (never raises)."""
    return data.decode("utf-8", errors="replace")


def read_text(path: Path) -> str:
    return decode(path.read_bytes())


def utf16_len(text: str) -> int:
    """The number of UTF-16 code units of ``text``."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


class LineIndex:
    """Maps byte offsets and (line, byte column) points to LSP positions and back."""

    __slots__ = ("ascii", "data", "line_starts")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.ascii = data.isascii()  # then byte columns are UTF-16 columns: no decoding
        starts = [0]
        find = data.find
        pos = find(b"\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find(b"\n", pos + 1)
        self.line_starts = starts

    @classmethod
    def from_text(cls, text: str) -> LineIndex:
        return cls(text.encode("utf-8"))

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_bytes(self, line: int) -> bytes:
        start = self.line_starts[line]
        end = self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.data)
        return self.data[start:end]

    def point_to_position(self, row: int, byte_column: int) -> Position:
        """A tree-sitter point (row, byte column) as an LSP position."""
        if self.ascii and row < len(self.line_starts):
            return Position(row, byte_column)
        if row >= len(self.line_starts):
            row = len(self.line_starts) - 1
            byte_column = len(self.line_bytes(row))
        start = self.line_starts[row]
        prefix = self.data[start : start + byte_column]
        if prefix.isascii():
            return Position(row, len(prefix))
        return Position(row, utf16_len(prefix.decode("utf-8", errors="replace")))

    def offset_to_position(self, offset: int) -> Position:
        offset = max(0, min(offset, len(self.data)))
        row = bisect_right(self.line_starts, offset) - 1
        return self.point_to_position(row, offset - self.line_starts[row])

    def position_to_offset(self, position: Position) -> int:
        """The byte offset of an LSP position; out-of-range positions are clamped."""
        line, character = position
        if line < 0:
            return 0
        if line >= len(self.line_starts):
            return len(self.data)
        raw = self.line_bytes(line)
        content = raw[:-1] if raw.endswith(b"\n") else raw
        start = self.line_starts[line]
        if content.isascii():
            return start + min(max(character, 0), len(content))
        units = 0
        consumed = 0
        for ch in content.decode("utf-8", errors="replace"):
            if units >= character:
                break
            units += 2 if ord(ch) > 0xFFFF else 1
            consumed += len(ch.encode("utf-8"))
        return start + min(consumed, len(content))

    def position_to_point(self, position: Position) -> tuple[int, int]:
        """An LSP position as a tree-sitter point (row, byte column)."""
        offset = self.position_to_offset(position)
        row = bisect_right(self.line_starts, offset) - 1
        return row, offset - self.line_starts[row]

    def span(self, start_byte: int, end_byte: int) -> Span:
        (sl, sc), (el, ec) = self.offset_to_position(start_byte), self.offset_to_position(end_byte)
        return Span(sl, sc, el, ec, start_byte, end_byte)

    def span_from_points(
        self, start_byte: int, end_byte: int, start_point: tuple[int, int], end_point: tuple[int, int]
    ) -> Span:
        """A span from a tree-sitter node's bytes and points (avoids a bisect per end)."""
        if self.ascii:
            return Span(start_point[0], start_point[1], end_point[0], end_point[1], start_byte, end_byte)
        (sl, sc), (el, ec) = self.point_to_position(*start_point), self.point_to_position(*end_point)
        return Span(sl, sc, el, ec, start_byte, end_byte)

    def column_1based(self, position: Position) -> int:
        """A 1-based column for human-facing output (counted in characters)."""
        raw = self.line_bytes(position.line) if position.line < len(self.line_starts) else b""
        offset = self.position_to_offset(position) - self.line_starts[min(position.line, len(self.line_starts) - 1)]
        return len(raw[:offset].decode("utf-8", errors="replace")) + 1
