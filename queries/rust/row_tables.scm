; Static row tables: arrays of tuples whose first field is a name, such as
; `pub const SDL2_FNS: &[(&str, Ret, &str)] = &[("rt_sdl2_init", Ret::V, ""), ...];`
; and CAPABILITY_GAP_FAMILIES (prefix, label). The item name says which table.
[
  (const_item
    name: (identifier) @table
    value: (reference_expression
      value: (array_expression
        (tuple_expression . (string_literal) @row))))
  (static_item
    name: (identifier) @table
    value: (reference_expression
      value: (array_expression
        (tuple_expression . (string_literal) @row))))
]

; Arrays of strings: `const SATELLITE_PREFIXES: &[&str] = &["ts", "torch", ...];`
[
  (const_item
    name: (identifier) @list
    value: (reference_expression
      value: (array_expression (string_literal) @item)))
  (static_item
    name: (identifier) @list
    value: (reference_expression
      value: (array_expression (string_literal) @item)))
]
