"""Helpers for the mimic kernel tests: build a valid case from a few fields and run the differential stage."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from alsdx.model.case import Case
from alsdx.model.columns import case_columns
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


@pytest.fixture
def mimic() -> Callable[..., dict[str, Any]]:
    """mimic('kennedy_disease', sex='male', ...) -> that mimic's outputs for the case built from fields."""

    def _run(mimic_id: str, **fields: Any) -> dict[str, Any]:
        return mimic_row(mimic_id, make_case(**fields))

    return _run


@pytest.fixture
def classic_als() -> Case:
    return load_case(EXAMPLES / "bulbar-onset.yaml")


@pytest.fixture
def example_case() -> Callable[[str], Case]:
    """example('mimic-pls') -> the validated example case examples/cases/mimic-pls.yaml."""
    return lambda name: load_case(EXAMPLES / f"{name}.yaml")


@pytest.fixture
def build() -> Callable[..., Case]:
    """build(sex='male', exam={...}) -> a validated Case on top of a minimal valid one."""
    return make_case


@pytest.fixture
def kernels() -> Callable[[list[Case]], Differential]:
    """kernels([case, ...]) -> the differential stage's outputs for the batch."""
    return run


@pytest.fixture
def lab() -> Callable[..., list[dict[str, Any]]]:
    """lab(ck_u_per_l=1200) -> a one-panel labs list."""

    def _lab(**values: Any) -> list[dict[str, Any]]:
        return [{"date": "2023-12-31", **values}]

    return _lab
