"""alsdx: ALS clinical decision support. It supports a clinician's decision; it does not diagnose."""

from __future__ import annotations

RULESET_VERSION = "2026.11.1"
"""Version of the clinical ruleset (criteria, decisions, mimics, course, care); stored with every assessment."""

# Bound after RULESET_VERSION (the engine imports it). Binding the function here also shadows the
# ``alsdx.assess`` submodule attribute, so ``from alsdx import assess`` is always the function.
from alsdx.assess import assess  # noqa: E402
from alsdx.model.load import load_case  # noqa: E402

__all__ = ["RULESET_VERSION", "assess", "load_case"]
