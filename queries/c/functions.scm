; Function declarations and definitions whose name is a plain identifier (not a method,
; not a qualified C++ name), returning a value or a pointer (up to two levels).
(function_definition
  declarator: [
    (function_declarator
      declarator: (identifier) @name
      parameters: (parameter_list) @params)
    (pointer_declarator
      declarator: (function_declarator
        declarator: (identifier) @name
        parameters: (parameter_list) @params))
    (pointer_declarator
      declarator: (pointer_declarator
        declarator: (function_declarator
          declarator: (identifier) @name
          parameters: (parameter_list) @params)))
  ]) @function

(declaration
  declarator: [
    (function_declarator
      declarator: (identifier) @name
      parameters: (parameter_list) @params)
    (pointer_declarator
      declarator: (function_declarator
        declarator: (identifier) @name
        parameters: (parameter_list) @params))
    (pointer_declarator
      declarator: (pointer_declarator
        declarator: (function_declarator
          declarator: (identifier) @name
          parameters: (parameter_list) @params)))
  ]) @function

; extern "C" { ... } and extern "C" int f(void);
(linkage_specification
  value: (string_literal) @abi) @linkage
