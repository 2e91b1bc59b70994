"""External programs behind commands: the process runner (``process``), the wrapper
generator (``generator``, ``generated_state``), cargo (``cargo``) and library
registration (``register``). No LSP types here; the server and CLI call these."""
