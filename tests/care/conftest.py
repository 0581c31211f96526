"""Shared builders for the care-plan tests: a minimal valid case, overridden per test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from alsdx.model.case import Case
from alsdx.model.load import case_from_dict

BASE: dict[str, Any] = {
    "id": "care-test",
    "symptom_onset": "2024-06-01",
    "assessment_date": "2026-01-20",
    "course": "progressive",
}


def case_with(**fields: Any) -> Case:
    return case_from_dict({**BASE, **fields})


@pytest.fixture
def make_case() -> Callable[..., Case]:
    return case_with
