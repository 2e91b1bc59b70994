; Rows of the interpreter's dispatch table (interpreter_extern/mod.rs, init_dispatch_table).

; insert_simple!("name", module::handler); -- single-line or with the name on its own line
(macro_invocation
  macro: (identifier) @_macro
  (token_tree
    .
    (string_literal) @name)
  (#eq? @_macro "insert_simple")) @insert_simple

; m.insert("name", (|evaluated, env, ...| ...) as ExternHandler);
(call_expression
  function: (field_expression
    field: (field_identifier) @_insert)
  arguments: (arguments
    .
    (string_literal) @name
    .
    (type_cast_expression
      type: (type_identifier) @_handler))
  (#eq? @_insert "insert")
  (#eq? @_handler "ExternHandler")) @map_insert
