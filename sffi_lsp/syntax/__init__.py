"""Tree-sitter languages (Simple, Rust, C, C++) and the queries the index runs."""
