"""alsdx: ALS clinical decision support. It supports a clinician's decision; it does not diagnose."""

from __future__ import annotations

RULESET_VERSION = "2026.11.0"
"""Version of the clinical ruleset (criteria, decisions, mimics, course, care); stored with every assessment."""

__all__ = ["RULESET_VERSION", "assess", "load_case"]


def __getattr__(name: str):  # type: ignore[no-untyped-def]
    # Lazy, so `import alsdx` stays cheap for the CLI and the kernels.
    if name == "assess":
        from alsdx.assess import assess

        return assess
    if name == "load_case":
        from alsdx.model.load import load_case

        return load_case
    raise AttributeError(name)
