"""sffi-lsp: a language server and checker for the FFI layer (SFFI) of the Simple language."""

__version__ = "0.1.0"
