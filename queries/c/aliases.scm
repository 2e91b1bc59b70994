; __attribute__((alias("target"))) on a declaration: the declared function is defined
; (as another name for the target), not merely declared.
(attribute_specifier
  (argument_list
    (call_expression
      function: (identifier) @_alias
      arguments: (argument_list (string_literal) @target)))
  (#eq? @_alias "alias")) @attribute
