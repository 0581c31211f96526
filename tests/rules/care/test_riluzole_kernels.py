"""Riluzole ALT schedule kernels from the EU SmPC Rilutek 4.4 (docs/ruleset.md Decision 19): ALT monthly for the
first 3 months, every 3 months for the rest of the first year, then (alsdx) every 6 months, in calendar months
from the start date (Decision 16); a result on the due date meets the check; a raised ALT (above ULN, below 5 x ULN)
is re-checked monthly from that result."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from alsdx.care.dates import day_number as d
from alsdx.rules.care.riluzole import (
    alt_above_baseline_limit,
    alt_at_stop_level,
    first_unmet_check,
    next_alt_due,
    next_check_month,
)

START = date(2025, 1, 31)


def test_the_check_months_are_the_smpc_first_year_then_six_monthly():
    assert next_check_month(np.arange(0, 26)).tolist() == [
        0, 1, 2, 3, 6, 6, 6, 9, 9, 9, 12, 12, 12, 18, 18, 18, 18, 18, 18, 24, 24, 24, 24, 24, 24, 30,
    ]  # fmt: skip


def _next(assessment: date, latest_alt_on: date | None = None, any_alt: bool = True, raised: bool = False) -> date:
    latest = d(START) - 1 if latest_alt_on is None else d(latest_alt_on)
    due = next_alt_due(
        np.array([d(START)]), np.array([d(assessment)]), np.array([latest]), np.array([any_alt]), np.array([raised])
    )
    return date.fromordinal(date(1970, 1, 1).toordinal() + int(due[0]))


def test_a_result_on_the_due_date_meets_that_check():
    # month 1 from 31 January is 28 February (clamped); an ALT that day meets it, the next check is month 2 = 31 March
    assert _next(date(2025, 2, 28)) == date(2025, 2, 28)
    assert _next(date(2025, 2, 28), latest_alt_on=date(2025, 2, 28)) == date(2025, 3, 31)


def test_the_start_date_check_is_met_by_any_alt_on_file():
    assert _next(START, any_alt=False) == START
    assert _next(START, any_alt=True) == date(2025, 2, 28)


def test_after_the_first_year_checks_are_six_monthly():
    assert _next(date(2026, 2, 1), latest_alt_on=date(2026, 1, 31)) == date(2026, 7, 31)  # month 18


def test_a_raised_alt_is_rechecked_monthly_from_that_result():
    assert _next(date(2025, 5, 10), latest_alt_on=date(2025, 5, 1), raised=True) == date(2025, 6, 1)
    # a monthly check already passed: one check now
    assert _next(date(2025, 7, 10), latest_alt_on=date(2025, 5, 1), raised=True) == date(2025, 7, 10)


@pytest.mark.parametrize(
    ("assessment", "latest", "any_alt", "expected"),
    [
        (date(2025, 3, 15), None, False, (0, START)),  # no ALT at all: the baseline check is the first unmet
        (date(2025, 3, 15), None, True, (1, date(2025, 2, 28))),
        (date(2025, 3, 15), date(2025, 2, 28), True, None),  # on the due date: met; month 2 (31 March) not yet due
        (date(2025, 5, 1), date(2025, 3, 31), True, (3, date(2025, 4, 30))),
    ],
)
def test_the_first_unmet_check(assessment, latest, any_alt, expected):
    latest_day = d(START) - 1 if latest is None else d(latest)
    exists, month, day = first_unmet_check(
        np.array([d(START)]), np.array([d(assessment)]), np.array([latest_day]), np.array([any_alt])
    )
    got = (int(month[0]), date.fromordinal(date(1970, 1, 1).toordinal() + int(day[0]))) if exists[0] else None
    assert got == expected


def test_uln_boundaries_three_times_excluded_five_times_included():
    alt, uln = np.array([120.0, 120.1, 199.9, 200.0]), np.full(4, 40.0)
    assert alt_above_baseline_limit(alt, uln).tolist() == [False, True, True, True]
    assert alt_at_stop_level(alt, uln).tolist() == [False, False, False, True]
