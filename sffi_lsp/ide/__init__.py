"""Editor features as plain data: what is at a position, hover text, references, rename
edits, symbols, completion items and the findings of a project kept up to date.

Nothing here knows the Language Server Protocol; ``sffi_lsp/server`` converts these
values to lsprotocol types, and the CLI could print them.
"""
