; Rows of the codegen table (the interpreter's rows: interpreter_rows.scm).
; codegen/runtime_sffi.rs: RuntimeFuncSpec::new("rt_arena_new", &[I64], &[I64])
(call_expression
  function: (scoped_identifier
    path: (_) @_type
    name: (identifier) @_new)
  arguments: (arguments
    .
    (string_literal) @name
    .
    (_) @params
    .
    (_) @returns)
  (#match? @_type "(^|::)RuntimeFuncSpec$")
  (#eq? @_new "new")) @codegen

; The same rows inside a macro such as vec![...], where they are token trees:
; RuntimeFuncSpec :: new ( "rt_x" , & [ I64 ] , & [ I64 ] )
(token_tree
  (identifier) @_type
  .
  (identifier) @_new
  .
  (token_tree
    .
    (string_literal) @name
    .
    (token_tree) @params
    .
    (token_tree) @returns) @codegen
  (#eq? @_type "RuntimeFuncSpec")
  (#eq? @_new "new"))

