"""Calls of externs inside the forms real Simple code uses are call sites in the index."""

from __future__ import annotations

from pathlib import Path

from sffi_lsp.index.declarations import index_text
from sffi_lsp.model import Position

P = Path("/ws/forms.spl")

TEXT = """\
extern fn rt_use(v: i64) -> i64
extern fn rt_scale(v: f32, n: i64) -> f32
extern fn rt_alloc<T>(n: i64) -> i64

fn arms(r: i64, n: i64):
    match r:
        Ok(v): rt_use(v)
        _: pass
    match n:
        1 => rt_use(1)
        _ =>
            rt_use(2)

describe "stack":
    it "pushes":
        rt_use(3)

fn launch(g: i64, b: i64, x: f32, n: i64):
    rt_scale<<<grid: g, block: b>>>(rt_scale(x, n), n)

fn lambdas(button: i64):
    button.on_click(\\e:
        val pos = e.pos
        rt_use(pos)
    )

fn generic(n: i64):
    val buf = rt_alloc<f32>(n)
"""


def test_extern_calls_inside_new_forms_are_call_sites() -> None:
    entries = index_text(P, TEXT)
    assert entries.syntax_errors == 0
    # Patterns such as `Ok(v)` are call_expressions too; the externs' calls are the point here.
    assert [(c.name, c.arg_count, c.name_span.start) for c in entries.calls if c.name.startswith("rt_")] == [
        ("rt_use", 1, Position(6, 15)),  # match arm without `case`
        ("rt_use", 1, Position(9, 13)),  # `=>` arm, inline
        ("rt_use", 1, Position(11, 12)),  # `=>` arm, indented block
        ("rt_use", 1, Position(15, 8)),  # `it` block inside `describe`
        ("rt_scale", 2, Position(18, 4)),  # kernel launch: a call of the kernel
        ("rt_scale", 2, Position(18, 36)),  # kernel launch argument
        ("rt_use", 1, Position(23, 8)),  # multi-line lambda inside call arguments
        ("rt_alloc", 1, Position(27, 14)),  # generic call: a call of its function
    ]
    assert [(c.name, c.arg_count) for c in entries.calls_named("rt_scale")] == [("rt_scale", 2), ("rt_scale", 2)]


def test_me_calls_and_calls_in_asm_free_bodies_are_found() -> None:
    text = "extern fn rt_tick(n: i64)\nclass C:\n    me run(self):\n        val r = me step(rt_tick(1))\n"
    entries = index_text(P, text)
    assert entries.syntax_errors == 0
    assert [(c.name, c.arg_count, c.name_span.start) for c in entries.calls] == [
        ("step", 1, Position(3, 19)), ("rt_tick", 1, Position(3, 24)),
    ]
