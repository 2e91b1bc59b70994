; The dispatch arms of call_extern_function_with_values: which names an `if` sends where.

; if name.starts_with("rt_sdl2_") { ... } -- any condition: the arm is the if expression,
; its tests are the captures below inside its condition.
(if_expression
  condition: (_) @condition
  consequence: (block) @body) @arm

; name.starts_with("prefix") -- a family prefix; under `!` an exclusion.
(call_expression
  function: (field_expression
    value: (identifier) @_receiver
    field: (field_identifier) @_method)
  arguments: (arguments . (string_literal) @prefix .)
  (#eq? @_receiver "name")
  (#eq? @_method "starts_with")) @starts_with

(unary_expression
  (call_expression
    function: (field_expression
      value: (identifier) @_receiver
      field: (field_identifier) @_method)
    arguments: (arguments . (string_literal) @excluded .))
  (#eq? @_receiver "name")
  (#eq? @_method "starts_with"))

; name == "exact_name"
(binary_expression
  left: (identifier) @_receiver
  operator: "=="
  right: (string_literal) @exact
  (#eq? @_receiver "name"))

; Another guard in the condition (`&& vulkan::signature_of(name).is_some()`): only the
; family's rows pass it.
(call_expression
  function: (scoped_identifier
    path: (identifier) @guard_module
    name: (identifier) @_guard)
  (#not-eq? @_guard "dispatch")) @guard

; module::dispatch(name, ...) / module::handler(...) in an arm's body: the family's module.
(call_expression
  function: (scoped_identifier
    path: (identifier) @module)) @module_call

; match name { "a" | "b" => ..., _ => ... } -- each string pattern is a row.
(match_expression
  value: (identifier) @_value
  body: (match_block
    (match_arm
      pattern: (match_pattern
        [
          (string_literal) @match_row
          (or_pattern (string_literal) @match_row)
          (or_pattern (or_pattern (string_literal) @match_row))
        ])))
  (#eq? @_value "name"))
