; Symbol tags for Simple (tree-sitter tags conventions).

(function_definition
  name: (identifier) @name) @definition.function

(extern_function_declaration
  name: (identifier) @name) @definition.function

(macro_definition
  name: (identifier) @name) @definition.macro

(class_definition name: (type_identifier) @name) @definition.class
(struct_definition name: (type_identifier) @name) @definition.class
(actor_definition name: (type_identifier) @name) @definition.class
(bitfield_definition name: (type_identifier) @name) @definition.class
(extern_class_declaration name: (type_identifier) @name) @definition.class
(enum_definition name: (type_identifier) @name) @definition.class
(trait_definition name: (type_identifier) @name) @definition.interface
(extern_type_declaration name: (type_identifier) @name) @definition.type
(type_alias name: (type_identifier) @name) @definition.type
(unit_definition name: (type_identifier) @name) @definition.type
(mod_definition name: (identifier) @name) @definition.module

(impl_definition name: (type_identifier) @name) @reference.implementation
(impl_definition name: (generic_type name: (type_identifier) @name)) @reference.implementation

(call_expression
  function: (identifier) @name) @reference.call

(call_expression
  function: (member_expression field: (identifier) @name)) @reference.call

(kernel_launch
  kernel: (identifier) @name) @reference.call
