/**
 * Tree-sitter grammar for the Simple programming language (`.spl`).
 *
 * Layout (NEWLINE / INDENT / DEDENT), string contents and nested block
 * comments come from the external scanner in `src/scanner.c`.  Inside
 * brackets the layout tokens are never valid, so the scanner stays silent
 * and newlines are plain whitespace (implicit line joining).
 */

/* Binding strength of expression operators, loosest first. */
const PREC = {
  lambda: -1,
  // `x := f()` inside an expression binds loosest of all operators.
  walrus: 0,
  pipe: 1,
  or: 2,
  and: 3,
  not: 4,
  compare: 5,
  coalesce: 6,
  range: 7,
  bit_or: 8,
  bit_xor: 9,
  bit_and: 10,
  shift: 11,
  plus: 12,
  times: 13,
  cast: 14,
  unary: 15,
  power: 16,
  postfix: 17,
  // `me f(x)` is a call statement/expression; as a declaration it needs a body.
  me_call: 1,
  // `f<T>(x)` / `T<A>.m()` read as type arguments, not as `(f < T) > (x)`.
  generic_call: 1,
};

// `f(*xs)` is a spread argument, not a dereference (which is a unary operator).
PREC.spread = PREC.unary + 1;

/* Binding strength of type operators. */
const TYPE_PREC = {
  union: 1,
  function: 2,
  prefix: 3,
  optional: 4,
};

const commaSep1 = (rule) => seq(rule, repeat(seq(',', rule)));
const commaSep = (rule) => optional(commaSep1(rule));
const sep1 = (rule, separator) => seq(rule, repeat(seq(separator, rule)));

module.exports = grammar({
  name: 'simple',

  word: ($) => $.identifier,

  externals: ($) => [
    $._newline,
    $._indent,
    $._dedent,
    $._string_content,
    $._triple_string_content,
    $._single_string_content,
    $.block_comment,
    // Never used by a rule: valid only while the parser recovers from an error.
    $._error_sentinel,
  ],

  extras: ($) => [
    $.comment,
    $.block_comment,
    /[\s\f\uFEFF\u2060\u200B]/,
  ],

  supertypes: ($) => [
    $._simple_statement,
    $._compound_statement,
    $._expression,
    $._type,
  ],

  conflicts: ($) => [
    // `print(x)` is a call; `print (x)` / `print x` the command form.
    [$.argument_list, $.tuple],
    [$.argument_list, $.parenthesized_expression],
    // `me f(x)`: a call (`me_expression`) or a bodyless method declaration.
    [$.parameter_list, $._me_arguments],
    [$.parameter, $._expression],

    // `f<T>(x)` (generic call) against `f < T > (x)` (comparisons): both are read
    // and the generic reading wins by dynamic precedence when both complete.
    [$.call_expression, $._expression],
    [$.call_expression, $.generic_expression, $._expression],
    // `with f() as x:` binds a name, it is not a cast.
    [$.with_item, $._type_name],
  ],

  rules: {
    source_file: ($) => repeat($._statement),

    _statement: ($) => choice($._simple_statements, $._compound_statement),

    _simple_statements: ($) => seq(
      sep1($._simple_statement, ';'),
      optional(';'),
      $._newline,
    ),

    _simple_statement: ($) => choice(
      $.expression_statement,
      $.print_statement,
      $.assignment,
      $.augmented_assignment,
      $.variable_declaration,
      $.field_declaration,
      $.return_statement,
      $.pass_statement,
      $.break_statement,
      $.continue_statement,
      $.throw_statement,
      $.yield_statement,
      $.use_statement,
      $.export_statement,
      $.type_alias,
      $.extern_function_declaration,
      $.extern_type_declaration,
    ),

    // Items that may stand on their own or under attributes (decorated_definition).
    _definition: ($) => choice(
      $.function_definition,
      $.macro_definition,
      $.class_definition,
      $.struct_definition,
      $.enum_definition,
      $.trait_definition,
      $.impl_definition,
      $.actor_definition,
      $.bitfield_definition,
      $.unit_definition,
      $.mod_definition,
      $.extern_class_declaration,
    ),

    _compound_statement: ($) => choice(
      $.unsafe_block,
      $._definition,
      $.decorated_definition,
      $.when_block,
      $.preprocessor_directive,
      $.inner_attribute,
      $.if_statement,
      $.while_statement,
      $.for_statement,
      $.loop_statement,
      $.match_statement,
      $.try_statement,
      $.with_statement,
      $.asm_statement,
      $.contract_clause,
      $.block_call,
    ),

    // A suite is what follows a `:` that opens a body.
    _suite: ($) => choice(
      alias($._simple_statements, $.block),
      seq($._indent, $.block),
      alias($._newline, $.block),
    ),

    block: ($) => seq(repeat($._statement), $._dedent),

    // ------------------------------------------------------------------
    // Extern declarations (the FFI surface)

    extern_function_declaration: ($) => seq(
      optional($._modifiers),
      choice('extern', alias($._extern_attribute, $.attribute)),
      optional('async'),
      'fn',
      field('name', $.identifier),
      optional(field('type_parameters', $.type_parameters)),
      field('parameters', $.parameter_list),
      optional(seq('->', field('return_type', $._type))),
    ),

    _extern_attribute: ($) => seq('@', field('name', alias('extern', $.identifier))),

    extern_type_declaration: ($) => seq(
      optional($._modifiers),
      'extern',
      'type',
      field('name', $._type_name),
      optional(field('type_parameters', $.type_parameters)),
    ),

    extern_class_declaration: ($) => seq(
      optional($._modifiers),
      'extern',
      field('kind', choice('class', 'struct')),
      field('name', $._type_name),
      optional(field('type_parameters', $.type_parameters)),
      choice(seq(':', field('body', $._suite)), $._newline),
    ),

    // ------------------------------------------------------------------
    // Functions

    _modifiers: ($) => repeat1(choice(
      $.visibility_modifier,
      'static',
      'async',
      'sync',
      'literal',
      'kernel',
      'shared',
    )),

    visibility_modifier: ($) => seq('pub', optional(seq('(', $.identifier, ')'))),

    function_definition: ($) => seq(
      optional($._modifiers),
      choice('fn', 'me'),
      field('name', $.identifier),
      optional(field('type_parameters', $.type_parameters)),
      field('parameters', $.parameter_list),
      optional(seq('->', field('return_type', $._type))),
      choice(seq(':', $._function_body), $._newline),
    ),

    _function_body: ($) => choice(
      seq(field('body', $._one_line_body), $._newline),
      seq($._indent, field('body', $.block)),
      field('body', alias($._newline, $.block)),
    ),

    _one_line_body: ($) => choice(
      $._expression,
      $.return_statement,
      $.pass_statement,
      $.assignment,
      $.augmented_assignment,
      $.throw_statement,
      $.break_statement,
      $.continue_statement,
    ),

    macro_definition: ($) => seq(
      optional($._modifiers),
      'macro',
      field('name', $.identifier),
      optional(field('parameters', $.parameter_list)),
      optional(seq('->', field('return_type', $._type))),
      choice(seq(':', field('body', $._suite)), $._newline),
    ),

    parameter_list: ($) => seq('(', commaSep($.parameter), optional(','), ')'),

    parameter: ($) => seq(
      optional('mut'),
      optional(choice('*', '**')),
      field('name', choice($.identifier, $.self)),
      optional(seq(':', field('type', $._type))),
      optional(seq('=', field('default', $._expression))),
    ),

    type_parameters: ($) => seq('<', commaSep1($.type_parameter), optional(','), '>'),

    type_parameter: ($) => seq(
      field('name', $._type_name),
      optional(seq(':', field('bound', sep1($._type, '+')))),
    ),

    contract_clause: ($) => choice(
      seq(
        field('kind', choice('in', 'requires', 'ensures', 'invariant')),
        ':',
        field('body', $._suite),
      ),
      seq(
        field('kind', alias(token(prec(1, /out[ \t]*(\([ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*\))?[ \t]*:/)), 'out')),
        field('body', $._suite),
      ),
      seq(
        field('kind', choice('requires', 'ensures', 'invariant')),
        field('condition', $._expression),
        $._newline,
      ),
    ),

    // ------------------------------------------------------------------
    // Type definitions

    _type_name: ($) => alias($.identifier, $.type_identifier),

    class_definition: ($) => classLike($, 'class'),
    struct_definition: ($) => classLike($, 'struct'),
    trait_definition: ($) => classLike($, 'trait'),
    actor_definition: ($) => classLike($, 'actor'),
    bitfield_definition: ($) => classLike($, 'bitfield'),

    superclass_list: ($) => choice(
      seq('(', commaSep($._type), optional(','), ')'),
      seq(choice('extends', 'implements'), commaSep1($._type)),
    ),

    enum_definition: ($) => seq(
      optional($._modifiers),
      'enum',
      field('name', $._type_name),
      optional(field('type_parameters', $.type_parameters)),
      optional(field('superclasses', $.superclass_list)),
      choice(
        seq(':', choice(
          seq($._indent, field('body', $.enum_body)),
          field('body', alias($._enum_variant_line, $.enum_body)),
          field('body', alias($._newline, $.enum_body)),
        )),
        $._newline,
      ),
    ),

    enum_body: ($) => seq(
      repeat(choice(
        $._enum_variant_line,
        $.function_definition,
        $.decorated_definition,
        $.preprocessor_directive,
        $.when_block,
        alias($._docstring_line, $.expression_statement),
        seq($.pass_statement, $._newline),
      )),
      $._dedent,
    ),

    _docstring_line: ($) => seq($.string, $._newline),

    _enum_variant_line: ($) => seq(
      sep1($.enum_variant, choice(',', ';', '|')),
      optional(choice(',', ';')),
      $._newline,
    ),

    enum_variant: ($) => seq(
      optional('case'),
      field('name', $.identifier),
      optional(field('fields', $.enum_variant_fields)),
      optional(seq('=', field('value', $._expression))),
    ),

    enum_variant_fields: ($) => seq(
      '(',
      commaSep(choice($._type, $.enum_field)),
      optional(','),
      ')',
    ),

    enum_field: ($) => seq(field('name', $.identifier), ':', field('type', $._type)),

    impl_definition: ($) => seq(
      'impl',
      optional(field('type_parameters', $.type_parameters)),
      choice(
        seq(field('trait', $._type), 'for', field('name', $._type)),
        field('name', $._type),
      ),
      choice(seq(':', field('body', $._suite)), $._newline),
    ),

    unit_definition: ($) => seq(
      optional($._modifiers),
      'unit',
      field('name', $._type_name),
      optional(field('parameters', $.parameter_list)),
      choice(
        seq(':', field('body', $._suite)),
        seq('=', field('value', $._expression), $._newline),
        $._newline,
      ),
    ),

    mod_definition: ($) => seq(
      optional($._modifiers),
      'mod',
      field('name', $.identifier),
      choice(seq(':', field('body', $._suite)), $._newline),
    ),

    type_alias: ($) => seq(
      optional($._modifiers),
      'type',
      field('name', $._type_name),
      optional(field('type_parameters', $.type_parameters)),
      '=',
      field('value', $._type),
    ),

    field_declaration: ($) => seq(
      optional($._modifiers),
      field('name', choice($.identifier, $._keyword_name)),
      ':',
      choice(
        seq(field('type', $._type), optional(seq(':', field('width', $.integer)))),
        field('width', $.integer),
      ),
      optional(seq('=', field('default', $._expression))),
    ),

    // Keywords that real code also uses as plain names (`match = false`, `type: text`).
    _keyword_name: ($) => alias(choice('match', 'type', 'unit', 'mod', 'kernel'), $.identifier),

    variable_declaration: ($) => seq(
      optional($._modifiers),
      choice('val', 'var', 'let', 'const'),
      field('name', choice($.identifier, $.tuple, $.array)),
      optional(seq(':', field('type', $._type))),
      optional(seq('=', field('value', $._rhs))),
    ),

    // ------------------------------------------------------------------
    // Modules

    use_statement: ($) => seq(
      optional($._modifiers),
      choice('use', 'import'),
      field('path', $.dotted_name),
      optional(choice(
        $.import_list,
        $.wildcard_import,
        seq('as', field('alias', $.identifier)),
      )),
    ),

    dotted_name: ($) => sep1($.identifier, '.'),

    import_list: ($) => choice(
      seq('.{', commaSep($.import_item), optional(','), '}'),
      seq('(', commaSep($.import_item), optional(','), ')'),
    ),

    import_item: ($) => seq(
      field('name', $.dotted_name),
      optional(choice(
        $.import_list,
        $.wildcard_import,
        seq('as', field('alias', $.identifier)),
      )),
    ),

    wildcard_import: (_) => '.*',

    export_statement: ($) => seq(
      'export',
      choice(
        $.use_statement,
        seq(field('path', $.dotted_name), choice($.import_list, $.wildcard_import)),
        commaSep1($.identifier),
      ),
    ),

    // ------------------------------------------------------------------
    // Attributes, conditional compilation

    attribute: ($) => seq(
      '@',
      field('name', $.identifier),
      optional(field('arguments', $.argument_list)),
    ),

    decorated_definition: ($) => seq(
      repeat1(seq($.attribute, optional($._newline))),
      field('definition', choice(
        $._definition,
        $._decorated_simple,
      )),
    ),

    _decorated_simple: ($) => seq(
      choice(
        $.extern_function_declaration,
        $.extern_type_declaration,
        $.variable_declaration,
        $.field_declaration,
        $.type_alias,
        $.use_statement,
        $.export_statement,
      ),
      $._newline,
    ),

    when_block: ($) => seq(
      '@when',
      field('condition', $.argument_list),
      ':',
      field('body', $._when_body),
      repeat(field('alternative', $.when_elif_clause)),
      optional(field('alternative', $.when_else_clause)),
      '@end',
      $._newline,
    ),

    when_elif_clause: ($) => seq(
      '@elif',
      field('condition', $.argument_list),
      ':',
      field('body', $._when_body),
    ),

    when_else_clause: ($) => seq('@else', optional(':'), field('body', $._when_body)),

    // Either an indented block or statements at the same level up to the
    // next `@elif` / `@else` / `@end`.
    _when_body: ($) => choice(
      seq($._indent, $.block),
      seq($._newline, optional(alias(repeat1($._statement), $.block))),
    ),

    preprocessor_directive: ($) => seq(
      field('directive', choice(
        token(prec(2, '#if')),
        token(prec(2, '#elif')),
        token(prec(2, '#else')),
        token(prec(2, '#endif')),
        token(prec(2, '#ifdef')),
        token(prec(2, '#ifndef')),
      )),
      optional(field('condition', choice($._expression, $.preprocessor_setting))),
      optional(':'),
      $._newline,
    ),

    // `#if os=linux`
    preprocessor_setting: ($) => seq(field('key', $.identifier), '=', field('value', $._expression)),

    inner_attribute: ($) => seq(
      token(prec(2, '#![')),
      commaSep($._expression),
      ']',
      $._newline,
    ),

    // ------------------------------------------------------------------
    // Statements

    expression_statement: ($) => $._expression,

    assignment: ($) => seq(
      field('left', choice($._expression, $._keyword_name)),
      field('operator', choice('=', ':=', '~=')),
      field('right', $._rhs),
    ),

    augmented_assignment: ($) => seq(
      field('left', choice($._expression, $._keyword_name)),
      field('operator', choice(
        '+=', '-=', '*=', '/=', '%=', '**=', '//=', '&=', '|=', '^=', '<<=', '>>=', '??=',
        '~+=', '~-=', '~*=', '~/=',
      )),
      field('right', $._expression),
    ),

    return_statement: ($) => prec.right(seq('return', optional(field('value', $._rhs)))),
    pass_statement: ($) => seq(
      choice('pass', 'pass_todo', 'pass_do_nothing', 'pass_dn'),
      optional(field('arguments', $.argument_list)),
    ),
    yield_statement: ($) => prec.right(seq('yield', optional(field('value', $._expression)))),
    break_statement: (_) => 'break',
    continue_statement: (_) => 'continue',
    throw_statement: ($) => prec.right(seq(choice('throw', 'raise'), optional(field('value', $._expression)))),

    if_statement: ($) => seq(
      choice('if', 'if~'),
      field('condition', $._condition),
      ':',
      field('consequence', $._suite),
      repeat(field('alternative', $.elif_clause)),
      optional(field('alternative', $.else_clause)),
    ),

    elif_clause: ($) => seq(
      choice('elif', seq('else', 'if')),
      field('condition', $._condition),
      ':',
      field('consequence', $._suite),
    ),

    else_clause: ($) => seq('else', ':', field('body', $._suite)),

    _condition: ($) => choice($._expression, $.let_condition, $.walrus_expression),

    let_condition: ($) => seq(
      choice('val', 'var', 'let'),
      field('pattern', $._expression),
      '=',
      field('value', $._expression),
    ),

    while_statement: ($) => seq(
      choice('while', 'while~'),
      field('condition', $._condition),
      ':',
      field('body', $._suite),
    ),

    for_statement: ($) => seq(
      choice('for', 'for~'),
      field('left', $._for_target),
      'in',
      field('right', $._expression),
      ':',
      field('body', $._suite),
    ),

    _for_target: ($) => choice($.identifier, $.tuple, $.pattern_list),

    pattern_list: ($) => seq(
      choice($.identifier, $.tuple),
      repeat1(seq(',', choice($.identifier, $.tuple))),
    ),

    loop_statement: ($) => seq('loop', ':', field('body', $._suite)),

    match_statement: ($) => seq(
      'match',
      field('subject', $._expression),
      ':',
      $._indent,
      field('body', $.match_block),
    ),

    match_block: ($) => seq(repeat1(choice($.case_clause, $.match_arm)), $._dedent),

    case_clause: ($) => seq(
      'case',
      commaSep1(field('pattern', $._expression)),
      optional(seq('if', field('guard', $._expression))),
      choice(':', '=>'),
      field('consequence', $._suite),
    ),

    // An arm without `case`: `Ok(v): use(v)`, `1 => "one"`, `_ =>` + block.
    match_arm: ($) => seq(
      commaSep1(field('pattern', $._expression)),
      optional(seq('if', field('guard', $._expression))),
      choice(':', '=>'),
      field('body', $._suite),
    ),

    try_statement: ($) => seq(
      'try',
      ':',
      field('body', $._suite),
      repeat($.catch_clause),
      optional($.finally_clause),
    ),

    catch_clause: ($) => seq(
      'catch',
      optional(field('name', $.identifier)),
      ':',
      field('body', $._suite),
    ),

    finally_clause: ($) => seq('finally', ':', field('body', $._suite)),

    with_statement: ($) => seq(
      'with',
      commaSep1(field('item', $.with_item)),
      ':',
      field('body', $._suite),
    ),

    with_item: ($) => choice(
      field('value', $._expression),
      prec.dynamic(1, seq(field('value', $._expression), 'as', field('alias', $.identifier))),
    ),

    // `asm:` / `asm volatile:` with one string or an indented block of strings and
    // operand lines; `asm(...)` / `asm volatile(...)`; `asm { ... }`.
    asm_statement: ($) => seq(
      'asm',
      choice(
        seq(
          optional('volatile'),
          ':',
          choice(
            seq(field('body', alias($._asm_line, $.asm_block)), $._newline),
            seq($._indent, field('body', $.asm_block)),
          ),
        ),
        seq(optional('volatile'), field('body', alias($._asm_list, $.asm_block)), $._newline),
        seq(optional('volatile'), field('body', alias($._asm_braced, $.asm_block)), $._newline),
        // `asm "nop"` / `asm volatile "cli"` (older one-line form).
        seq(optional('volatile'), field('body', alias($._asm_line, $.asm_block)), $._newline),
        seq('assert', field('body', $._expression), $._newline),
        seq('match', ':', $._indent, field('body', $.match_block)),
      ),
    ),

    asm_block: ($) => seq(repeat(seq($._asm_line, $._newline)), $._dedent),

    _asm_line: ($) => seq(commaSep1($._asm_item), optional(',')),

    _asm_list: ($) => seq('(', commaSep($._asm_item), optional(','), ')'),

    _asm_braced: ($) => seq('{', repeat(seq($._asm_item, optional(','))), '}'),

    _asm_item: ($) => choice($.string, $.raw_string, $.asm_operand, $.asm_option),

    // `in(reg) v`, `out(reg) r`, `x = inout(reg) y`, `clobber(reg)`, `clobber_abi("C")`.
    asm_operand: ($) => choice(
      seq(
        optional(seq(field('name', $.identifier), '=')),
        field('direction', choice('in', 'out', 'inout', 'lateout')),
        '(',
        field('register', $.identifier),
        ')',
        field('value', $._expression),
      ),
      seq(
        field('direction', choice('clobber', 'clobber_abi')),
        '(',
        field('register', choice($.identifier, $.string)),
        ')',
      ),
    ),

    // `clobbers: [memory]`, `options: [volatile]`, `options(nostack)`.
    asm_option: ($) => choice(
      seq(field('name', alias(choice('clobbers', 'options'), $.identifier)), ':', field('value', $.array)),
      seq(field('name', alias('options', $.identifier)), field('value', alias($._option_list, $.array))),
    ),

    _option_list: ($) => seq('(', commaSep($.identifier), optional(','), ')'),

    // Test DSL and other block-taking calls: `describe "stack":`, `it "pushes":`,
    // `before_each:`; without a colon it is a command call (`it_behaves_like "x"`).
    block_call: ($) => choice(
      seq(
        field('callee', $.identifier),
        field('label', choice($.string, $.raw_string)),
        choice(seq(':', field('body', $._suite)), $._newline),
      ),
      seq(field('callee', $.identifier), ':', $._indent, field('body', $.block)),
    ),

    // `unsafe(capabilities: [ffi]):` followed by a suite.
    unsafe_block: ($) => seq(
      'unsafe',
      optional(field('arguments', $.argument_list)),
      ':',
      field('body', $._suite),
    ),

    // Command-style output: `print x` (`print(x)` stays a call_expression).
    print_statement: ($) => prec.dynamic(-1, seq(
      field('function', alias($._print_keyword, $.identifier)),
      field('argument', $._expression),
    )),

    _print_keyword: (_) => choice('print', 'eprint'),

    // Right-hand sides also take the block forms of `if` and `match`:
    //   val x = if c:
    //       a
    //   else:
    //       b
    _rhs: ($) => choice(
      $._expression,
      alias($._if_block_expression, $.if_expression),
      alias($._match_expression, $.match_expression),
      $.mmio_register,
    ),

    // `@address(0x1000) @volatile var: u32`
    mmio_register: ($) => seq(
      repeat1($.attribute),
      field('access', choice('var', 'val')),
      ':',
      field('type', $._type),
    ),

    _if_block_expression: ($) => seq(
      'if',
      field('condition', $._condition),
      ':',
      $._indent,
      field('consequence', $.block),
      repeat(field('alternative', alias($._elif_block_expression, $.elif_clause))),
      'else',
      ':',
      choice(seq($._indent, field('alternative', $.block)), field('alternative', $._expression)),
    ),

    _elif_block_expression: ($) => seq(
      choice('elif', seq('else', 'if')),
      field('condition', $._condition),
      ':',
      choice(seq($._indent, field('consequence', $.block)), field('consequence', $._expression)),
    ),

    _match_expression: ($) => seq(
      'match',
      field('subject', $._expression),
      ':',
      $._indent,
      field('body', $.match_block),
    ),

    // ------------------------------------------------------------------
    // Types

    _type: ($) => choice(
      $._type_name,
      $.generic_type,
      $.scoped_type,
      $.array_type,
      $.optional_type,
      $.tuple_type,
      $.union_type,
      $.function_type,
      $.reference_type,
      $.pointer_type,
      $.dict_type,
    ),

    generic_type: ($) => prec(1, seq(
      field('name', choice($._type_name, $.scoped_type)),
      field('arguments', $.type_arguments),
    )),

    type_arguments: ($) => seq('<', commaSep1(choice($._type, $.integer)), optional(','), '>'),

    // `x as a.B` reads the dots as part of the type.
    scoped_type: ($) => prec(PREC.postfix + 1, seq(
      field('scope', choice($._type_name, $.scoped_type)),
      '.',
      field('name', $._type_name),
    )),

    array_type: ($) => seq(
      '[',
      field('element', $._type),
      optional(seq(';', field('size', $._expression))),
      ']',
    ),

    optional_type: ($) => prec(TYPE_PREC.optional, seq(field('inner', $._type), '?')),

    tuple_type: ($) => seq('(', commaSep($._type), optional(','), ')'),

    union_type: ($) => prec.left(TYPE_PREC.union, seq($._type, '|', $._type)),

    function_type: ($) => prec.right(TYPE_PREC.function, seq(
      'fn',
      '(',
      commaSep($._type),
      optional(','),
      ')',
      optional(seq('->', field('return_type', $._type))),
    )),

    reference_type: ($) => prec(TYPE_PREC.prefix, seq('&', optional('mut'), $._type)),

    pointer_type: ($) => prec(TYPE_PREC.prefix, seq('*', optional(choice('const', 'mut')), $._type)),

    dict_type: ($) => seq('{', field('key', $._type), ':', field('value', $._type), '}'),

    // ------------------------------------------------------------------
    // Expressions

    _expression: ($) => choice(
      $.identifier,
      $.self,
      $.integer,
      $.float,
      $.true,
      $.false,
      $.nil,
      $.string,
      $.raw_string,
      $.array,
      $.repeat_array,
      $.list_comprehension,
      $.dictionary,
      $.tuple,
      $.parenthesized_expression,
      $.call_expression,
      $.member_expression,
      $.index_expression,
      $.try_expression,
      $.cast_expression,
      $.unary_expression,
      $.binary_expression,
      $.range_expression,
      $.lambda,
      $.if_expression,
      $.unit_literal,
      $.kernel_launch,
      $.generic_expression,
      $.address_of_expression,
      $.dereference_expression,
      $.me_expression,
      $.embedded_block,
      alias($._escaped_string, $.string),
    ),

    call_expression: ($) => choice(
      prec(PREC.postfix, seq(
        field('function', choice($._expression, alias($._print_keyword, $.identifier))),
        field('arguments', $.argument_list),
      )),
      prec.dynamic(PREC.generic_call, seq(
        field('function', choice($.identifier, $.member_expression)),
        field('type_arguments', $.type_arguments),
        field('arguments', $.argument_list),
      )),
    ),

    // `Frag<16, 16, f32>.zero()`: a type with arguments used as a value.
    generic_expression: ($) => prec.dynamic(PREC.generic_call, seq(
      field('name', $.identifier),
      field('type_arguments', $.type_arguments),
      choice('.', '::'),
      field('field', $.identifier),
    )),

    // `k<<<grid: g, block: b, stream: s>>>(x, n)`
    kernel_launch: ($) => prec(PREC.postfix, seq(
      field('kernel', $._expression),
      '<<<',
      field('config', $.launch_config),
      '>>>',
      field('arguments', $.argument_list),
    )),

    launch_config: ($) => seq(commaSep1(choice($.keyword_argument, $._expression)), optional(',')),

    address_of_expression: ($) => prec(PREC.unary, seq(
      '&',
      optional('mut'),
      field('value', $._expression),
    )),

    dereference_expression: ($) => prec(PREC.unary, seq('*', field('value', $._expression))),

    // `me read_it(1)`: a mutating-method call used as a statement or value.
    me_expression: ($) => prec.dynamic(PREC.me_call, seq(
      'me',
      field('call', alias($._me_call, $.call_expression)),
    )),

    // Positional arguments only: `me f(a: T)` stays a method declaration.
    _me_call: ($) => seq(
      field('function', $.identifier),
      field('arguments', alias($._me_arguments, $.argument_list)),
    ),

    _me_arguments: ($) => seq('(', commaSep($._expression), optional(','), ')'),

    // `(x := f())`
    walrus_expression: ($) => prec.right(PREC.walrus, seq(
      field('name', $.identifier),
      ':=',
      field('value', $._expression),
    )),

    // `m{ x^2 }`, `sh{ ls }`, `sql{ select 1 }`, `re{ a+ }`, `loss{..}`, `nograd{..}`:
    // the body is another language, kept as one token.
    embedded_block: (_) => token(seq(
      choice('m', 'sh', 'sql', 're', 'loss', 'nograd'),
      '{',
      /([^{}]|\{[^{}]*\})*/,
      '}',
    )),

    // `"{xs.join(\",\")}"`: a string written with escaped quotes inside an interpolation.
    _escaped_string: (_) => token(seq('\\"', /([^"\\\n]|\\[^"\n])*/, '\\"')),

    argument_list: ($) => seq(
      '(',
      commaSep(choice($._expression, $.keyword_argument, $.spread_argument)),
      optional(','),
      ')',
    ),

    keyword_argument: ($) => seq(
      field('name', $.identifier),
      choice(':', '='),
      field('value', $._expression),
    ),

    spread_argument: ($) => prec(PREC.spread, seq(choice('*', '**'), $._expression)),

    member_expression: ($) => prec(PREC.postfix, seq(
      field('object', $._expression),
      choice('.', '?.'),
      field('field', choice($.identifier, $.integer)),
    )),

    index_expression: ($) => prec(PREC.postfix, seq(
      field('object', $._expression),
      '[',
      commaSep1(field('index', choice($._expression, $.slice))),
      ']',
    )),

    slice: ($) => seq(
      optional(field('start', $._expression)),
      ':',
      optional(field('end', $._expression)),
      optional(seq(':', optional(field('step', $._expression)))),
    ),

    try_expression: ($) => prec(PREC.postfix, seq(field('value', $._expression), choice('?', '.?'))),

    cast_expression: ($) => prec.left(PREC.cast, seq(
      field('value', $._expression),
      'as',
      field('type', $._type),
    )),

    unary_expression: ($) => choice(
      prec(PREC.unary, seq(
        field('operator', choice('-', '+', '~', '!', 'await', 'spawn')),
        field('argument', $._expression),
      )),
      prec(PREC.not, seq(field('operator', 'not'), field('argument', $._expression))),
    ),

    binary_expression: ($) => {
      const table = [
        [prec.left, PREC.pipe, choice('|>', '~>')],
        [prec.left, PREC.or, choice('or', '||', 'or~')],
        [prec.left, PREC.and, choice('and', '&&', 'xor', 'and~')],
        [prec.left, PREC.compare, choice('==', '!=', '<', '>', '<=', '>=', 'in', 'is', seq('not', 'in'))],
        [prec.right, PREC.coalesce, '??'],
        [prec.left, PREC.bit_or, '|'],
        [prec.left, PREC.bit_xor, '^'],
        [prec.left, PREC.bit_and, '&'],
        [prec.left, PREC.shift, choice('<<', '>>')],
        [prec.left, PREC.plus, choice('+', '-')],
        [prec.left, PREC.plus, choice('.+', '.-')],
        [prec.left, PREC.times, choice('*', '/', '%', '//', '@', '.*', './')],
        [prec.right, PREC.power, choice('**', '.^')],
      ];
      return choice(...table.map(([assoc, p, op]) => assoc(p, seq(
        field('left', $._expression),
        field('operator', op),
        field('right', $._expression),
      ))));
    },

    if_expression: ($) => prec.right(PREC.lambda, seq(
      'if',
      field('condition', $._condition),
      ':',
      field('consequence', $._expression),
      repeat(field('alternative', alias($._elif_inline, $.elif_clause))),
      'else',
      ':',
      field('alternative', $._expression),
    )),

    _elif_inline: ($) => seq(
      'elif',
      field('condition', $._condition),
      ':',
      field('consequence', $._expression),
    ),

    range_expression: ($) => prec.left(PREC.range, seq(
      field('start', $._expression),
      field('operator', choice('..', '..=')),
      field('end', $._expression),
    )),

    // The body is one expression, or an indented block (also inside brackets:
    // `on_click(\\e:` + indented lines + `)`).
    lambda: ($) => prec.right(PREC.lambda, choice(
      seq(
        '\\',
        optional(field('parameters', $.lambda_parameters)),
        ':',
        $._lambda_body,
      ),
      seq(
        'fn',
        field('parameters', $.parameter_list),
        optional(seq('->', field('return_type', $._type))),
        ':',
        $._lambda_body,
      ),
    )),

    _lambda_body: ($) => choice(
      field('body', $._expression),
      seq($._indent, field('body', $.block)),
    ),

    lambda_parameters: ($) => commaSep1($.identifier),

    parenthesized_expression: ($) => seq('(', choice($._expression, $.walrus_expression), ')'),

    tuple: ($) => seq(
      '(',
      optional(seq($._expression, ',', commaSep($._expression), optional(','))),
      ')',
    ),

    array: ($) => seq('[', commaSep($._expression), optional(','), ']'),

    // `[0; 64]`
    repeat_array: ($) => seq('[', field('value', $._expression), ';', field('count', $._expression), ']'),

    list_comprehension: ($) => choice(
      seq(
        '[',
        field('body', $._expression),
        'for',
        field('left', $._for_target),
        'in',
        field('right', $._expression),
        optional(seq('if', field('condition', $._expression))),
        ']',
      ),
      // `[for i in r: i * 2]`
      seq(
        '[',
        'for',
        field('left', $._for_target),
        'in',
        field('right', $._expression),
        optional(seq('if', field('condition', $._expression))),
        ':',
        field('body', $._expression),
        ']',
      ),
    ),

    dictionary: ($) => seq('{', commaSep($.pair), optional(','), '}'),

    pair: ($) => seq(field('key', $._expression), ':', field('value', $._expression)),

    // ------------------------------------------------------------------
    // Strings

    string: ($) => choice(
      seq(
        '"',
        repeat(choice(alias($._string_content, $.string_content), $.interpolation)),
        '"',
      ),
      seq('"""', repeat(alias($._triple_string_content, $.string_content)), '"""'),
      seq('\'', repeat(alias($._single_string_content, $.string_content)), '\''),
    ),

    interpolation: ($) => seq(
      '{',
      field('expression', $._expression),
      optional(seq(':', field('format', $.format_spec))),
      '}',
    ),

    // `{avg:.2}`, `{x:x}`, `{n:>8}`
    format_spec: (_) => token(prec(-1, /[^{}"\n]+/)),

    raw_string: (_) => token(choice(
      seq('r"', /([^"\\]|\\.)*/, '"'),
      seq('r\'', /[^']*/, '\''),
    )),

    // ------------------------------------------------------------------
    // Lexical

    identifier: (_) => /[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_\u00C0-\uFFFF]*/,

    self: (_) => 'self',
    true: (_) => 'true',
    false: (_) => 'false',
    nil: (_) => 'nil',

    integer: (_) => token(seq(
      choice(
        /0[xX][0-9a-fA-F][0-9a-fA-F_]*/,
        /0[bB][01][01_]*/,
        /0[oO][0-7][0-7_]*/,
        /[0-9][0-9_]*/,
      ),
      optional(/_?[iu](8|16|32|64|128|size)/),
    )),

    float: (_) => token(seq(
      choice(
        /[0-9][0-9_]*\.[0-9][0-9_]*([eE][+-]?[0-9]+)?/,
        /[0-9][0-9_]*[eE][+-]?[0-9]+/,
      ),
      optional(/_?f(32|64)/),
    )),

    // `100_ms`, `2.5_kg`
    unit_literal: (_) => token(seq(
      /[0-9][0-9_]*(\.[0-9][0-9_]*)?/,
      '_',
      /[a-zA-Z][a-zA-Z0-9]*/,
    )),

    comment: (_) => token(choice(
      seq('#', /.*/),
      seq('///', /.*/),
    )),
  },
});

/**
 * class / struct / trait / actor / bitfield share one shape:
 * modifiers KEYWORD Name<T>(Bases): body
 */
function classLike($, keyword) {
  return seq(
    optional($._modifiers),
    keyword,
    field('name', $._type_name),
    optional(field('type_parameters', $.type_parameters)),
    optional(field('superclasses', $.superclass_list)),
    choice(seq(':', field('body', $._suite)), $._newline),
  );
}
