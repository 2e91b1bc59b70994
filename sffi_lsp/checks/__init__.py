"""The SFFI rules (one module per rule or small family), their fixes, and the runner."""
