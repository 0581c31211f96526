"""Riluzole ALT calendar (EU SmPC; Decision 19): start, +1, +2, +3, +6, +9, +12 months, then 6-monthly."""

from datetime import date

from alsdx.care.riluzole import alt_check_dates


def test_month_end_start_clamps_each_step_from_the_start() -> None:
    got = alt_check_dates(date(2025, 1, 31), date(2027, 1, 31))
    assert got == [
        (date(2025, 1, 31), "baseline (start date)"),
        (date(2025, 2, 28), "month 1"),
        (date(2025, 3, 31), "month 2"),
        (date(2025, 4, 30), "month 3"),
        (date(2025, 7, 31), "month 6"),
        (date(2025, 10, 31), "month 9"),
        (date(2026, 1, 31), "month 12"),
        (date(2026, 7, 31), "month 18"),
        (date(2027, 1, 31), "month 24"),
    ]


def test_leap_year_month_one() -> None:
    got = [d for d, _ in alt_check_dates(date(2028, 1, 31), date(2028, 4, 30))]
    assert got == [date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31), date(2028, 4, 30)]


def test_start_on_29_february() -> None:
    got = [d for d, _ in alt_check_dates(date(2028, 2, 29), date(2032, 2, 29))]
    assert got[:7] == [
        date(2028, 2, 29),
        date(2028, 3, 29),
        date(2028, 4, 29),
        date(2028, 5, 29),
        date(2028, 8, 29),
        date(2028, 11, 29),
        date(2029, 2, 28),
    ]
    assert got[7:] == [
        date(2029, 8, 29),
        date(2030, 2, 28),
        date(2030, 8, 29),
        date(2031, 2, 28),
        date(2031, 8, 29),
        date(2032, 2, 29),
    ]


def test_until_is_inclusive() -> None:
    assert alt_check_dates(date(2025, 5, 10), date(2025, 6, 10))[-1] == (date(2025, 6, 10), "month 1")
    assert alt_check_dates(date(2025, 5, 10), date(2025, 6, 9)) == [(date(2025, 5, 10), "baseline (start date)")]
