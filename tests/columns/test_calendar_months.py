"""Calendar months (docs/ruleset.md Decision 16): a step adds calendar months and clamps to the month's last day;
every step of a series counts from the start, so a clamp never drifts."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from alsdx.columns.dates import add_months, months_to_reach

EPOCH = date(1970, 1, 1)


def _add(start: date, months: int) -> date:
    return EPOCH + timedelta(days=int(add_months(np.array([(start - EPOCH).days]), months)[0]))


def test_the_decision_16_examples():
    assert _add(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert _add(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert _add(date(2025, 1, 31), 2) == date(2025, 3, 31)
    assert _add(date(2026, 5, 31), -3) == date(2026, 2, 28)


@given(st.dates(date(1850, 1, 1), date(2199, 12, 31)), st.integers(-60, 60))
def test_months_to_reach_is_the_fewest_steps(start, months):
    s = np.array([(start - EPOCH).days])
    target = add_months(s, months) - 1 + (months % 2)  # the day before a step, or the step itself
    m = months_to_reach(s, target)
    assert add_months(s, m)[0] >= target[0]
    assert m[0] == 0 or add_months(s, m - 1)[0] < target[0]
