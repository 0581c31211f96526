"""FVC trend, upright-supine drop, NIV trigger and gastrostomy procedural risk.

Sources:
- Miller RG, Jackson CE, Kasarskis EJ, et al. Practice Parameter update: the care of the patient with
  amyotrophic lateral sclerosis: drug, nutritional, and respiratory therapies. Neurology
  2009;73:1218-1226 (AAN 2009). NIV is to be considered with orthopnea, SNP < 40 cm H2O,
  MIP < -60 cm H2O (a weaker pressure, |MIP| < 60), abnormal nocturnal oximetry, or FVC < 50 %.
  Gastrostomy procedural risk: FVC > 50 % low, 30-50 % moderate, < 30 % high. "Gastrostomy before FVC
  falls below 50 %" is the 1999 AAN parameter (Miller RG, et al. Neurology 1999;52:1311-1323).
- docs/ruleset.md Decision 17: thresholds use the latest upright FVC (% predicted); when the latest date
  has only a supine value, that value is used and flagged. The supine value is also reported as the
  upright-supine drop; a drop > 25 % of the upright value flags diaphragmatic weakness. Orthopnea =
  exam.orthopnea or the latest ALSFRS-R orthopnea item <= 3. NIV: upright FVC < 50 %, supine FVC < 50 %,
  or orthopnea, plus SNIP/MIP/oximetry when recorded.

alsdx choices (spec silent): several values of one position on one date are best-of-day (the maximum,
as spirometry reports the best trial); the slope is ordinary least squares over every upright value;
the projected date below 50 % starts from the latest upright value and follows the fitted slope.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import numpy as np

from alsdx.rules.course.months import DAYS_PER_MONTH, MAX_PROJECTION_MONTHS, months_between
from alsdx.rules.course.series import NO_ROW, gather, latest_row, least_squares

SOURCE: Final = "Miller RG, et al. Neurology 2009;73:1218-1226 (AAN practice parameter)"
SOURCE_DECISION: Final = "alsdx ruleset Decision 17 (docs/ruleset.md)"
SOURCE_PEG_TIMING: Final = "Miller RG, et al. Neurology 1999;52:1311-1323 (AAN practice parameter)"
NIV_FVC_BELOW: Final = 50.0
SNIP_BELOW_CM_H2O: Final = 40.0
MIP_WEAKER_THAN_CM_H2O: Final = -60.0
ORTHOPNEA_ITEM_AT_MOST: Final = 3
DIAPHRAGM_DROP_ABOVE_PERCENT: Final = 25.0
PEG_LOW_ABOVE: Final = 50.0
PEG_HIGH_BELOW: Final = 30.0
PEG_RISK: Final = ("low", "moderate", "high")
"""``peg_risk`` codes 0, 1, 2; -1 = no FVC."""
NIV_TRIGGERS: Final = ("orthopnea", "fvc_upright", "fvc_supine", "snip", "mip", "nocturnal_oximetry")


def fvc_summary(side: Mapping[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
    """Per patient, from the FVC side table ``fvc_patient``, ``fvc_day``, ``fvc_percent``, ``fvc_upright``."""
    patient = np.asarray(side["fvc_patient"], dtype=np.int64)
    day = np.asarray(side["fvc_day"], dtype=float)
    pct = np.asarray(side["fvc_percent"], dtype=float)
    upright = np.asarray(side["fvc_upright"], dtype=bool)

    latest_day = gather(day, latest_row(patient, day, n))
    at_latest = day == latest_day[patient]
    upright_latest = _best(patient, pct, at_latest & upright, n)
    supine_latest = _best(patient, pct, at_latest & ~upright, n)
    fallback = ~np.isfinite(upright_latest) & np.isfinite(supine_latest)
    used = np.where(fallback, supine_latest, upright_latest)
    with np.errstate(invalid="ignore", divide="ignore"):
        drop = (upright_latest - supine_latest) / upright_latest * 100.0

    fit = least_squares(patient, months_between(np.zeros(1), day), pct, n, mask=upright)
    anchor = latest_row(patient, day, n, mask=upright)
    anchor_day = gather(day, anchor)
    anchor_pct = _best(patient, pct, upright & (day == anchor_day[patient]), n)
    already_below = anchor_pct < NIV_FVC_BELOW
    falling = fit["slope"] < 0
    with np.errstate(invalid="ignore", divide="ignore"):
        months_to_50 = (anchor_pct - NIV_FVC_BELOW) / -fit["slope"]
    projected = falling & ~already_below & (anchor != NO_ROW) & (months_to_50 <= MAX_PROJECTION_MONTHS)
    below_50_day = np.where(projected, anchor_day + months_to_50 * DAYS_PER_MONTH, np.nan)
    return {
        "fvc_latest_day": latest_day,
        "fvc_upright_latest": upright_latest,
        "fvc_supine_latest": supine_latest,
        "fvc_supine_fallback": fallback,
        "fvc_percent_used": used,
        "fvc_drop_percent": drop,
        "fvc_diaphragm_weakness": drop > DIAPHRAGM_DROP_ABOVE_PERCENT,
        "fvc_slope_per_month": fit["slope"],
        "fvc_fit_mean_month": fit["mean_x"],
        "fvc_fit_mean_percent": fit["mean_y"],
        "fvc_anchor_day": anchor_day,
        "fvc_anchor_percent": anchor_pct,
        "fvc_already_below_50": already_below,
        "fvc_below_50_day": below_50_day,
    }


def _best(patient: np.ndarray, pct: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, np.nan)
    np.fmax.at(out, patient[mask], pct[mask])
    return out


def gastrostomy_risk(cols: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``peg_risk`` from ``fvc_percent_used``: 0 low (> 50), 1 moderate (30-50 inclusive), 2 high (< 30)."""
    pct = np.asarray(cols["fvc_percent_used"], dtype=float)
    risk = np.where(pct > PEG_LOW_ABOVE, 0, np.where(pct >= PEG_HIGH_BELOW, 1, 2))
    return {"peg_risk": np.where(np.isfinite(pct), risk, -1)}


def niv(cols: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """NIV to be considered (AAN 2009, Decision 17). Reads ``fvc_upright_latest``, ``fvc_supine_latest``,
    ``exam_orthopnea``, ``alsfrs_orthopnea`` (latest visit), ``snip_cm_h2o``, ``mip_cm_h2o`` and
    ``nocturnal_oximetry_abnormal`` (1/0, NaN = not recorded). A measure not recorded never triggers."""
    oximetry = np.asarray(cols["nocturnal_oximetry_abnormal"], dtype=float)
    triggers = {
        "orthopnea": np.asarray(cols["exam_orthopnea"], dtype=bool)
        | (np.asarray(cols["alsfrs_orthopnea"], dtype=float) <= ORTHOPNEA_ITEM_AT_MOST),
        "fvc_upright": np.asarray(cols["fvc_upright_latest"], dtype=float) < NIV_FVC_BELOW,
        "fvc_supine": np.asarray(cols["fvc_supine_latest"], dtype=float) < NIV_FVC_BELOW,
        "snip": np.asarray(cols["snip_cm_h2o"], dtype=float) < SNIP_BELOW_CM_H2O,
        "mip": np.asarray(cols["mip_cm_h2o"], dtype=float) > MIP_WEAKER_THAN_CM_H2O,
        "nocturnal_oximetry": oximetry == 1,
    }
    indicated = np.any(np.stack([triggers[t] for t in NIV_TRIGGERS]), axis=0)
    return {"niv_indicated": indicated, **{f"niv_{t}": triggers[t] for t in NIV_TRIGGERS}}
