import * as assert from 'assert';
import { Token, scopesOf, tokenize } from './tokenize';

const S = 'source.simple';
const W = 'source.wrapper-spec';

async function line(scope: string, text: string): Promise<Token[]> {
  return (await tokenize(scope, text))[0];
}

describe('simple.tmLanguage.json', () => {
  it('scopes an extern fn declaration', async () => {
    const t = await line(S, 'extern fn rt_regex_new(pattern: text) -> i64');
    const m = [S, 'meta.function.extern.simple'];
    const p = [...m, 'meta.parameters.simple'];
    assert.deepStrictEqual(t, [
      { text: 'extern', scopes: [...m, 'storage.modifier.extern.simple'] },
      { text: ' ', scopes: m },
      { text: 'fn', scopes: [...m, 'storage.type.function.simple'] },
      { text: ' ', scopes: m },
      { text: 'rt_regex_new', scopes: [...m, 'entity.name.function.extern.simple', 'support.function.native.simple'] },
      { text: '(', scopes: [...p, 'punctuation.definition.parameters.begin.simple'] },
      { text: 'pattern', scopes: [...p, 'variable.parameter.simple'] },
      { text: ':', scopes: [...p, 'punctuation.separator.type.simple'] },
      { text: ' ', scopes: p },
      { text: 'text', scopes: [...p, 'support.type.primitive.simple'] },
      { text: ')', scopes: [...p, 'punctuation.definition.parameters.end.simple'] },
      { text: ' ', scopes: m },
      { text: '->', scopes: [...m, 'keyword.operator.arrow.simple'] },
      { text: ' ', scopes: m },
      { text: 'i64', scopes: [...m, 'support.type.primitive.simple'] },
    ]);
  });

  it('scopes a void extern with a tuple/optional return and a capitalised type', async () => {
    const t = await line(S, 'extern fn rt_process_run(cmd: text, args: [text]) -> (text, Handle, i64)?');
    assert.deepStrictEqual(scopesOf(t, 'rt_process_run').slice(-2), [
      'entity.name.function.extern.simple',
      'support.function.native.simple',
    ]);
    assert.deepStrictEqual(scopesOf(t, 'args'), [S, 'meta.function.extern.simple', 'meta.parameters.simple', 'variable.parameter.simple']);
    assert.deepStrictEqual(scopesOf(t, 'Handle'), [S, 'meta.function.extern.simple', 'entity.name.type.simple']);
    assert.deepStrictEqual(scopesOf(t, '?'), [S, 'meta.function.extern.simple', 'keyword.operator.optional.simple']);
  });

  it('distinguishes a #if directive from a # comment', async () => {
    const [directive, comment, elseLine, endif] = await tokenize(S, '#if os == "linux":\n# if this is a comment\n#else\n#endif');
    assert.deepStrictEqual(directive.slice(0, 2), [
      { text: '#', scopes: [S, 'meta.preprocessor.simple', 'keyword.control.directive.simple', 'punctuation.definition.directive.simple'] },
      { text: 'if', scopes: [S, 'meta.preprocessor.simple', 'keyword.control.directive.simple'] },
    ]);
    assert.deepStrictEqual(scopesOf(directive, ':'), [S, 'meta.preprocessor.simple', 'punctuation.separator.colon.simple']);
    assert.deepStrictEqual(comment, [
      { text: '#', scopes: [S, 'comment.line.number-sign.simple', 'punctuation.definition.comment.simple'] },
      { text: ' if this is a comment', scopes: [S, 'comment.line.number-sign.simple'] },
    ]);
    assert.deepStrictEqual(scopesOf(elseLine, 'else'), [S, 'meta.preprocessor.simple', 'keyword.control.directive.simple']);
    assert.deepStrictEqual(scopesOf(endif, 'endif'), [S, 'meta.preprocessor.simple', 'keyword.control.directive.simple']);
  });

  it('does not take #ifdef or a mid-line # for a directive', async () => {
    const [ifdef, trailing] = await tokenize(S, '#ifdef X\nval x = 1 # if not');
    assert.deepStrictEqual(ifdef[0].scopes, [S, 'comment.line.number-sign.simple', 'punctuation.definition.comment.simple']);
    assert.deepStrictEqual(scopesOf(trailing, ' if not'), [S, 'comment.line.number-sign.simple']);
  });

  it('scopes an interpolated string', async () => {
    const t = await line(S, '"a {x} b"');
    const str = [S, 'string.quoted.double.simple'];
    const interp = [...str, 'meta.interpolation.simple'];
    assert.deepStrictEqual(t, [
      { text: '"', scopes: [...str, 'punctuation.definition.string.begin.simple'] },
      { text: 'a ', scopes: str },
      { text: '{', scopes: [...interp, 'punctuation.section.interpolation.begin.simple'] },
      { text: 'x', scopes: [...interp, 'source.simple.embedded'] },
      { text: '}', scopes: [...interp, 'punctuation.section.interpolation.end.simple'] },
      { text: ' b', scopes: str },
      { text: '"', scopes: [...str, 'punctuation.definition.string.end.simple'] },
    ]);
  });

  it('scopes a raw string without escapes or interpolation', async () => {
    const t = await line(S, 'r"C:\\dir\\{x}"');
    const raw = [S, 'string.quoted.double.raw.simple'];
    assert.deepStrictEqual(t, [
      { text: 'r', scopes: [...raw, 'storage.type.string.simple'] },
      { text: '"', scopes: [...raw, 'punctuation.definition.string.begin.simple'] },
      { text: 'C:\\dir\\{x}', scopes: raw },
      { text: '"', scopes: [...raw, 'punctuation.definition.string.end.simple'] },
    ]);
  });

  it('scopes a triple-quoted string across lines', async () => {
    const [first, second] = await tokenize(S, '"""Doc "quoted"\nend"""');
    const tri = [S, 'string.quoted.triple.simple'];
    assert.deepStrictEqual(first, [
      { text: '"""', scopes: [...tri, 'punctuation.definition.string.begin.simple'] },
      { text: 'Doc "quoted"', scopes: tri },
    ]);
    assert.deepStrictEqual(second, [
      { text: 'end', scopes: tri },
      { text: '"""', scopes: [...tri, 'punctuation.definition.string.end.simple'] },
    ]);
  });

  it('scopes numbers: hex with suffix, binary, underscores, floats', async () => {
    const t = await line(S, '0xFF_u8 0b1010_1010 1_000_000 3.14e-2 2.5_f32');
    assert.deepStrictEqual(t.filter((x) => x.text.trim() !== ''), [
      { text: '0xFF', scopes: [S, 'constant.numeric.hex.simple'] },
      { text: '_u8', scopes: [S, 'constant.numeric.hex.simple', 'storage.type.numeric.simple'] },
      { text: '0b1010_1010', scopes: [S, 'constant.numeric.binary.simple'] },
      { text: '1_000_000', scopes: [S, 'constant.numeric.integer.simple'] },
      { text: '3.14e-2', scopes: [S, 'constant.numeric.float.simple'] },
      { text: '2.5', scopes: [S, 'constant.numeric.float.simple'] },
      { text: '_f32', scopes: [S, 'constant.numeric.float.simple', 'storage.type.numeric.simple'] },
    ]);
  });

  it('scopes inner attributes, @cfg/@when attributes, doc and nested block comments', async () => {
    const [inner, cfg, when, doc, block] = await tokenize(
      S,
      '#![allow(unused)]\n@cfg("os", "linux")\n@when(debug):\n/// Docs\n/* a /* b */ c */ val',
    );
    assert.deepStrictEqual(inner[0].scopes, [S, 'meta.attribute.inner.simple', 'punctuation.definition.attribute.simple']);
    assert.strictEqual(inner[0].text, '#!');
    assert.deepStrictEqual(scopesOf(cfg, 'cfg'), [S, 'meta.attribute.simple', 'entity.name.function.attribute.simple']);
    assert.deepStrictEqual(scopesOf(cfg, 'linux'), [S, 'meta.attribute.simple', 'string.quoted.double.simple']);
    assert.deepStrictEqual(scopesOf(when, 'when'), [S, 'meta.attribute.simple', 'entity.name.function.attribute.simple']);
    assert.deepStrictEqual(doc, [
      { text: '///', scopes: [S, 'comment.line.documentation.simple', 'punctuation.definition.comment.simple'] },
      { text: ' Docs', scopes: [S, 'comment.line.documentation.simple'] },
    ]);
    assert.deepStrictEqual(scopesOf(block, ' b '), [S, 'comment.block.simple', 'comment.block.simple']);
    assert.deepStrictEqual(scopesOf(block, ' c '), [S, 'comment.block.simple']);
    assert.deepStrictEqual(scopesOf(block, 'val'), [S, 'storage.type.variable.simple']);
  });

  it('scopes fn declarations, rt_* calls, keywords and types', async () => {
    const [decl, body, cls] = await tokenize(S, 'fn regex_new(p: text) -> Regex:\n    return rt_regex_new(p)\nclass Regex:');
    assert.deepStrictEqual(scopesOf(decl, 'regex_new'), [S, 'meta.function.simple', 'entity.name.function.simple']);
    assert.deepStrictEqual(scopesOf(decl, 'Regex'), [S, 'meta.function.simple', 'entity.name.type.simple']);
    assert.deepStrictEqual(scopesOf(body, 'return'), [S, 'keyword.control.simple']);
    assert.deepStrictEqual(scopesOf(body, 'rt_regex_new'), [S, 'support.function.native.simple']);
    assert.deepStrictEqual(scopesOf(cls, 'class'), [S, 'storage.type.simple']);
    assert.deepStrictEqual(scopesOf(cls, 'Regex'), [S, 'entity.name.type.simple']);
  });
});

describe('simple.tmLanguage.json: forms real code uses', () => {
  it('scopes match arms with => and else if', async () => {
    const [arm, elif] = await tokenize(S, '    Ok(v) => use_it(v)\nelse if b:');
    assert.deepStrictEqual(scopesOf(arm, '=>'), [S, 'keyword.operator.arrow.simple']);
    assert.deepStrictEqual(scopesOf(arm, 'use_it'), [S, 'entity.name.function.call.simple']);
    assert.deepStrictEqual(scopesOf(elif, 'else'), [S, 'keyword.control.simple']);
    assert.deepStrictEqual(scopesOf(elif, 'if'), [S, 'keyword.control.simple']);
  });

  it('scopes block calls: describe, context with a symbol, it', async () => {
    const [d, c, i, call] = await tokenize(S, 'describe "stack":\n  context :empty:\n    it "pushes":\nit(x)');
    assert.deepStrictEqual(scopesOf(d, 'describe'), [S, 'entity.name.function.block-call.simple']);
    assert.deepStrictEqual(scopesOf(c, 'context'), [S, 'entity.name.function.block-call.simple']);
    assert.deepStrictEqual(scopesOf(i, 'it'), [S, 'entity.name.function.block-call.simple']);
    assert.deepStrictEqual(scopesOf(call, 'it'), [S, 'entity.name.function.call.simple']);
  });

  it('scopes asm operand lines and asm volatile', async () => {
    const [a, op, cl] = await tokenize(S, 'asm volatile: "wfi"\n    x = inout(reg) y,\n    clobbers: [memory]');
    assert.deepStrictEqual(scopesOf(a, 'volatile'), [S, 'storage.modifier.simple']);
    assert.deepStrictEqual(scopesOf(op, 'inout'), [S, 'keyword.other.asm-operand.simple']);
    assert.deepStrictEqual(scopesOf(op, 'reg'), [S, 'variable.other.register.simple']);
    assert.deepStrictEqual(scopesOf(cl, 'clobbers'), [S, 'keyword.other.asm-operand.simple']);
  });

  it('scopes a kernel launch and a generic call', async () => {
    const t = await line(S, 'k<<<grid: g, block: b>>>(x, n) + alloc<f32>(n)');
    assert.deepStrictEqual(scopesOf(t, '<<<'), [S, 'punctuation.section.kernel-launch.simple']);
    assert.deepStrictEqual(scopesOf(t, '>>>'), [S, 'punctuation.section.kernel-launch.simple']);
    assert.deepStrictEqual(scopesOf(t, 'alloc'), [S, 'entity.name.function.call.simple']);
    assert.deepStrictEqual(scopesOf(t, 'f32'), [S, 'support.type.primitive.simple']);
  });

  it('scopes code point escapes and format specs in interpolation', async () => {
    const t = await line(S, '"\\u{001b}[0m {avg:.2}"');
    const str = [S, 'string.quoted.double.simple'];
    const interp = [...str, 'meta.interpolation.simple'];
    assert.deepStrictEqual(scopesOf(t, '\\u{001b}'), [...str, 'constant.character.escape.simple']);
    assert.deepStrictEqual(scopesOf(t, 'avg'), [...interp, 'source.simple.embedded']);
    assert.deepStrictEqual(scopesOf(t, ':'), [...interp, 'source.simple.embedded', 'punctuation.separator.format.simple']);
    assert.deepStrictEqual(scopesOf(t, '.2'), [...interp, 'source.simple.embedded', 'constant.other.format-spec.simple']);
  });

  it('scopes ~>, broadcast and matrix operators, := and suspension forms', async () => {
    const [comp, bc, susp, loop] = await tokenize(S, 'embed(d) ~> norm(d)\nc = a .* b @ m\nx ~+= y := 1\nif~ ready and~ ok:');
    assert.deepStrictEqual(scopesOf(comp, '~>'), [S, 'keyword.operator.composition.simple']);
    assert.deepStrictEqual(scopesOf(bc, '.*'), [S, 'keyword.operator.broadcast.simple']);
    assert.deepStrictEqual(scopesOf(bc, '@'), [S, 'keyword.operator.matrix.simple']);
    assert.deepStrictEqual(scopesOf(susp, '~+='), [S, 'keyword.operator.assignment.simple']);
    assert.deepStrictEqual(scopesOf(susp, ':='), [S, 'keyword.operator.assignment.simple']);
    assert.deepStrictEqual(scopesOf(loop, 'if'), [S, 'keyword.control.suspension.simple']);
    assert.deepStrictEqual(scopesOf(loop, 'and'), [S, 'keyword.control.suspension.simple']);
    assert.deepStrictEqual(scopesOf(loop, '~'), [S, 'keyword.operator.suspension.simple']);
  });

  it('scopes unit literals next to typed numbers', async () => {
    const t = await line(S, '100_ms 2.5_kg 8_u8');
    assert.deepStrictEqual(t.filter((x) => x.text.trim() !== ''), [
      { text: '100', scopes: [S, 'constant.numeric.unit.simple'] },
      { text: '_ms', scopes: [S, 'constant.numeric.unit.simple', 'keyword.other.unit.simple'] },
      { text: '2.5', scopes: [S, 'constant.numeric.unit.simple'] },
      { text: '_kg', scopes: [S, 'constant.numeric.unit.simple', 'keyword.other.unit.simple'] },
      { text: '8', scopes: [S, 'constant.numeric.integer.simple'] },
      { text: '_u8', scopes: [S, 'constant.numeric.integer.simple', 'storage.type.numeric.simple'] },
    ]);
  });

  it('scopes me calls, & and * prefixes, pass_todo, shared var and embedded blocks', async () => {
    const [me, ptr, todo, sh, emb] = await tokenize(
      S,
      'val r = me read_it(1)\n*(p as rawptr<u64>) = &buf\npass_todo("later")\nshared var n: i64 = 0\nval q = sql{ select 1 }',
    );
    assert.deepStrictEqual(scopesOf(me, 'me'), [S, 'storage.type.function.simple']);
    assert.deepStrictEqual(scopesOf(me, 'read_it'), [S, 'entity.name.function.call.simple']);
    assert.deepStrictEqual(scopesOf(ptr, '*'), [S, 'keyword.operator.arithmetic.simple']);
    assert.deepStrictEqual(scopesOf(ptr, '&'), [S, 'keyword.operator.bitwise.simple']);
    assert.deepStrictEqual(scopesOf(todo, 'pass_todo'), [S, 'keyword.control.simple']);
    assert.deepStrictEqual(scopesOf(sh, 'shared'), [S, 'storage.modifier.simple']);
    assert.deepStrictEqual(scopesOf(emb, 'sql'), [S, 'meta.embedded.block.simple', 'storage.type.embedded.simple']);
    assert.deepStrictEqual(scopesOf(emb, ' select 1 '), [S, 'meta.embedded.block.simple', 'string.unquoted.embedded.simple']);
  });
});

describe('wrapper-spec.tmLanguage.json', () => {
  it('scopes a section header', async () => {
    const t = await line(W, 'wrapper_lib:');
    assert.deepStrictEqual(t, [
      {
        text: 'wrapper_lib',
        scopes: [W, 'meta.section.wrapper-spec', 'entity.name.section.wrapper-spec', 'keyword.other.section.wrapper-spec'],
      },
      { text: ':', scopes: [W, 'meta.section.wrapper-spec', 'punctuation.separator.key-value.wrapper-spec'] },
    ]);
  });

  it('scopes a "- name: x" item', async () => {
    const t = await line(W, '    - name: x');
    const item = [W, 'meta.item.wrapper-spec'];
    assert.deepStrictEqual(t, [
      { text: '    ', scopes: item },
      { text: '-', scopes: [...item, 'punctuation.definition.list-item.wrapper-spec'] },
      { text: ' ', scopes: item },
      { text: 'name', scopes: [...item, 'variable.other.key.wrapper-spec'] },
      { text: ':', scopes: [...item, 'punctuation.separator.key-value.wrapper-spec'] },
      { text: ' ', scopes: item },
      { text: 'x', scopes: [...item, 'entity.name.wrapper-spec'] },
    ]);
  });

  it('scopes keys, quoted strings, inline arrays and comments', async () => {
    const [key, arr, comment] = await tokenize(W, '      cpp_fn: "torch::zeros"   # note\n    link: [torch, c10]\n# top comment');
    const entry = [W, 'meta.entry.wrapper-spec'];
    assert.deepStrictEqual(scopesOf(key, 'cpp_fn'), [...entry, 'variable.other.key.wrapper-spec']);
    assert.deepStrictEqual(scopesOf(key, 'torch::zeros'), [...entry, 'string.quoted.double.wrapper-spec']);
    assert.deepStrictEqual(scopesOf(key, ' note'), [...entry, 'comment.line.number-sign.wrapper-spec']);
    assert.deepStrictEqual(scopesOf(arr, 'c10'), [...entry, 'meta.array.wrapper-spec', 'string.unquoted.wrapper-spec']);
    assert.deepStrictEqual(comment[0].scopes, [W, 'comment.line.number-sign.wrapper-spec', 'punctuation.definition.comment.wrapper-spec']);
  });
});
