; Function-like macros, such as `#define S1(n) int64_t n(int64_t port) { ... }`: the
; body decides whether a parameter names a function the macro defines.
(preproc_function_def
  name: (identifier) @name
  parameters: (preproc_params) @params
  value: (preproc_arg) @body) @macro
