"""alsdx: ALS clinical decision support. It supports a clinician's decision; it does not diagnose.

The library's public API. Every name here is a function or a model, never a submodule: the engine lives in
``alsdx.engine`` (docs/architecture.md).
"""

from __future__ import annotations

from alsdx.engine.assess import assess, assess_many
from alsdx.engine.results import Assessment
from alsdx.model.case import Case
from alsdx.model.load import load_case
from alsdx.rules.version import RULESET_VERSION

__all__ = ["RULESET_VERSION", "Assessment", "Case", "assess", "assess_many", "load_case"]
