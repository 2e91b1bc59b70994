; Functions that may be C-ABI exports: `pub extern "C" fn` (also `pub unsafe extern "C" fn`).
; Whether they carry #[no_mangle] / #[unsafe(no_mangle)] is decided from the attributes
; that precede the item (sibling attribute_item nodes).
(function_item
  (visibility_modifier) @visibility
  (function_modifiers
    (extern_modifier (string_literal) @abi))
  name: (identifier) @name
  parameters: (parameters) @params) @function
