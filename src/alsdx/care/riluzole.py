"""Riluzole in the care plan: the lab panels Decision 19 reads, the dated ALT calendar, the alerts' wording.

The rules (thresholds, alerts, the check schedule and its sources) are the kernel's, ``alsdx.rules.care.riluzole``
(docs/ruleset.md Decision 19); this module selects the case's lab panels into its columns and words the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

import numpy as np

from alsdx.care.columns import Columns
from alsdx.care.dates import add_months, day_number, from_day_number
from alsdx.care.models import Alert, MedicationPlan, MonitoringItem, Severity
from alsdx.model.case import Case, LabPanel, Medication
from alsdx.rules.care.riluzole import (
    ALERT_SEVERITY,
    OVERDUE_GRACE_DAYS,
    RAISED_ALT_INTERVAL_MONTHS,
    SOURCE,
    alt_check_months,
    first_unmet_check,
)


def _check_label(month: int) -> str:
    return "baseline (start date)" if month == 0 else f"month {month}"


def alt_check_dates(start: date, until: date) -> list[tuple[date, str]]:
    """Every scheduled ALT check from ``start`` to ``until`` inclusive, with its label."""
    out: list[tuple[date, str]] = []
    for month in alt_check_months():
        when = add_months(start, month)
        if when > until:
            return out
        out.append((when, _check_label(month)))
    return out


def current_course(case: Case) -> Medication | None:
    """The riluzole entry the plan follows: the one with the latest start date."""
    courses = [m for m in case.medications if m.name == "riluzole"]
    return max(courses, key=lambda m: m.start_date, default=None)


def _latest(panels: list[LabPanel], field: str) -> LabPanel | None:
    with_value = [p for p in panels if getattr(p, field) is not None]
    return max(with_value, key=lambda p: p.date, default=None)


@dataclass(frozen=True)
class RiluzoleLabs:
    """The lab panels Decision 19 selects, and the first unmet ALT check."""

    course: Medication | None
    checks: list[tuple[date, str]]
    """Scheduled ALT checks from the start date to the plan horizon (empty when not on riluzole)."""
    alt_on: LabPanel | None
    anc_on: LabPanel | None
    alt_baseline: LabPanel | None
    unmet_check: tuple[date, str] | None


def select_labs(case: Case, until: date) -> RiluzoleLabs:
    course = current_course(case)
    if course is None:
        return RiluzoleLabs(None, [], None, None, _latest(case.labs, "alt_u_per_l"), None)
    checks = alt_check_dates(course.start_date, until)
    stop = course.stop_date or date.max
    on = [p for p in case.labs if course.start_date <= p.date <= stop]
    before = [p for p in case.labs if p.date < course.start_date]
    alt_on = _latest(on, "alt_u_per_l")
    return RiluzoleLabs(
        course,
        checks,
        alt_on,
        _latest(on, "anc_10e9_per_l"),
        _latest(before, "alt_u_per_l"),
        _first_unmet(case, course, alt_on),
    )


def _first_unmet(case: Case, course: Medication, alt_on: LabPanel | None) -> tuple[date, str] | None:
    """The earliest scheduled check before the assessment date with no ALT on or after it (the kernel's rule)."""
    start = day_number(course.start_date)
    latest = start - 1 if alt_on is None else day_number(alt_on.date)
    any_alt = _latest(case.labs, "alt_u_per_l") is not None
    exists, month, day = first_unmet_check(
        np.array([start]), np.array([day_number(case.assessment_date)]), np.array([latest]), np.array([any_alt])
    )
    if not exists[0]:
        return None
    return from_day_number(int(day[0])), _check_label(int(month[0]))


def _col(panel: LabPanel | None, field: str) -> np.ndarray:
    value = None if panel is None else getattr(panel, field)
    return np.array([np.nan if value is None else float(value)])


def riluzole_columns(case: Case, labs: RiluzoleLabs) -> dict[str, np.ndarray]:
    course = labs.course
    current = course is not None and course.stop_date is None
    unmet_days = np.nan if labs.unmet_check is None else (case.assessment_date - labs.unmet_check[0]).days
    return {
        "riluzole_listed": np.array([course is not None]),
        "riluzole_current": np.array([current]),
        "alt_on": _col(labs.alt_on, "alt_u_per_l"),
        "alt_uln_on": _col(labs.alt_on, "alt_uln_u_per_l"),
        "anc_on": _col(labs.anc_on, "anc_10e9_per_l"),
        "alt_baseline": _col(labs.alt_baseline, "alt_u_per_l"),
        "alt_uln_baseline": _col(labs.alt_baseline, "alt_uln_u_per_l"),
        "days_since_unmet_check": np.array([float(unmet_days)]),
    }


def _alt_text(p: LabPanel) -> str:
    assert p.alt_u_per_l is not None
    ratio = "" if p.alt_uln_u_per_l is None else f" = {p.alt_u_per_l / p.alt_uln_u_per_l:.2f} x ULN"
    uln = "" if p.alt_uln_u_per_l is None else f" (ULN {p.alt_uln_u_per_l:g})"
    return f"ALT {p.alt_u_per_l:g} U/L{uln} on {p.date}{ratio}"


def alerts(case: Case, labs: RiluzoleLabs, fired: Columns) -> list[Alert]:
    course = labs.course
    stopped = course is not None and course.stop_date is not None
    tail = (
        f" Riluzole is recorded as stopped on {course.stop_date}."
        if stopped and course is not None and course.stop_date
        else ""
    )
    out: list[Alert] = []

    def add(alert_id: str, message: str) -> None:
        if fired[alert_id][0]:
            severity = cast(Severity, ALERT_SEVERITY[alert_id][stopped])
            out.append(Alert(id=alert_id, severity=severity, message=message, source=SOURCE))

    if labs.alt_on is not None:
        add(
            "riluzole_stop_alt_5x_uln",
            f"{_alt_text(labs.alt_on)} on riluzole, at or above 5 x ULN: the EU SmPC advises discontinuing "
            f"riluzole, and re-administration is not recommended. For the prescriber's review.{tail}",
        )
        add(
            "riluzole_alt_above_uln",
            f"{_alt_text(labs.alt_on)} on riluzole, above ULN but below 5 x ULN: the EU SmPC advises "
            f"more frequent ALT monitoring; the calendar checks ALT monthly from this result.{tail}",
        )
        add(
            "riluzole_alt_uln_missing",
            f"ALT on {labs.alt_on.date} has no upper limit of normal (alt_uln_u_per_l): the riluzole "
            "x ULN thresholds cannot be evaluated.",
        )
    if labs.anc_on is not None:
        add(
            "riluzole_neutropenia",
            f"ANC {labs.anc_on.anc_10e9_per_l:g} x 10^9/L on {labs.anc_on.date} on riluzole, below "
            f"1.0 x 10^9/L: neutropenia — the EU SmPC advises discontinuing riluzole in case of "
            f"neutropenia; to be evaluated by the prescriber.{tail}",
        )
    if labs.alt_baseline is not None:
        context = "before the riluzole start" if course is not None else "on file (riluzole not started)"
        add(
            "riluzole_baseline_alt_3x_uln",
            f"Last {_alt_text(labs.alt_baseline)} {context}, above 3 x ULN: caution — baseline transaminases "
            "> 3 x ULN are a contraindication in the EU SmPC.",
        )
        if labs.alt_on is None:
            add(
                "riluzole_alt_uln_missing",
                f"ALT on {labs.alt_baseline.date} has no upper limit of normal (alt_uln_u_per_l): the "
                "riluzole x ULN thresholds cannot be evaluated.",
            )
    if labs.unmet_check is not None:
        when, label = labs.unmet_check
        days = (case.assessment_date - when).days
        add(
            "riluzole_alt_monitoring_overdue",
            f"Riluzole ALT check due {when} ({label}) has no ALT result on or after it ({days} days ago, "
            f"beyond the {OVERDUE_GRACE_DAYS}-day grace window): reminder to check ALT.",
        )
    return out


INSTRUCTIONS = [
    "50 mg every 12 hours, per label; continuous.",
    "Report any febrile illness: white cell count, and riluzole is discontinued in case of neutropenia (EU SmPC).",
    "Dry cough or dyspnoea: chest radiograph; riluzole is stopped if interstitial lung disease is found (EU SmPC).",
]
WATCH_FOR = [
    "raised transaminases / hepatitis",
    "neutropenia",
    "interstitial lung disease",
    "asthenia",
    "nausea",
]
ELIGIBILITY = [
    "EU SmPC: contraindicated in hepatic disease or with baseline transaminases > 3 x ULN, in pregnancy "
    "and breast-feeding; prescribe with care after abnormal liver function or transaminases up to 3 x ULN.",
    "US label: use not recommended if transaminases exceed 5 x ULN; discontinue if there is evidence of "
    "liver dysfunction (e.g. raised bilirubin).",
]
CALENDAR_NOTE = (
    "ALT at the start date and months 1, 2, 3, 6, 9 and 12 (EU SmPC: monthly for 3 months, 3-monthly for "
    "the rest of the first year), then every 6 months (alsdx's choice for the SmPC's 'periodically'), "
    "each counted in calendar months from the start date."
)


def _checks_to_come(case: Case, labs: RiluzoleLabs, raised: bool, until: date) -> list[tuple[date, str]]:
    """The ALT checks not yet met: a result dated on or after a check meets it (on the due date too); the
    baseline check is met by any ALT on file. After a raised on-riluzole ALT, monthly checks from that result."""
    latest = labs.alt_on.date if labs.alt_on is not None else None
    any_alt = _latest(case.labs, "alt_u_per_l") is not None
    course = labs.course
    assert course is not None
    to_come = [
        (when, label)
        for when, label in labs.checks
        if not (any_alt if when == course.start_date else latest is not None and latest >= when)
    ]
    if not raised or latest is None:
        return to_come
    monthly: list[tuple[date, str]] = []
    overdue: date | None = None
    step = RAISED_ALT_INTERVAL_MONTHS
    while (when := add_months(latest, step)) <= until:
        if when < case.assessment_date:  # missed monthly checks: one check now, not a list of past dates
            overdue = overdue or when
        else:
            monthly.append((when, f"monthly (ALT above ULN on {latest})"))
        step += RAISED_ALT_INTERVAL_MONTHS
    if overdue is not None:
        monthly.insert(0, (case.assessment_date, f"monthly (ALT above ULN on {latest}; due since {overdue})"))
    return monthly


def medication_plan(case: Case, labs: RiluzoleLabs, fired: Columns, start: date, until: date) -> MedicationPlan:
    """The riluzole entry: current or stopped with its calendar, or 'to be considered'."""
    course = labs.course
    notes = [*ELIGIBILITY, CALENDAR_NOTE]
    if labs.alt_baseline is not None:
        which = "Last ALT before start" if course is not None else "Latest ALT (would-be baseline)"
        notes.append(f"{which}: {_alt_text(labs.alt_baseline)}.")
    if fired["riluzole_to_be_considered"][0] or course is None:
        return MedicationPlan(
            name="riluzole",
            label="Riluzole",
            status="to_be_considered",
            notes=[
                "To be considered once a diagnosis of ALS is established: riluzole should be offered "
                "(AAN 2009, level A).",
                *notes,
            ],
            instructions=INSTRUCTIONS,
            watch_for=WATCH_FOR,
            source=SOURCE,
        )
    monitoring = []
    if course.stop_date is None:
        monitoring = [
            MonitoringItem(date=when, test=f"ALT (serum transaminases), riluzole {label} check")
            for when, label in _checks_to_come(case, labs, bool(fired["riluzole_alt_above_uln"][0]), until)
            if start <= when <= until
        ]
    return MedicationPlan(
        name="riluzole",
        label="Riluzole",
        status="current" if course.stop_date is None else "stopped",
        start_date=course.start_date,
        stop_date=course.stop_date,
        monitoring=monitoring,
        instructions=INSTRUCTIONS,
        watch_for=WATCH_FOR,
        notes=notes,
        source=SOURCE,
    )
