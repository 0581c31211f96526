"""Riluzole order check (EU SmPC thresholds, issue 8: warn at ALT ≥ 3 × ULN): boundaries both sides."""

from __future__ import annotations

import numpy as np

from alsdx.rules.orders.riluzole_alt import riluzole_order_alt


def test_thresholds_both_sides_and_unknowns():
    nan = np.nan
    out = riluzole_order_alt(
        {
            "alt_u_per_l": np.array([119.9, 120.0, 199.9, 200.0, 80.0, nan, 130.0]),
            "alt_uln_u_per_l": np.array([40.0, 40.0, 40.0, 40.0, nan, 40.0, 0.0]),
        }
    )
    assert out["warn_3x"].tolist() == [False, True, True, True, False, False, False]
    assert out["stop_5x"].tolist() == [False, False, False, True, False, False, False]
    assert out["known"].tolist() == [True, True, True, True, False, False, False]
    assert out["ratio"][1] == 3.0
