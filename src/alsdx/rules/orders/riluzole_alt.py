"""Riluzole ordered while ALT is raised: warn when the latest ALT ≥ 3 × its upper limit of normal.

Source: Rilutek (riluzole) EU Summary of Product Characteristics (EMA, 2021; clinical-spec §11): riluzole is
contraindicated in patients with baseline transaminases above 3 × ULN and must be stopped at ALT ≥ 5 × ULN.
Issue 8 sets the order-time warning at ALT ≥ 3 × ULN (inclusive, so the warning also covers the boundary).
Inputs are per-patient columns; NaN means "no ALT" or "no ULN", which never warns (the caller reports it).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

ALT_WARN_MULTIPLE = 3.0
ALT_STOP_MULTIPLE = 5.0


def riluzole_order_alt(cols: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """cols: ``alt_u_per_l`` and ``alt_uln_u_per_l`` (float, NaN when unknown)."""
    alt = np.asarray(cols["alt_u_per_l"], dtype=float)
    uln = np.asarray(cols["alt_uln_u_per_l"], dtype=float)
    known = ~np.isnan(alt) & ~np.isnan(uln) & (uln > 0)
    ratio = np.where(known, alt / np.where(known, uln, 1.0), np.nan)
    return {
        "known": known,
        "ratio": ratio,
        "warn_3x": known & (alt >= ALT_WARN_MULTIPLE * uln),
        "stop_5x": known & (alt >= ALT_STOP_MULTIPLE * uln),
    }
