"""LineIndex: UTF-8 byte offsets and LSP (UTF-16) positions agree, out-of-range input is clamped."""

from sffi_lsp.model import Position
from sffi_lsp.text import LineIndex, decode


def test_ascii_offsets_and_positions_round_trip() -> None:
    index = LineIndex.from_text("extern fn rt_a()\nfn b():\n    pass\n")
    assert index.offset_to_position(17) == Position(1, 0)
    assert index.position_to_offset(Position(2, 4)) == 29
    assert index.span(10, 14).range == (Position(0, 10), Position(0, 14))


def test_non_ascii_columns_count_utf16_code_units() -> None:
    # "é" is 2 bytes / 1 UTF-16 unit; "𝕏" is 4 bytes / 2 UTF-16 units.
    text = 'val s = "é𝕏"; rt_x()\n'
    index = LineIndex.from_text(text)
    call = text.encode().index(b"rt_x")
    assert call == 18
    assert index.offset_to_position(call) == Position(0, 15)
    assert index.position_to_offset(Position(0, 15)) == call
    assert index.point_to_position(0, call) == Position(0, 15)


def test_out_of_range_positions_are_clamped() -> None:
    index = LineIndex.from_text("ab\ncd")
    assert index.position_to_offset(Position(0, 99)) == 2
    assert index.position_to_offset(Position(42, 0)) == 5
    assert index.position_to_offset(Position(-1, 0)) == 0
    assert index.offset_to_position(999) == Position(1, 2)


def test_invalid_utf8_decodes_with_replacement() -> None:
    text = decode(b"extern fn rt_\xff()\n")
    assert text == "extern fn rt_\ufffd()\n"
    assert LineIndex.from_text(text).line_count == 2


def test_cli_columns_are_characters() -> None:
    index = LineIndex.from_text("é𝕏x")
    assert index.column_1based(Position(0, 3)) == 3
