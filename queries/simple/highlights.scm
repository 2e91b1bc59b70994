; Syntax highlighting for Simple (.spl), nvim-treesitter capture names.

; Identifiers ---------------------------------------------------------------

(identifier) @variable

((identifier) @constant
  (#match? @constant "^[A-Z][A-Z0-9_]+$"))

(self) @variable.builtin

(type_identifier) @type

((type_identifier) @type.builtin
  (#any-of? @type.builtin
    "i8" "i16" "i32" "i64" "i128" "isize" "u8" "u16" "u32" "u64" "u128" "usize"
    "f32" "f64" "bool" "text" "str" "dict" "char" "any" "void"))

(parameter name: (identifier) @variable.parameter)
(lambda_parameters (identifier) @variable.parameter)
(keyword_argument name: (identifier) @variable.parameter)

(field_declaration name: (identifier) @variable.member)
(member_expression field: (identifier) @variable.member)
(enum_variant name: (identifier) @constant)
(enum_field name: (identifier) @variable.member)

; Definitions and calls -----------------------------------------------------

(function_definition name: (identifier) @function)
(extern_function_declaration name: (identifier) @function)
(macro_definition name: (identifier) @function.macro)

(class_definition
  body: (block (function_definition name: (identifier) @function.method)))

(call_expression function: (identifier) @function.call)
(call_expression
  function: (member_expression field: (identifier) @function.method.call))

(mod_definition name: (identifier) @module)
(use_statement path: (dotted_name (identifier) @module))
(import_item name: (dotted_name (identifier) @module))

(attribute "@" @attribute name: (identifier) @attribute)
(inner_attribute) @attribute
(when_block ["@when" "@end"] @keyword.directive)
(when_elif_clause "@elif" @keyword.directive)
(when_else_clause "@else" @keyword.directive)

(preprocessor_directive directive: _ @keyword.directive)
(preprocessor_directive) @preproc

; Literals ------------------------------------------------------------------

(string) @string
(raw_string) @string
(interpolation ["{" "}"] @punctuation.special)
(integer) @number
(float) @number.float
[(true) (false)] @boolean
(nil) @constant.builtin

(comment) @comment
(block_comment) @comment

((comment) @comment.documentation
  (#match? @comment.documentation "^///"))
((block_comment) @comment.documentation
  (#match? @comment.documentation "^/[*][*][^*/]"))

; Keywords ------------------------------------------------------------------

[
  "fn" "me" "macro"
] @keyword.function

[
  "class" "struct" "enum" "trait" "impl" "actor" "bitfield" "unit" "mod" "type"
  "extern" "val" "var" "let" "const" "static" "async" "sync" "literal" "kernel"
  "pub" "mut" "extends" "implements" "asm" "volatile" "assert"
  "in" "requires" "ensures" "invariant" "out" "unsafe" "shared" "with"
  "inout" "lateout" "clobber" "clobber_abi"
] @keyword

["use" "import" "export"] @keyword.import

["return"] @keyword.return

["if" "elif" "else" "match" "case" "if~"] @keyword.conditional
"=>" @punctuation.delimiter

["for" "while" "loop" "for~" "while~"] @keyword.repeat
[(break_statement) (continue_statement)] @keyword.repeat

["try" "catch" "finally" "throw" "raise"] @keyword.exception

(pass_statement) @keyword

["and" "or" "not" "xor" "is" "as"] @keyword.operator

["await" "spawn" "yield"] @keyword.coroutine
["and~" "or~"] @keyword.operator

; Forms of real code bases: test blocks, kernel launches, generic calls, asm operands.
(block_call callee: (identifier) @function.call)
(kernel_launch kernel: (identifier) @function.call)
["<<<" ">>>"] @punctuation.bracket
(asm_operand register: (identifier) @variable.builtin)
(format_spec) @string.special
(embedded_block) @string.special
(unit_literal) @number

; Operators and punctuation -------------------------------------------------

[
  "+" "-" "*" "/" "%" "**" "//" "==" "!=" "<" ">" "<=" ">=" "=" ":="
  "+=" "-=" "*=" "/=" "%=" "**=" "//=" "&=" "|=" "^=" "<<=" ">>=" "??="
  "&" "|" "^" "~" "<<" ">>" "!" "&&" "||" "??" "|>" ".." "..=" "->" "?" "?." ".?" "\\"
] @operator

["(" ")" "[" "]" "{" "}"] @punctuation.bracket
["," "." ":" ";" ".{"] @punctuation.delimiter
(wildcard_import) @character.special
