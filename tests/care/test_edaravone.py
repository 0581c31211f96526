"""Edaravone cycles (Radicava / Radicava ORS US labels): cycle 1 = 14 daily doses then 14 days off;
later cycles = 10 doses (placed on days 1-10) then 14 days off; 28-day cycles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from care_cases import care_make_case  # noqa: F401  (the make_case fixture)

from alsdx.care import build_plan
from alsdx.care.edaravone import dosing_days
from alsdx.model.case import Case

MakeCase = Callable[..., Case]


def days(first: date, n: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(n)]


def test_cycles_one_to_three_day_by_day() -> None:
    start = date(2026, 1, 1)
    doses = dosing_days(start, date(2026, 3, 25))
    expected = days(date(2026, 1, 1), 14) + days(date(2026, 1, 29), 10) + days(date(2026, 2, 26), 10)
    assert [d.date for d in doses] == expected
    assert [(d.cycle, d.dose, d.doses_in_cycle) for d in doses][:15] == [
        *((1, k, 14) for k in range(1, 15)),
        (2, 1, 10),
    ]
    assert doses[-1].cycle == 3 and doses[-1].day == 10
    # Every other day of the first three cycles is drug-free: days 15-28, and 11-28 later.
    dosing = {d.date for d in doses}
    for day in days(start, 84):
        offset = (day - start).days
        cycle, in_cycle = offset // 28 + 1, offset % 28 + 1
        assert (day in dosing) is (in_cycle <= (14 if cycle == 1 else 10))
    assert dosing_days(start, date(2026, 3, 26))[-1].date == date(2026, 3, 26)  # cycle 4 day 1


def test_cycle_two_starts_on_29_february_in_a_leap_year() -> None:
    doses = dosing_days(date(2028, 2, 1), date(2028, 3, 20))
    cycle2 = [d.date for d in doses if d.cycle == 2]
    assert cycle2 == days(date(2028, 2, 29), 10)
    assert cycle2[-1] == date(2028, 3, 9)


def test_plan_lists_doses_from_the_assessment_date(make_case: MakeCase) -> None:
    case = make_case(assessment_date="2026-01-20", medications=[{"name": "edaravone_iv", "start_date": "2025-12-01"}])
    (med,) = [m for m in build_plan(case).medications if m.name == "edaravone_iv"]
    # Cycle 2 ran 29 Dec - 7 Jan; 20 Jan is a drug-free day; cycle 3 starts 26 Jan.
    assert med.schedule[0].date == date(2026, 1, 26)
    assert med.schedule[0].action == "Edaravone 60 mg IV infusion over 60 min: cycle 3, dose 1 of 10"
    assert med.schedule[-1].date <= date(2027, 1, 20)
    assert len(med.schedule) == 130  # cycles 3-15, 10 doses each, all before 2027-01-20
    assert any("60 minutes" in i for i in med.instructions)
    assert {"contusion (15 % vs 9 % on placebo)", "headache (10 % vs 6 %)"} <= set(med.watch_for)
    assert any("sulfite" in w for w in med.watch_for)


def test_oral_fasting_instructions(make_case: MakeCase) -> None:
    case = make_case(medications=[{"name": "edaravone_oral", "start_date": "2026-01-20"}])
    (med,) = [m for m in build_plan(case).medications if m.name == "edaravone_oral"]
    text = " ".join(med.instructions)
    assert "105 mg (5 mL)" in text and "overnight fast" in text and "only water for 1 hour" in text
    assert "8 hours after a high-fat meal" in text and "4 hours after a low-fat meal" in text
    assert "2 hours after a caloric supplement" in text
    assert [s.date for s in med.schedule[:15]] == [*days(date(2026, 1, 20), 14), date(2026, 2, 17)]
    assert "fatigue" in med.watch_for


def test_route_switch_continues_the_cycle_count(make_case: MakeCase) -> None:
    case = make_case(
        medications=[
            {"name": "edaravone_iv", "start_date": "2025-10-01", "stop_date": "2025-12-07"},
            {"name": "edaravone_oral", "start_date": "2025-12-24"},
        ]
    )
    plans = {m.name: m for m in build_plan(case).medications}
    assert plans["edaravone_iv"].status == "stopped" and plans["edaravone_iv"].schedule == []
    oral = plans["edaravone_oral"]
    # Anchor 2025-10-01: cycle 5 starts 2026-01-21 (2025-10-01 + 112 days).
    assert oral.schedule[0].date == date(2026, 1, 21)
    assert oral.schedule[0].action.endswith("cycle 5, dose 1 of 10")


def test_restart_after_a_long_gap_begins_at_cycle_one(make_case: MakeCase) -> None:
    case = make_case(
        medications=[
            {"name": "edaravone_iv", "start_date": "2025-01-01", "stop_date": "2025-03-01"},
            {"name": "edaravone_iv", "start_date": "2026-01-20"},
        ]
    )
    current = [m for m in build_plan(case).medications if m.status == "current" and m.name == "edaravone_iv"]
    assert current[0].schedule[13].action.endswith("cycle 1, dose 14 of 14")
