"""Riluzole lab alerts (Decision 19 and the EU SmPC), each at its threshold from both sides."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from care_cases import care_make_case  # noqa: F401  (the make_case fixture)

from alsdx.care import build_plan
from alsdx.care.models import Alert, Plan
from alsdx.model.case import Case

MakeCase = Callable[..., Case]
RILUZOLE = [{"name": "riluzole", "start_date": "2025-05-10"}]


def lab(when: str, **values: Any) -> dict[str, Any]:
    return {"date": when, **values}


def alerts(plan: Plan) -> dict[str, Alert]:
    return {a.id: a for a in plan.alerts}


def plan_for(
    make_case: MakeCase,
    labs: list[dict[str, Any]],
    meds: list[dict[str, Any]] | None = None,
    assessment: str = "2026-01-20",
) -> Plan:
    return build_plan(make_case(labs=labs, medications=RILUZOLE if meds is None else meds, assessment_date=assessment))


@pytest.mark.parametrize(("alt", "fires"), [(200.0, True), (199.9, False), (250.0, True)])
def test_stop_at_five_times_uln(make_case: MakeCase, alt: float, fires: bool) -> None:
    got = alerts(plan_for(make_case, [lab("2026-01-10", alt_u_per_l=alt, alt_uln_u_per_l=40)]))
    assert ("riluzole_stop_alt_5x_uln" in got) is fires
    assert ("riluzole_alt_above_uln" in got) is not fires
    if fires:
        assert got["riluzole_stop_alt_5x_uln"].severity == "critical"
        assert "discontinuing riluzole" in got["riluzole_stop_alt_5x_uln"].message


@pytest.mark.parametrize(("alt", "fires"), [(40.0, False), (40.5, True)])
def test_alt_above_uln(make_case: MakeCase, alt: float, fires: bool) -> None:
    got = alerts(plan_for(make_case, [lab("2026-01-10", alt_u_per_l=alt, alt_uln_u_per_l=40)]))
    assert ("riluzole_alt_above_uln" in got) is fires
    assert "riluzole_stop_alt_5x_uln" not in got


@pytest.mark.parametrize(("anc", "fires"), [(0.99, True), (1.0, False), (0.4, True)])
def test_neutropenia_below_one(make_case: MakeCase, anc: float, fires: bool) -> None:
    got = alerts(plan_for(make_case, [lab("2026-01-10", anc_10e9_per_l=anc)]))
    assert ("riluzole_neutropenia" in got) is fires
    if fires:
        assert got["riluzole_neutropenia"].severity == "critical"


@pytest.mark.parametrize(("alt", "fires"), [(120.0, False), (120.1, True)])
def test_baseline_above_three_times_uln(make_case: MakeCase, alt: float, fires: bool) -> None:
    labs = [
        lab("2025-05-09", alt_u_per_l=alt, alt_uln_u_per_l=40),
        lab("2025-06-10", alt_u_per_l=30, alt_uln_u_per_l=40),
    ]
    got = alerts(plan_for(make_case, labs))
    assert ("riluzole_baseline_alt_3x_uln" in got) is fires
    if fires:
        assert got["riluzole_baseline_alt_3x_uln"].severity == "warning"


def test_lab_on_the_start_date_is_on_riluzole_not_baseline(make_case: MakeCase) -> None:
    got = alerts(plan_for(make_case, [lab("2025-05-10", alt_u_per_l=130, alt_uln_u_per_l=40)]))
    assert "riluzole_baseline_alt_3x_uln" not in got
    assert "riluzole_alt_above_uln" in got


def test_only_the_latest_on_riluzole_value_counts(make_case: MakeCase) -> None:
    labs = [
        lab("2025-08-01", alt_u_per_l=250, alt_uln_u_per_l=40, anc_10e9_per_l=0.5),
        lab("2025-12-01", alt_u_per_l=30, alt_uln_u_per_l=40, anc_10e9_per_l=2.0),
    ]
    assert alerts(plan_for(make_case, labs)) == {}


def test_labs_before_start_never_trigger_the_stop_alert(make_case: MakeCase) -> None:
    got = alerts(plan_for(make_case, [lab("2025-05-01", alt_u_per_l=250, alt_uln_u_per_l=40, anc_10e9_per_l=0.5)]))
    assert set(got) == {"riluzole_baseline_alt_3x_uln", "riluzole_alt_monitoring_overdue"}


def test_labs_after_stop_date_are_not_on_riluzole(make_case: MakeCase) -> None:
    meds = [{"name": "riluzole", "start_date": "2025-05-10", "stop_date": "2025-09-01"}]
    got = alerts(plan_for(make_case, [lab("2025-09-02", alt_u_per_l=250, alt_uln_u_per_l=40)], meds))
    assert "riluzole_stop_alt_5x_uln" not in got
    on_stop_day = alerts(plan_for(make_case, [lab("2025-09-01", alt_u_per_l=250, alt_uln_u_per_l=40)], meds))
    assert on_stop_day["riluzole_stop_alt_5x_uln"].severity == "info"  # already stopped: context only
    assert "stopped on 2025-09-01" in on_stop_day["riluzole_stop_alt_5x_uln"].message


def test_uln_missing_is_reported_not_guessed(make_case: MakeCase) -> None:
    got = alerts(plan_for(make_case, [lab("2026-01-10", alt_u_per_l=500)]))
    assert set(got) == {"riluzole_alt_uln_missing"}
    baseline_only = [lab("2025-05-01", alt_u_per_l=30), lab("2026-01-10", alt_u_per_l=30, alt_uln_u_per_l=40)]
    assert set(alerts(plan_for(make_case, baseline_only))) == {"riluzole_alt_uln_missing"}
    assert alerts(plan_for(make_case, [lab("2026-01-10", alt_u_per_l=500)], meds=[])) == {}


def test_not_on_riluzole_latest_alt_is_the_would_be_baseline(make_case: MakeCase) -> None:
    plan = plan_for(make_case, [lab("2026-01-10", alt_u_per_l=121, alt_uln_u_per_l=40)], meds=[])
    assert set(alerts(plan)) == {"riluzole_baseline_alt_3x_uln"}
    riluzole = plan.medications[0]
    assert (riluzole.name, riluzole.status, riluzole.monitoring) == ("riluzole", "to_be_considered", [])


# Overdue: start 2025-01-10, month 1 = 2025-02-10, month 2 = 2025-03-10; grace 14 days.
BASELINE = lab("2025-01-05", alt_u_per_l=20, alt_uln_u_per_l=40)
START = [{"name": "riluzole", "start_date": "2025-01-10"}]


@pytest.mark.parametrize(("assessment", "fires"), [("2025-02-24", False), ("2025-02-25", True)])
def test_overdue_after_fourteen_day_grace(make_case: MakeCase, assessment: str, fires: bool) -> None:
    got = alerts(plan_for(make_case, [BASELINE], START, assessment))
    assert ("riluzole_alt_monitoring_overdue" in got) is fires
    if fires:
        assert "due 2025-02-10 (month 1)" in got["riluzole_alt_monitoring_overdue"].message


def test_result_on_the_due_date_meets_it(make_case: MakeCase) -> None:
    labs = [BASELINE, lab("2025-02-10", alt_u_per_l=25, alt_uln_u_per_l=40)]
    assert alerts(plan_for(make_case, labs, START, "2025-03-24")) == {}
    got = alerts(plan_for(make_case, labs, START, "2025-03-25"))
    assert "due 2025-03-10 (month 2)" in got["riluzole_alt_monitoring_overdue"].message


def test_result_the_day_before_does_not_meet_it(make_case: MakeCase) -> None:
    labs = [BASELINE, lab("2025-02-09", alt_u_per_l=25, alt_uln_u_per_l=40)]
    assert "riluzole_alt_monitoring_overdue" in alerts(plan_for(make_case, labs, START, "2025-02-25"))


def test_no_alt_on_file_makes_the_baseline_check_overdue(make_case: MakeCase) -> None:
    assert alerts(plan_for(make_case, [], START, "2025-01-24")) == {}
    got = alerts(plan_for(make_case, [], START, "2025-01-25"))
    assert "due 2025-01-10 (baseline (start date))" in got["riluzole_alt_monitoring_overdue"].message


def test_no_overdue_reminder_once_stopped(make_case: MakeCase) -> None:
    meds = [{"name": "riluzole", "start_date": "2025-01-10", "stop_date": "2025-01-20"}]
    assert alerts(plan_for(make_case, [BASELINE], meds, "2025-06-01")) == {}


def test_critical_alerts_come_first(make_case: MakeCase) -> None:
    labs = [
        lab("2025-05-01", alt_u_per_l=130, alt_uln_u_per_l=40),
        lab("2026-01-10", alt_u_per_l=210, alt_uln_u_per_l=40, anc_10e9_per_l=0.8),
    ]
    plan = plan_for(make_case, labs)
    assert [a.severity for a in plan.alerts] == ["critical", "critical", "warning"]


def test_monitoring_lists_checks_in_the_horizon(make_case: MakeCase) -> None:
    plan = plan_for(make_case, [], [{"name": "riluzole", "start_date": "2025-12-31"}], "2026-01-20")
    assert [m.date for m in plan.medications[0].monitoring] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 6, 30),
        date(2026, 9, 30),
        date(2026, 12, 31),
    ]


def test_a_check_with_a_result_on_its_due_date_is_done(make_case: MakeCase) -> None:
    """Start 2025-12-20: the month-1 check (2026-01-20) is met by an ALT taken that day, so it is not due."""
    labs = [
        lab("2025-12-20", alt_u_per_l=30, alt_uln_u_per_l=40),
        lab("2026-01-20", alt_u_per_l=30, alt_uln_u_per_l=40),
    ]
    plan = plan_for(make_case, labs, [{"name": "riluzole", "start_date": "2025-12-20"}], "2026-01-20")
    dates = [m.date for m in plan.medications[0].monitoring]
    assert dates[0] == date(2026, 2, 20) and date(2026, 1, 20) not in dates
    assert all("2026-01-20" not in str(d.date) or "ALT" not in d.item for d in plan.next_due)


def test_without_a_result_on_the_due_date_the_check_stays_due(make_case: MakeCase) -> None:
    labs = [lab("2025-12-20", alt_u_per_l=30, alt_uln_u_per_l=40)]
    plan = plan_for(make_case, labs, [{"name": "riluzole", "start_date": "2025-12-20"}], "2026-01-20")
    assert plan.medications[0].monitoring[0].date == date(2026, 1, 20)


@pytest.mark.parametrize(("alt", "monthly"), [(40.0, False), (40.5, True), (60.0, True)])
def test_alt_above_uln_makes_the_checks_monthly(make_case: MakeCase, alt: float, monthly: bool) -> None:
    """EU SmPC 4.4 'more frequently' after a raised ALT: monthly from the result (the SmPC's first-3-month rhythm)."""
    labs = [
        lab("2025-09-20", alt_u_per_l=30, alt_uln_u_per_l=40),
        lab("2026-01-20", alt_u_per_l=alt, alt_uln_u_per_l=40),
    ]
    plan = plan_for(make_case, labs, [{"name": "riluzole", "start_date": "2025-10-20"}], "2026-01-20")
    dates = [m.date for m in plan.medications[0].monitoring]
    if monthly:
        assert dates == [date(2026, m, 20) for m in range(2, 13)] + [date(2027, 1, 20)]
        assert "monthly" in plan.medications[0].monitoring[0].test
        assert "monthly from this result" in alerts(plan)["riluzole_alt_above_uln"].message
    else:  # routine: months 6, 9, 12 after the 2025-10-20 start, then 6-monthly; month 3 met on 2026-01-20
        assert dates == [date(2026, 4, 20), date(2026, 7, 20), date(2026, 10, 20)]
    due = [d for d in plan.next_due if "ALT" in d.item]
    assert due[0].date == dates[0]
