"""ALSFRS-R totals, domain subscores, progression rate (ΔFS), slope and progression band.

Sources:
- Cedarbaum JM, Stambler N, Malta E, et al. The ALSFRS-R: a revised ALS functional rating scale that
  incorporates assessments of respiratory function. J Neurol Sci 1999;169:13-21. Twelve items scored
  0-4 (4 = normal), total 0-48; item 5 is scored on 5a (no gastrostomy) or on the alternate scale 5b
  (gastrostomy), exactly one of them, so the total is the same sum either way.
- Domains (0-12 each): bulbar items 1-3, fine motor 4-6, gross motor 7-9, respiratory 10-12; the
  four-factor structure of Bakker LA, et al. Assessment of the factorial validity and reliability of
  the ALSFRS-R: a revision of its measurement model. J Neurol 2017;264:1413-1420.
- Progression rate: Kimura F, et al. Progression rate of ALSFRS-R at time of diagnosis predicts survival
  time in ALS. Neurology 2006;66:265-267: ΔFS = (48 - total) / months from symptom onset (to the visit:
  ΔFS', Kjældgaard AL, et al. BMC Neurol 2021;21:164). Months per docs/ruleset.md Decision 16.
- Bands (docs/ruleset.md §7): slow < 0.5, intermediate 0.5-1.0, fast > 1.0 points/month. The spec writes
  the middle band as a closed range, so exactly 0.5 and exactly 1.0 are *intermediate*.

Missing items (alsdx policy, not from a source): a visit with an unanswered item has no total unless
the caller asks to prorate; prorating = mean of the answered items x 12, allowed for at most
``MAX_PRORATED_MISSING`` = 1 item. One, because the scale is a profile of weakly correlated domains
(Bakker 2017): an item filled in from other domains is tolerable for one item in twelve, not more.
Subscores are never prorated: a domain with a missing item has no subscore.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import numpy as np

from alsdx.model.case import ALSFRS_ITEMS
from alsdx.rules.course.months import months_between
from alsdx.rules.course.series import latest_row, least_squares

ITEMS: Final = ALSFRS_ITEMS
"""Items 1-12 in form order (the case model's); column ``alsfrs_<item>`` holds the score (float, NaN = not answered)."""

DOMAINS: Final[dict[str, tuple[str, ...]]] = {
    "bulbar": ITEMS[0:3],
    "fine_motor": ITEMS[3:6],
    "gross_motor": ITEMS[6:9],
    "respiratory": ITEMS[9:12],
}

SOURCE: Final = "Cedarbaum JM, et al. J Neurol Sci 1999;169:13-21 (ALSFRS-R)"
SOURCE_DOMAINS: Final = "Bakker LA, et al. J Neurol 2017;264:1413-1420 (ALSFRS-R domains)"
SOURCE_RATE: Final = "Kimura F, et al. Neurology 2006;66:265-267 (ΔFS)"
MAX_TOTAL: Final = 48
MAX_PRORATED_MISSING: Final = 1
SLOW_BELOW: Final = 0.5
FAST_ABOVE: Final = 1.0
BANDS: Final = ("slow", "intermediate", "fast")
"""progression_band codes 0, 1, 2; -1 = not computable."""


def item_column(item: str) -> str:
    return f"alsfrs_{item}"


def score(cols: Mapping[str, np.ndarray], *, prorate_missing: bool = False) -> dict[str, np.ndarray]:
    """Total (0-48) and domain subscores (0-12) per row (a row is a visit or a patient's latest visit).

    Reads ``alsfrs_<item>`` for the 12 items and ``alsfrs_gastrostomy`` (which selects scale 5b for item 5).
    """
    items = np.stack([np.asarray(cols[item_column(i)], dtype=float) for i in ITEMS], axis=1)
    answered = np.isfinite(items)
    n_missing = (~answered).sum(axis=1)
    allowed = MAX_PRORATED_MISSING if prorate_missing else 0
    scorable = n_missing <= allowed
    n_answered = answered.sum(axis=1)
    item_sum = np.where(answered, items, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.where(n_missing == 0, item_sum, item_sum / n_answered * len(ITEMS))
    out: dict[str, np.ndarray] = {
        "alsfrs_total": np.where(scorable, total, np.nan),
        "alsfrs_n_missing": n_missing,
        "alsfrs_scorable": scorable,
        "alsfrs_prorated": scorable & (n_missing > 0),
        "alsfrs_item5_scale_5b": np.asarray(cols["alsfrs_gastrostomy"], dtype=bool),
    }
    for domain, names in DOMAINS.items():
        idx = [ITEMS.index(n) for n in names]
        out[f"alsfrs_{domain}"] = items[:, idx].sum(axis=1)  # NaN when any domain item is missing
    return out


def delta_fs(cols: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """ΔFS = (48 - total) / months from onset (Kimura 2006). Reads ``alsfrs_total``, ``alsfrs_day`` and
    ``onset_day``. A visit on (or before) the onset day has no ΔFS: NaN, flagged
    ``alsfrs_duration_not_positive`` (never a division by zero)."""
    months = months_between(cols["onset_day"], cols["alsfrs_day"])
    positive = months > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = (MAX_TOTAL - np.asarray(cols["alsfrs_total"], dtype=float)) / np.where(positive, months, 1.0)
    return {
        "alsfrs_months_from_onset": months,
        "alsfrs_delta_fs": np.where(positive, rate, np.nan),
        "alsfrs_duration_not_positive": ~positive & np.isfinite(months),
    }


def progression_band(cols: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Band code from ``alsfrs_delta_fs``: 0 slow (< 0.5), 1 intermediate (0.5-1.0 inclusive),
    2 fast (> 1.0), -1 without a ΔFS."""
    rate = np.asarray(cols["alsfrs_delta_fs"], dtype=float)
    band = np.where(rate < SLOW_BELOW, 0, np.where(rate <= FAST_ABOVE, 1, 2))
    return {"progression_band": np.where(np.isfinite(rate), band, -1)}


def slope(visits: Mapping[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
    """Least-squares slope of the total over each patient's visits, in points/month (negative = decline).

    Reads the visit side table ``patient``, ``alsfrs_day``, ``alsfrs_total``; visits without a total are
    left out. NaN with fewer than two visit dates.
    """
    months = months_between(np.zeros(1), visits["alsfrs_day"])
    fit = least_squares(visits["patient"], months, visits["alsfrs_total"], n)
    return {
        "alsfrs_slope_per_month": fit["slope"],
        "alsfrs_fit_mean_month": fit["mean_x"],
        "alsfrs_fit_mean_total": fit["mean_y"],
        "alsfrs_n_scored_visits": fit["count"],
    }


def latest_visit(visits: Mapping[str, np.ndarray], n: int, scored: np.ndarray | None = None) -> np.ndarray:
    """Row of each patient's latest visit (greatest ``alsfrs_day``; on equal dates the later row), among
    ``scored`` rows when given; ``series.NO_ROW`` when the patient has none."""
    return latest_row(visits["patient"], visits["alsfrs_day"], n, mask=scored)
