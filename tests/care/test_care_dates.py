"""Decision 16 calendar months: clamped to month end, every step counted from the start."""

from datetime import date

import pytest

from alsdx.care.dates import add_months, horizon_end


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2025, 1, 31), 2, date(2025, 3, 31)),  # counted from the start, not from 28 Feb
        (date(2025, 1, 31), 3, date(2025, 4, 30)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2028, 2, 29), 48, date(2032, 2, 29)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2025, 5, 10), 0, date(2025, 5, 10)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_horizon_is_twelve_calendar_months() -> None:
    assert horizon_end(date(2026, 1, 20)) == date(2027, 1, 20)
    assert horizon_end(date(2028, 2, 29)) == date(2029, 2, 28)
