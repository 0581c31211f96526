"""Per-patient reductions over a side table (one row per visit or measurement), vectorised.

A side table carries a ``patient`` column of row indices into the patient columns. These helpers are
arithmetic, not clinical rules: least-squares slopes by ``np.bincount`` sums, and picking one row per
patient (the latest, or the nearest to a target day) by per-patient maxima (``ufunc.at``), with no Python
loop over patients.
"""

from __future__ import annotations

import numpy as np

NO_ROW = -1
"""Row index meaning "this patient has no qualifying row"."""


def least_squares(
    patient: np.ndarray, x: np.ndarray, y: np.ndarray, n: int, mask: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Ordinary least-squares line y = mean_y + slope * (x - mean_x) per patient.

    Rows with a non-finite x or y (or outside ``mask``) are ignored. The slope is NaN for a patient with
    fewer than two distinct x values. x is centred on each patient's mean before the cross products, so
    large day numbers (ordinals near 740 000) lose no precision.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    if mask is not None:
        ok &= np.asarray(mask, dtype=bool)
    p = np.asarray(patient, dtype=np.int64)[ok]
    xs, ys = x[ok], y[ok]
    count = np.bincount(p, minlength=n).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_x = np.bincount(p, weights=xs, minlength=n) / count
        mean_y = np.bincount(p, weights=ys, minlength=n) / count
        xc = xs - mean_x[p]
        sxx = np.bincount(p, weights=xc * xc, minlength=n)
        sxy = np.bincount(p, weights=xc * (ys - mean_y[p]), minlength=n)
    # Distinct x values, tested exactly (a centred sum of squares can be a rounding residue, not 0).
    lo = np.full(n, np.inf)
    hi = np.full(n, -np.inf)
    np.minimum.at(lo, p, xs)
    np.maximum.at(hi, p, xs)
    spread = hi > lo
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = np.where(spread, sxy / np.where(spread, sxx, 1.0), np.nan)
    return {"slope": slope, "mean_x": mean_x, "mean_y": mean_y, "count": count.astype(np.int64)}


def latest_row(patient: np.ndarray, day: np.ndarray, n: int, mask: np.ndarray | None = None) -> np.ndarray:
    """Index of each patient's row with the greatest day (ties: the later row); NO_ROW when none."""
    day = np.asarray(day, dtype=float)
    ok = np.isfinite(day)
    if mask is not None:
        ok &= np.asarray(mask, dtype=bool)
    rows = np.flatnonzero(ok)
    return _last_per_patient(np.asarray(patient, dtype=np.int64)[rows], day[rows], rows, n)


def nearest_row(
    patient: np.ndarray, day: np.ndarray, target_day: np.ndarray, n: int, mask: np.ndarray | None = None
) -> np.ndarray:
    """Index of each patient's row whose day is nearest ``target_day[patient]`` (ties: the earlier row)."""
    p_all = np.asarray(patient, dtype=np.int64)
    distance = np.abs(np.asarray(day, dtype=float) - np.asarray(target_day, dtype=float)[p_all])
    ok = np.isfinite(distance)
    if mask is not None:
        ok &= np.asarray(mask, dtype=bool)
    rows = np.flatnonzero(ok)
    # Largest key wins in _last_per_patient: negate the distance.
    return _last_per_patient(p_all[rows], -distance[rows], rows, n, tie_prefers_later=False)


def _last_per_patient(
    patient: np.ndarray, key: np.ndarray, rows: np.ndarray, n: int, tie_prefers_later: bool = True
) -> np.ndarray:
    """Row with the largest key per patient: a maximum per patient, then the last (or first) row holding it."""
    out = np.full(n, NO_ROW, dtype=np.int64)
    if rows.size == 0:
        return out
    best = np.full(n, -np.inf)
    np.maximum.at(best, patient, key)
    holds = key == best[patient]
    if tie_prefers_later:
        np.maximum.at(out, patient[holds], rows[holds])
        return out
    first = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first, patient[holds], rows[holds])
    return np.where(first == np.iinfo(np.int64).max, NO_ROW, first)


def gather(values: np.ndarray, index: np.ndarray, fill: float | bool = np.nan) -> np.ndarray:
    """values[index] with ``fill`` where index is NO_ROW (float NaN by default)."""
    values = np.asarray(values)
    safe = np.where(index == NO_ROW, 0, index)
    picked = values[safe] if values.size else np.zeros(index.shape, dtype=values.dtype)
    if isinstance(fill, bool):
        return np.where(index == NO_ROW, fill, picked.astype(bool))
    return np.where(index == NO_ROW, fill, picked.astype(float))


def gather_columns(columns: dict[str, np.ndarray], index: np.ndarray, skip: str = "") -> dict[str, np.ndarray]:
    """``gather`` of every column but ``skip`` through one index (boolean columns filled with False, the rest
    with NaN), resolving the NO_ROW positions once for all columns."""
    index = np.asarray(index)
    missing = index == NO_ROW
    safe = np.where(missing, 0, index)
    any_missing = bool(missing.any())
    out: dict[str, np.ndarray] = {}
    for name, values in columns.items():
        if name == skip:
            continue
        values = np.asarray(values)
        is_bool = values.dtype == bool
        picked = values[safe] if values.size else np.zeros(index.shape, dtype=values.dtype)
        picked = picked.astype(bool if is_bool else float, copy=False)
        if any_missing:
            picked = np.where(missing, False if is_bool else np.nan, picked)
        out[name] = picked
    return out
