; codegen/instr/calls.rs: fn sffi_alias_target(name: &str) -> Option<&'static str> with
; arms `"rt_print" => Some("rt_print_value")`. Arms count only inside that function.
(function_item
  name: (identifier) @_fn
  (#eq? @_fn "sffi_alias_target")) @alias_fn

(match_arm
  pattern: (match_pattern (string_literal) @from)
  value: (call_expression
    function: (identifier) @_some
    arguments: (arguments . (string_literal) @to .))
  (#eq? @_some "Some")) @alias
