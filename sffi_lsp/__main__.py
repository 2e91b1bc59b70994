"""``python -m sffi_lsp`` runs the command-line interface."""

from sffi_lsp.cli import main

raise SystemExit(main())
