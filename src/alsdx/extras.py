"""The optional extras (pyproject.toml): the package each one brings, and the one line a command prints
when the extra it needs is not installed (the command then exits 2, without a traceback)."""

from __future__ import annotations

import importlib.util

# extra -> the top-level module it installs
EXTRAS = {"plots": "matplotlib", "spark": "pyspark"}


def missing_extra(extra: str, needed_by: str) -> str | None:
    """None when the extra is installed, else e.g. "--plot needs the optional extra 'plots': pip install 'alsdx[plots]'"."""
    if importlib.util.find_spec(EXTRAS[extra]) is not None:
        return None
    return f"{needed_by} needs the optional extra '{extra}': pip install 'alsdx[{extra}]'"
