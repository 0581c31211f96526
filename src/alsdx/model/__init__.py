"""alsdx model: the case-file contract."""
