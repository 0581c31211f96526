"""HTTP doors of alsdx (FastAPI)."""
