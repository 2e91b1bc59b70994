"""The language server: a thin pygls adapter over the same core the CLI uses."""
