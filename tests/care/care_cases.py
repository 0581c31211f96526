"""Care-plan test cases: a minimal valid case, overridden per test.

Imported by the care test modules (not a conftest.py: the root conftest is imported by name by other tests,
and its `make_case` has other defaults; importing this fixture overrides it per module)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from alsdx.model.case import ALSFRS_ITEMS, Case
from alsdx.model.load import case_from_dict

MakeCase = Callable[..., Case]
NORMAL_ITEMS: dict[str, int] = dict.fromkeys(ALSFRS_ITEMS, 4)
"""Every ALSFRS-R item at its normal score (4); tests override the item under test."""

BASE: dict[str, Any] = {
    "id": "care-test",
    "symptom_onset": "2024-06-01",
    "assessment_date": "2026-01-20",
    "course": "progressive",
}


def case_with(**fields: Any) -> Case:
    return case_from_dict({**BASE, **fields})


@pytest.fixture(name="make_case")
def care_make_case() -> Callable[..., Case]:
    return case_with
