;; Syntax errors: ERROR nodes and nodes the parser inserted (MISSING).
(ERROR) @error
(MISSING) @missing
