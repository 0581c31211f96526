"""Clinical rules as column kernels: numpy in, numpy out, one element per patient (docs/architecture.md)."""
