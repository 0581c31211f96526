"""Riluzole ordered while ALT is raised: warn when the latest ALT is greater than 3 × its upper limit of normal.

Source: Rilutek (riluzole) EU Summary of Product Characteristics (EMA, 2021; docs/ruleset.md §11): riluzole is
contraindicated in patients with baseline transaminases "greater than 3 × ULN" and is stopped at ALT ≥ 5 × ULN.
Both boundaries are defined once, in ``alsdx.rules.care.riluzole`` (the care plan's baseline caution uses the same
functions): 3.0 × ULN exactly does not warn, anything above does (issue 17 aligned the order check with it).
Inputs are per-patient columns; NaN means "no ALT" or "no ULN", which never warns (the caller reports it).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from alsdx.rules.care.riluzole import alt_above_baseline_limit, alt_at_stop_level


def riluzole_order_alt(cols: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """cols: ``alt_u_per_l`` and ``alt_uln_u_per_l`` (float, NaN when unknown)."""
    alt = np.asarray(cols["alt_u_per_l"], dtype=float)
    uln = np.asarray(cols["alt_uln_u_per_l"], dtype=float)
    known = ~np.isnan(alt) & ~np.isnan(uln) & (uln > 0)
    ratio = np.where(known, alt / np.where(known, uln, 1.0), np.nan)
    return {
        "known": known,
        "ratio": ratio,
        "warn_3x": known & alt_above_baseline_limit(alt, uln),
        "stop_5x": known & alt_at_stop_level(alt, uln),
    }
