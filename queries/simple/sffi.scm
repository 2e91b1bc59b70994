; Captures sffi-lsp relies on. Capture names are a contract: keep them.

(extern_function_declaration) @extern.function
(extern_type_declaration) @extern.type
(extern_class_declaration) @extern.class

(function_definition) @function

[
  (class_definition)
  (struct_definition)
  (enum_definition)
  (trait_definition)
  (actor_definition)
] @class

; Generic calls `f<T>(x)` are call_expressions too (field `type_arguments`), and the
; call inside `me f(x)` is one: both are found here.
(call_expression
  function: (identifier) @call.name) @call

; A kernel launch `k<<<grid: g>>>(x)` counts as a call of the kernel.
(kernel_launch
  kernel: (identifier) @call.name) @call

; Doc comments above a declaration are read as its preceding siblings (comments are
; extras), so they are not captured here: capturing every comment costs more than the rest.
