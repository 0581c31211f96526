"""The engine: the kernel pipeline, its assembly into results, and the explanations (docs/architecture.md)."""
