"""Helpers for the mimic kernel tests (a uniquely named module, not a conftest: the suite imports ``conftest``).

Build a valid case from a few fields and run the differential stage."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from alsdx.columns.from_case import case_columns
from alsdx.model.case import Case
from alsdx.model.load import load_case
from alsdx.rules.criteria.regions import region_evidence
from alsdx.rules.differential import Differential, differential

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "cases"
BASE: dict[str, Any] = {
    "id": "t",
    "sex": "unknown",
    "symptom_onset": "2024-01-01",
    "assessment_date": "2025-06-01",
    "course": "progressive",
}


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def make_case(**fields: Any) -> Case:
    return Case.model_validate(merge(BASE, fields))


def run(cases: list[Case]) -> Differential:
    cols = case_columns(cases)
    return differential(cols, region_evidence(cols))


def mimic_row(mimic_id: str, case: Case) -> dict[str, Any]:
    """The mimic kernel's outputs for one case as Python scalars (level as int, flags as bool)."""
    out = run([case]).mimics[mimic_id]
    return {k: (int(v[0]) if k == "level" else bool(v[0])) for k, v in out.items()}


def mimic(mimic_id: str, **fields: Any) -> dict[str, Any]:
    """mimic('kennedy_disease', sex='male', ...) -> that mimic's outputs for the case built from fields."""
    return mimic_row(mimic_id, make_case(**fields))


kernels = run
CLASSIC_ALS = load_case(EXAMPLES / "bulbar-onset.yaml")


def example_case(name: str) -> Case:
    """example_case('mimic-pls') -> the validated example examples/cases/mimic-pls.yaml."""
    return load_case(EXAMPLES / f"{name}.yaml")


def lab(**values: Any) -> list[dict[str, Any]]:
    """lab(ck_u_per_l=1200) -> a one-panel labs list."""
    return [{"date": "2023-12-31", **values}]
