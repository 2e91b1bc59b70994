"""Generate varied, syntactically valid Simple (.spl) source for parser benchmarks.

`generate_file(seed, lines)` returns one file; the command line writes many files
(`--files N --lines L --out DIR`) or one big stress file (`--stress PATH`).
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from pathlib import Path

PRIMITIVES = ["i64", "i32", "f64", "f32", "u64", "u32", "u8", "bool", "text"]
CATEGORIES = ["file", "regex", "torch", "cuda", "net", "time", "process", "arena", "json"]
VERBS = ["open", "close", "read", "write", "new", "free", "len", "get", "set", "run", "poll"]
NOUNS = ["tensor", "handle", "buffer", "path", "lines", "stream", "image", "entry", "node"]
OS_ATOMS = ["linux", "windows", "macos", "x86_64", "aarch64", "debug", "release"]
INDENT = "    "


class _Writer:
    """Accumulates lines of Simple code from a seeded random source."""

    def __init__(self, seed: int, real_forms: bool = True) -> None:
        self.rng = random.Random(seed)
        self.real_forms = real_forms
        self.lines: list[str] = []
        self.counter = 0

    # -- names -------------------------------------------------------------
    def uid(self) -> int:
        self.counter += 1
        return self.counter

    def ident(self) -> str:
        return f"{self.rng.choice(VERBS)}_{self.rng.choice(NOUNS)}{self.uid()}"

    def type_name(self) -> str:
        return f"{self.rng.choice(NOUNS).capitalize()}{self.uid()}"

    def extern_name(self) -> str:
        return f"rt_{self.rng.choice(CATEGORIES)}_{self.rng.choice(VERBS)}_{self.uid()}"

    # -- types -------------------------------------------------------------
    def type_(self, depth: int = 0) -> str:
        r = self.rng.random()
        if depth > 1 or r < 0.45:
            return self.rng.choice(PRIMITIVES)
        if r < 0.6:
            return f"[{self.type_(depth + 1)}]"
        if r < 0.7:
            return f"{self.type_(depth + 1)}?"
        if r < 0.78:
            items = ", ".join(self.type_(depth + 1) for _ in range(self.rng.randint(2, 3)))
            return f"({items})"
        if r < 0.86:
            return f"List<{self.type_(depth + 1)}>"
        if r < 0.92:
            return f"Map<text, {self.type_(depth + 1)}>"
        if r < 0.97:
            return f"{self.rng.choice(PRIMITIVES)} | {self.rng.choice(PRIMITIVES)}"
        return "dict"

    def params(self, count: int, multiline: bool, indent: str) -> str:
        names = [f"{self.rng.choice(NOUNS)}{i}" for i in range(count)]
        parts = [f"{name}: {self.type_()}" for name in names]
        if not multiline or count == 0:
            return "(" + ", ".join(parts) + ")"
        inner = indent + INDENT
        body = []
        for i, part in enumerate(parts):
            if self.rng.random() < 0.25:
                body.append(f"{inner}# parameter {i}")
            lead = "/* c */ " if self.rng.random() < 0.1 else ""
            trail = "  # note" if self.rng.random() < 0.15 else ""
            body.append(f"{inner}{lead}{part},{trail}")
        return "(\n" + "\n".join(body) + f"\n{indent})"

    # -- expressions -------------------------------------------------------
    def string(self) -> str:
        r = self.rng.random()
        if r < 0.4:
            return f'"{self.rng.choice(NOUNS)} # not a comment"'
        if r < 0.7:
            return f'"value = {{x{self.rng.randint(0, 9)} + 1}} and {{name.len()}}"'
        if r < 0.85:
            return 'r"C:\\raw\\{path}"'
        return '"tab\\t quote\\" brace {{x}} {}"'

    def atom(self) -> str:
        choices: list[Callable[[], str]] = [
            lambda: str(self.rng.randint(0, 1000)),
            lambda: self.rng.choice(["0xFF_FF", "0b1010", "1_000", "42i64", "7u8"]),
            lambda: f"{self.rng.randint(0, 99)}.{self.rng.randint(0, 99)}",
            lambda: self.rng.choice(["true", "false", "nil", "self.count"]),
            lambda: f"x{self.rng.randint(0, 9)}",
            self.string,
        ]
        return self.rng.choice(choices)()

    def expr(self, depth: int = 0) -> str:
        if depth > 2:
            return self.atom()
        r = self.rng.random()
        sub = lambda: self.expr(depth + 1)  # noqa: E731 - local shorthand
        if r < 0.25:
            return self.atom()
        if r < 0.4:
            op = self.rng.choice(["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "and", "or", "??", "<<", "&", "|"])
            return f"{sub()} {op} {sub()}"
        if r < 0.5:
            return f"{self.extern_name()}({sub()}, {sub()})"
        if r < 0.58:
            return f"obj.{self.rng.choice(VERBS)}({sub()}).{self.rng.choice(NOUNS)}"
        if r < 0.64:
            return f"[{sub()}, {sub()}]"
        if r < 0.68:
            return f'{{"k": {sub()}, "v": {sub()}}}'
        if r < 0.72:
            return f"({sub()}, {sub()})"
        if r < 0.76:
            return f"\\x: x * {self.atom()}"
        if r < 0.8:
            return "items.map(fn(v): v + 1).filter(\\v: v > 0)[0]"
        if r < 0.84:
            return f"not {sub()}"
        if r < 0.88:
            return f"(x{self.rng.randint(0, 9)} as i64)"
        if r < 0.92:
            return f"0..{self.rng.randint(1, 100)}"
        if r < 0.94 or (r < 0.96 and not self.real_forms):
            return f"Point(x: {sub()}, y: {sub()})"
        if r < 0.95 and self.real_forms:
            return self.rng.choice([
                f"alloc<f32>({self.atom()})", "Frag<16, 16, f32>.zero()", f"&buf{self.uid()} as u64",
                "*(p as rawptr<u64>)", "embed(d) ~> norm(d)", f"[0; {self.rng.randint(1, 64)}]",
                "[for i in r: i * 2]", "me read_it(1)", "a .+ b .* c", "w @ x", "100_ms", "m{ x^2 }",
            ])
        if r < 0.96 and self.real_forms:
            return self.rng.choice(['"\\u{001b}[0m"', '"{avg:.2} {x:x}"', 'r"say \\"hi\\""', '"{xs.join(\\",\\")}"'])
        return "read_value()?"

    # -- statements --------------------------------------------------------
    def emit(self, indent: str, text: str) -> None:
        self.lines.extend(indent + line if line else "" for line in text.split("\n"))

    def body(self, indent: str, budget: int, depth: int = 0) -> None:
        """Emit about `budget` statements at `indent` (never an empty block)."""
        for _ in range(max(1, budget)):
            self.statement(indent, depth)

    def statement(self, indent: str, depth: int) -> None:
        r = self.rng.random()
        inner = indent + INDENT
        if depth >= 3 or r < 0.3:
            kind = self.rng.choice(["val", "var", "assign", "aug", "call", "return", "pass"])
            if kind in ("val", "var"):
                self.emit(indent, f"{kind} x{self.rng.randint(0, 9)}: {self.type_()} = {self.expr()}")
            elif kind == "assign":
                self.emit(indent, f"self.count = {self.expr()}")
            elif kind == "aug":
                self.emit(indent, f"x{self.rng.randint(0, 9)} {self.rng.choice(['+=', '-=', '*=', '??='])} {self.expr()}")
            elif kind == "call":
                self.emit(indent, f"{self.extern_name()}({self.expr()})  # call")
            elif kind == "return":
                self.emit(indent, f"return {self.expr()}")
            else:
                self.emit(indent, "pass")
        elif r < 0.45:
            self.emit(indent, f"if {self.expr()}:")
            self.body(inner, 2, depth + 1)
            if self.rng.random() < 0.5:
                self.emit(indent, f"elif {self.expr()}:")
                self.body(inner, 1, depth + 1)
            if self.rng.random() < 0.5:
                self.emit(indent, "else:")
                self.body(inner, 1, depth + 1)
        elif r < 0.55:
            self.emit(indent, f"for i, item in {self.expr()}:")
            self.body(inner, 2, depth + 1)
        elif r < 0.62:
            self.emit(indent, f"while x{self.rng.randint(0, 9)} < {self.rng.randint(1, 50)}:")
            self.body(inner, 1, depth + 1)
            self.emit(inner, "break")
        elif r < 0.68:
            self.emit(indent, "loop:")
            self.emit(inner, "if done(): break")
            self.emit(inner, "continue")
        elif r < 0.78:
            self.emit(indent, f"match {self.expr()}:")
            self.emit(inner, f"case 1 | 2: {self.expr()}")
            self.emit(inner, "case Some(v) if v > 0:")
            self.body(inner + INDENT, 1, depth + 1)
            self.emit(inner, "case _:")
            self.emit(inner + INDENT, "pass")
        elif r < 0.84:
            self.emit(indent, f"# {self.rng.choice(NOUNS)} comment")
            self.emit(indent, f"val s = {self.string()}")
        elif r < 0.9:
            self.emit(indent, "try:")
            self.body(inner, 1, depth + 1)
            self.emit(indent, "catch e:")
            self.emit(inner, "throw e")
        elif r < 0.93:
            self.emit(indent, "val total = builder")
            self.emit(inner, f".add({self.expr()})")
            self.emit(inner, ".build()")
        elif r < 0.96:
            self.emit(indent, f"val pick = if {self.expr()}:")
            self.body(inner, 1, depth + 1)
            self.emit(inner, f"if x1 > 0: {self.atom()} else: {self.atom()}")
            self.emit(indent, "else:")
            self.emit(inner, self.expr())
        elif r < 0.98 or not self.real_forms:
            self.emit(indent, "unsafe(capabilities: [ffi]):")
            self.emit(inner, f"{self.extern_name()}({self.atom()})")
            self.emit(indent, f"print {self.atom()}")
        else:
            self.real_code_statement(indent, depth)

    def real_code_statement(self, indent: str, depth: int) -> None:
        """The statement forms real code bases use beyond the summary grammar."""
        inner = indent + INDENT
        kind = self.rng.randrange(9)
        if kind == 0:
            self.emit(indent, f"match {self.expr()}:")
            self.emit(inner, f"Ok(v): {self.extern_name()}(v)")
            self.emit(inner, f"1 => {self.expr()}")
            self.emit(inner, "Err(e) if e > 0 =>")
            self.emit(inner + INDENT, f"{self.extern_name()}(e)")
            self.emit(inner, "_: pass_todo(\"later\")")
        elif kind == 1:
            self.emit(indent, f"if {self.expr()}:")
            self.body(inner, 1, depth + 1)
            self.emit(indent, f"else if {self.expr()}:")
            self.body(inner, 1, depth + 1)
        elif kind == 2:
            self.emit(indent, f"{self.extern_name()}<<<grid: g, block: b, stream: s>>>({self.atom()}, n)")
        elif kind == 3:
            self.emit(indent, "items.each(\\item:")
            self.emit(inner, "val pos = item.pos")
            self.emit(inner, f"{self.extern_name()}(pos)")
            self.emit(indent, ")")
        elif kind == 4:
            self.emit(indent, "asm volatile: \"wfi\"")
            self.emit(indent, "asm:")
            self.emit(inner, '"mov {r}, {v}"')
            self.emit(inner, "in(reg) v")
            self.emit(inner, "out(reg) r")
            self.emit(inner, "clobbers: [memory]")
        elif kind == 5:
            self.emit(indent, "with open(path) as f:")
            self.emit(inner, "yield f")
        elif kind == 6:
            self.emit(indent, "match = false")
            self.emit(indent, "x ~= fetch()")
            self.emit(indent, f"val q = {self.extern_name()}(&buf, *p)")
        elif kind == 7:
            self.emit(indent, f"if (n := {self.extern_name()}()) > 0:")
            self.emit(inner, "me step(n)")
        else:
            self.emit(indent, "for~ e in stream:")
            self.emit(inner, "if~ ready: go(e)")

    # -- items -------------------------------------------------------------
    def extern(self, indent: str = "") -> None:
        r = self.rng.random()
        name = self.extern_name()
        count = self.rng.randint(0, 5)
        multiline = count > 2 and self.rng.random() < 0.4
        params = self.params(count, multiline, indent)
        ret = "" if self.rng.random() < 0.25 else f" -> {self.type_()}"
        if self.rng.random() < 0.3:
            self.emit(indent, f"# {name}: native entry point")
        if self.rng.random() < 0.1:
            self.emit(indent, "/// Returns 0 on failure.")
        prefix = self.rng.choice(["extern fn", "extern fn", "extern fn", "pub extern fn", "extern async fn", "@extern fn"])
        generics = "<T>" if r < 0.08 else ""
        self.emit(indent, f"{prefix} {name}{generics}{params}{ret}")

    def function(self, indent: str = "", method: bool = False) -> None:
        inner = indent + INDENT
        keyword = self.rng.choice(["fn", "fn", "me", "static fn"]) if method else self.rng.choice(["fn", "fn", "pub fn", "async fn"])
        name = self.ident()
        params = self.params(self.rng.randint(0, 3), self.rng.random() < 0.15, indent)
        ret = f" -> {self.type_()}" if self.rng.random() < 0.7 else ""
        if self.rng.random() < 0.2:
            self.emit(indent, f"{keyword} {name}{params}{ret}: {self.expr()}")
            return
        if ret and self.rng.random() < 0.1:
            self.emit(indent, f"{keyword} {name}{params}")
            self.emit(indent + INDENT, f"{ret.strip()}:")
        else:
            self.emit(indent, f"{keyword} {name}{params}{ret}:")
        if self.rng.random() < 0.3:
            self.emit(inner, f'"""{name}: generated docstring."""')
        self.body(inner, self.rng.randint(1, 4))

    def klass(self) -> None:
        kind = self.rng.choice(["class", "class", "struct", "actor"])
        name = self.type_name()
        self.emit("", f"{kind} {name}:")
        if self.rng.random() < 0.5:
            self.emit(INDENT, f'"""{name} wraps a native handle."""')
        self.emit(INDENT, "handle: i64")
        self.emit(INDENT, f"label: text = {self.string()}")
        for _ in range(self.rng.randint(1, 3)):
            self.emit("", "")
            self.function(INDENT, method=True)

    def spec(self) -> None:
        """A test file's block calls: describe / context / it / before_each."""
        self.emit("", f"describe \"{self.rng.choice(NOUNS)}\":")
        self.emit(INDENT, "before_each:")
        self.emit(INDENT * 2, "reset()")
        self.emit(INDENT, f"context \"when {self.rng.choice(VERBS)}\":")
        self.emit(INDENT * 2, f"it \"{self.rng.choice(VERBS)}s\":")
        self.body(INDENT * 3, 2, 2)

    def hardware(self) -> None:
        """Bare-metal items: bitfields, MMIO registers, shared state."""
        self.emit("", f"bitfield {self.type_name()}:")
        self.emit(INDENT, "ready: u32:1")
        self.emit(INDENT, "mode: u32:3")
        self.emit("", f"val reg{self.uid()} = @address(0x1000) @volatile var: u32")
        self.emit("", f"shared var counter{self.uid()}: i64 = 0")
        self.emit("", f"#if os={self.rng.choice(OS_ATOMS)}")
        self.extern()
        self.emit("", "#endif")

    def enum(self) -> None:
        if self.real_forms and self.rng.random() < 0.3:
            self.emit("", f"enum {self.type_name()}:")
            self.emit(INDENT, "Red | Green | Blue")
            return
        self.emit("", f"enum {self.type_name()}:")
        self.emit(INDENT, "Empty")
        self.emit(INDENT, f"Circle(radius: {self.rng.choice(PRIMITIVES)})")
        self.emit(INDENT, "Red, Green, Blue")
        self.emit(INDENT, "fn is_empty(self) -> bool: self == Empty")

    def conditional_externs(self) -> None:
        r = self.rng.random()
        if r < 0.4:
            self.emit("", f"#if {self.rng.choice(OS_ATOMS)}")
            self.extern()
            self.emit("", "#else" + self.rng.choice(["", ":"]))
            self.extern()
            self.emit("", "#endif")
        elif r < 0.7:
            self.emit("", f"@when({self.rng.choice(OS_ATOMS)}):")
            self.extern(INDENT)
            self.emit("", f"@elif({self.rng.choice(OS_ATOMS)}):")
            self.extern(INDENT)
            self.emit("", "@else:")
            self.extern(INDENT)
            self.emit("", "@end")
        else:
            self.emit("", self.rng.choice([f"@cfg({self.rng.choice(OS_ATOMS)})", '@cfg("target_os", "linux")']))
            self.extern()

    def header(self) -> None:
        self.emit("", f"# {self.rng.choice(CATEGORIES)} SFFI Bindings (generated)")
        self.emit("", "#![allow(unused_variables)]")
        self.emit("", f"use lib.{self.rng.choice(CATEGORIES)}.ffi.*")
        self.emit("", f"use std.{self.rng.choice(CATEGORIES)}.{{{self.ident()},")
        self.emit("", f"    {self.ident()}}}")
        self.emit("", f"export {self.ident()}, {self.ident()}")
        self.emit("", f"type Handle{self.uid()} = i64")
        self.emit("", f"const LIMIT{self.uid()}: i64 = {self.rng.randint(1, 1 << 20)}")
        self.emit("", "")


def generate_file(seed: int, lines: int, real_forms: bool = True) -> str:
    """Return valid Simple code of at least `lines` lines, deterministic in `seed`.

    `real_forms` adds the forms real code bases use (match arms without `case`, block calls,
    kernel launches, generic calls, multi-line lambdas, asm operands, ...); without it the
    text is the summary grammar's only."""
    writer = _Writer(seed, real_forms)
    writer.header()
    makers: list[Callable[[], None]] = [
        writer.extern,
        writer.extern,
        writer.function,
        writer.klass,
        writer.enum,
        writer.conditional_externs,
    ]
    if real_forms:
        makers += [writer.spec, writer.hardware]
    while len(writer.lines) < lines:
        writer.rng.choice(makers)()
        writer.emit("", "")
    return "\n".join(writer.lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10, help="number of files to write")
    parser.add_argument("--lines", type=int, default=500, help="lines per file (at least)")
    parser.add_argument("--out", type=Path, default=Path("bench/.data/simple"), help="output directory")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first file")
    parser.add_argument("--stress", type=Path, help="write one file of --lines lines here instead")
    args = parser.parse_args(argv)
    if args.stress:
        args.stress.parent.mkdir(parents=True, exist_ok=True)
        args.stress.write_text(generate_file(args.seed, args.lines))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for index in range(args.files):
        path = args.out / f"gen_{args.seed + index:05d}.spl"
        path.write_text(generate_file(args.seed + index, args.lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
