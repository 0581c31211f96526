"""Riluzole order check (EU SmPC: baseline transaminases "greater than 3 × ULN" contraindicate; stop at 5 × ULN)."""

from __future__ import annotations

import numpy as np

from alsdx.rules.care.riluzole import alt_above_baseline_limit
from alsdx.rules.orders.riluzole_alt import riluzole_order_alt


def test_thresholds_both_sides_and_unknowns():
    nan = np.nan
    out = riluzole_order_alt(
        {
            "alt_u_per_l": np.array([120.0, 120.1, 199.9, 200.0, 80.0, nan, 130.0]),
            "alt_uln_u_per_l": np.array([40.0, 40.0, 40.0, 40.0, nan, 40.0, 0.0]),
        }
    )
    assert out["warn_3x"].tolist() == [False, True, True, True, False, False, False]  # 3.0 × ULN does not warn
    assert out["stop_5x"].tolist() == [False, False, False, True, False, False, False]
    assert out["known"].tolist() == [True, True, True, True, False, False, False]
    assert out["ratio"][0] == 3.0


def test_the_order_check_and_the_care_plan_share_one_boundary():
    alt = np.array([119.9, 120.0, 120.1])
    uln = np.full(3, 40.0)
    plan = alt_above_baseline_limit(alt, uln).tolist()
    order = riluzole_order_alt({"alt_u_per_l": alt, "alt_uln_u_per_l": uln})["warn_3x"].tolist()
    assert plan == order == [False, False, True]
