"""Compact text rendering folds daily dosing into runs."""

from __future__ import annotations

from collections.abc import Callable

from care_cases import care_make_case  # noqa: F401  (the make_case fixture)

from alsdx.care import build_plan
from alsdx.care.text import plan_to_text
from alsdx.model.case import Case

MakeCase = Callable[..., Case]


def test_edaravone_runs_and_alerts(make_case: MakeCase) -> None:
    case = make_case(
        assessment_date="2026-01-20",
        labs=[{"date": "2026-01-15", "anc_10e9_per_l": 0.8}],
        medications=[
            {"name": "edaravone_iv", "start_date": "2026-01-20"},
            {"name": "riluzole", "start_date": "2026-01-01"},
        ],
    )
    text = plan_to_text(build_plan(case))
    assert "dosing days: 2026-01-20..2026-02-02 (14), 2026-02-17..2026-02-26 (10)" in text
    assert "[critical] riluzole_neutropenia" in text
    assert "monitoring: 2026-02-01 (riluzole month 1 check)" in text
    assert text.startswith("Care plan, 2026-01-20 to 2027-01-20")
