"""The trial-file contract (docs/trials.md) as JSON Schema, for the OpenAPI of ``GET /v1/trials`` and
``POST /v1/trials:screen``, and the service's bounds on an inline trial.

The schema says what JSON Schema can say (keys, types, the facts' names, one shape for a manual criterion and one
for a condition on a fact); ``alsdx.trials.model.parse_trial`` stays the judge and also checks what it cannot say
(a category value in the fact's list, min not above max, one condition kind, unique criterion ids). Everything the
schema refuses, the service refuses too (the schemathesis tests send schema-violating requests).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from alsdx.trials.facts_catalog import FACTS
from alsdx.trials.model import ID_PATTERN, MAX_CRITERIA_PER_TRIAL, Trial, TrialFileError

MAX_TRIALS_PER_REQUEST: Final = 20
MAX_VALUES_PER_CRITERION: Final = 50
"""Values of one ``in`` list; the longest category list of the facts has a dozen values."""

_SCALAR = {"type": ["string", "number", "boolean"]}
_COMMON = {
    "id": {"type": "string", "pattern": ID_PATTERN},
    "kind": {"enum": ["inclusion", "exclusion"]},
    "text": {"type": "string", "description": "The protocol's words."},
}
MANUAL_CRITERION: Final[dict[str, Any]] = {
    "type": "object",
    "description": "A criterion for the investigator (never counted as passed).",
    "required": ["id", "kind", "manual"],
    "additionalProperties": False,
    "properties": {**_COMMON, "manual": {"const": True}},
}
FACT_CRITERION: Final[dict[str, Any]] = {
    "type": "object",
    "description": "Exactly one condition on the fact: in (a list), min and/or max (inclusive), or equals.",
    "required": ["id", "kind", "fact"],
    "additionalProperties": False,
    "properties": {
        **_COMMON,
        "fact": {"enum": list(FACTS)},
        "in": {"type": "array", "minItems": 1, "maxItems": MAX_VALUES_PER_CRITERION, "items": _SCALAR},
        "min": {"type": "number"},
        "max": {"type": "number"},
        "equals": _SCALAR,
    },
}
TRIAL_DOCUMENT: Final[dict[str, Any]] = {
    "type": "object",
    "title": "Trial",
    "description": "A trial file's content (docs/trials.md).",
    "required": ["id", "title", "source", "criteria"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": ID_PATTERN},
        "title": {"type": "string"},
        "source": {"type": "string", "description": "Where the criteria come from (registry record, version)."},
        "criteria": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_CRITERIA_PER_TRIAL,
            "items": {"anyOf": [FACT_CRITERION, MANUAL_CRITERION]},
        },
    },
}
TRIAL_ITEM: Final[dict[str, Any]] = {
    "anyOf": [
        {"type": "string", "pattern": ID_PATTERN, "description": "The id of a configured trial (GET /v1/trials)."},
        TRIAL_DOCUMENT,
    ]
}


def check_bounds(doc: Mapping[str, Any], where: str) -> None:
    """The service's bounds on an inline trial, checked before ``parse_trial`` builds anything from it."""
    criteria = doc.get("criteria")
    for i, raw in enumerate(criteria if isinstance(criteria, list) else ()):
        values = raw.get("in") if isinstance(raw, Mapping) else None
        if isinstance(values, list) and len(values) > MAX_VALUES_PER_CRITERION:
            raise TrialFileError(
                f"{where}: criteria[{i}]: in: {len(values)} values; at most {MAX_VALUES_PER_CRITERION}"
            )


def trial_document(trial: Trial) -> dict[str, Any]:
    """A trial as its file would write it (only the keys it sets), so a listed trial can be sent back inline."""
    doc = trial.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    for criterion in doc["criteria"]:
        for key in ("min", "max"):
            if isinstance(criterion.get(key), float) and criterion[key].is_integer():
                criterion[key] = int(criterion[key])
    return doc
