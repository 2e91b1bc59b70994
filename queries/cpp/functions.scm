; inherits: c
; C++ declares and defines C functions with the same nodes; extern "C" blocks are
; linkage_specification nodes whose bodies the C patterns match as they are.
