"""Tofersen (Qalsody US label): SOD1 P/LP only; loading days 1, 15, 29, then every 28 days."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from care_cases import care_make_case  # noqa: F401  (the make_case fixture)

from alsdx.care import build_plan
from alsdx.care.tofersen import dose_dates
from alsdx.model.case import Case

MakeCase = Callable[..., Case]
TOFERSEN = [{"name": "tofersen", "start_date": "2026-01-10"}]


def test_loading_then_every_28_days() -> None:
    got = dose_dates(date(2026, 1, 10), date(2026, 5, 2))
    assert got == [
        (date(2026, 1, 10), "loading dose 1 of 3"),
        (date(2026, 1, 24), "loading dose 2 of 3"),
        (date(2026, 2, 7), "loading dose 3 of 3"),
        (date(2026, 3, 7), "maintenance dose, every 28 days"),
        (date(2026, 4, 4), "maintenance dose, every 28 days"),
        (date(2026, 5, 2), "maintenance dose, every 28 days"),
    ]
    assert dose_dates(date(2028, 2, 1), date(2028, 3, 31))[1:4] == [
        (date(2028, 2, 15), "loading dose 2 of 3"),
        (date(2028, 2, 29), "loading dose 3 of 3"),
        (date(2028, 3, 28), "maintenance dose, every 28 days"),
    ]


def tofersen_entries(case: Case) -> list[Any]:
    return [m for m in build_plan(case).medications if m.name == "tofersen"]


@pytest.mark.parametrize(
    ("variants", "scheduled"),
    [
        ([{"gene": "SOD1", "classification": "pathogenic"}], True),
        ([{"gene": "SOD1", "classification": "likely_pathogenic"}], True),
        ([{"gene": "sod1", "classification": "pathogenic"}], True),
        ([{"gene": "SOD1", "classification": "vus"}], False),
        ([{"gene": "SOD1", "classification": "benign"}], False),
        ([{"gene": "FUS", "classification": "pathogenic"}], False),
        ([], False),
    ],
)
def test_only_with_a_pathogenic_sod1_variant(make_case: MakeCase, variants: list[Any], scheduled: bool) -> None:
    case = make_case(genetics={"variants": variants}, medications=TOFERSEN)
    entries = tofersen_entries(case)
    assert bool(entries) is scheduled
    ids = {a.id for a in build_plan(case).alerts}
    assert ("tofersen_without_sod1_plp" in ids) is not scheduled
    if scheduled:
        assert [s.date for s in entries[0].schedule[:3]] == [
            date(2026, 1, 24),
            date(2026, 2, 7),
            date(2026, 3, 7),
        ]
        assert {"myelitis and radiculitis", "aseptic meningitis"} <= set(entries[0].watch_for)


def test_c9orf72_does_not_qualify(make_case: MakeCase) -> None:
    case = make_case(genetics={"c9orf72_repeat_expansion": True})
    assert tofersen_entries(case) == []


def test_offered_for_consideration_when_not_listed(make_case: MakeCase) -> None:
    case = make_case(genetics={"variants": [{"gene": "SOD1", "classification": "pathogenic"}]})
    (entry,) = tofersen_entries(case)
    assert entry.status == "to_be_considered" and entry.schedule == []
    without = make_case(genetics={"variants": [{"gene": "SOD1", "classification": "vus"}]})
    assert tofersen_entries(without) == []
