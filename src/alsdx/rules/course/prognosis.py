"""ENCALS survival model: linear predictor, survival curve S(t), predicted median and quartile times.

RESEARCH USE. Source: Westeneng HJ, Debray TPA, Visser AE, et al. Prognosis for patients with
amyotrophic lateral sclerosis: development and validation of a personalised prediction model. Lancet
Neurol 2018;17:423-433. Outcome: composite of NIV > 23 h/day, tracheostomy or death, from symptom
onset; Royston-Parmar model. The coefficients below are those of docs/ruleset.md §9, taken from public
R code implementing the model and NOT checked against the paper's appendix; the spec's sanity values
(LP -4.679 / median ~38 months, -2.754 / ~22, -7.077 / ~82) are reproduced by the tests.

    LP = sum(beta * x):
      ΔFS (points/month)       x = (ΔFS + 0.1)^-0.5                 beta -1.837
      diagnostic delay d (mo)  x = (d/10)^-0.5 + ln(d/10)           beta -2.373
      age at onset a (years)   x = (a/100)^-2                       beta -0.267
      FVC (% predicted)        x = (FVC/100)^-1 + (FVC/100)^-0.5    beta +0.477
      bulbar onset, definite ALS (revised El Escorial), FTD, C9orf72 expansion (0/1):
                                                 beta +0.269, +0.233, +0.388, +0.256
    S(t) = 1 / (1 + exp(s(ln t) + LP)), t = months from onset,
    s(u) = g0 + g1 u + g2 v1(u) + g3 v2(u), g = (-6.409, 2.643, -0.546, 0.585),
    v_j(u) = (u - k_j)+^3 - l_j (u - kmin)+^3 - (1 - l_j)(u - kmax)+^3, l_j = (kmax - k_j)/(kmax - kmin),
    knots (ln months) kmin 0.081, k1 3.108, k2 3.638, kmax 5.917.
    (The code the spec was read from omits the cube on the kmax term; here it is the standard
    restricted cubic spline, which differs only beyond t ~ 371 months.)

alsdx choices where the spec is silent (documented in docs/course.md):
- "Interval": the model gives a full predicted distribution of time to the event, not a confidence
  interval. alsdx reports the times at which S(t) = 0.75 and S(t) = 0.25 (the predicted quartiles:
  a quarter of patients with this profile reach the endpoint by the first, three quarters by the
  second), labelled as such.
- Predictors are those at diagnosis: the ALSFRS-R visit and the upright FVC nearest the diagnosis date
  are used only if within ``MAX_MONTHS_FROM_DIAGNOSIS`` (3 months, one usual clinic interval).
- Unknown C9orf72 status is taken as no expansion and flagged (the TRICALS profile omits C9 entirely).
- No risk-group labels: the published cut-offs are not verified (docs/ruleset.md §9).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Final

import numpy as np

from alsdx.rules.course.months import MAX_PROJECTION_MONTHS, months_between
from alsdx.rules.course.series import gather, nearest_row

SOURCE: Final = (
    "Westeneng HJ, et al. Lancet Neurol 2018;17:423-433 (ENCALS model; coefficients from public code, "
    "not checked against the paper's appendix)"
)
BETA: Final[dict[str, float]] = {
    "delta_fs": -1.837,
    "diagnostic_delay": -2.373,
    "age_at_onset": -0.267,
    "fvc": 0.477,
    "bulbar_onset": 0.269,
    "definite_reec": 0.233,
    "ftd": 0.388,
    "c9orf72": 0.256,
}
GAMMA: Final = (-6.409, 2.643, -0.546, 0.585)
KNOT_MIN: Final = 0.081
KNOTS: Final = (3.108, 3.638)
KNOT_MAX: Final = 5.917
U_MIN: Final = -10.0
U_MAX: Final = float(np.log(MAX_PROJECTION_MONTHS))
"""ln(months) range searched for the quartile and median times (4.5e-5 to 1,200 months): a time beyond 100
years from onset is reported as outside the model's range (months.MAX_PROJECTION_MONTHS)."""
MAX_MONTHS_FROM_DIAGNOSIS: Final = 3.0
QUANTILES: Final = (0.75, 0.5, 0.25)
"""Survival probabilities whose times are reported: upper quartile, median, lower quartile."""
INPUTS: Final = ("delta_fs", "diagnostic_delay", "age_at_onset", "fvc", "definite_reec")
"""Inputs without which the model is not computed (``encals_missing_<input>`` flags)."""


def encals_inputs(
    patients: Mapping[str, np.ndarray],
    visits: Mapping[str, np.ndarray],
    fvc: Mapping[str, np.ndarray],
    n: int,
) -> dict[str, np.ndarray]:
    """The model's inputs at diagnosis: ΔFS of the scored visit nearest ``diagnosis_day`` and the upright
    FVC nearest it, each with its distance in months (checked against MAX_MONTHS_FROM_DIAGNOSIS by
    ``encals``), and the delay from onset to diagnosis. Reads the visit table after scoring
    (``alsfrs_delta_fs``, ``alsfrs_scorable``) and the FVC side table."""
    diagnosis = np.asarray(patients["diagnosis_day"], dtype=float)
    visit = nearest_row(visits["patient"], visits["alsfrs_day"], diagnosis, n, mask=visits["alsfrs_scorable"])
    measurement = nearest_row(fvc["fvc_patient"], fvc["fvc_day"], diagnosis, n, mask=fvc["fvc_upright"])
    return {
        "encals_delta_fs": gather(visits["alsfrs_delta_fs"], visit),
        "encals_alsfrs_day": gather(visits["alsfrs_day"], visit),
        "encals_alsfrs_months_from_diagnosis": months_between(diagnosis, gather(visits["alsfrs_day"], visit)),
        "encals_fvc_percent": gather(fvc["fvc_percent"], measurement),
        "encals_fvc_day": gather(fvc["fvc_day"], measurement),
        "encals_fvc_months_from_diagnosis": months_between(diagnosis, gather(fvc["fvc_day"], measurement)),
        "encals_diagnostic_delay_months": months_between(patients["onset_day"], diagnosis),
    }


def transforms(cols: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The model's fractional-polynomial terms x for each continuous predictor (NaN outside the domain)."""
    dfs = np.asarray(cols["encals_delta_fs"], dtype=float)
    delay = np.asarray(cols["encals_diagnostic_delay_months"], dtype=float) / 10.0
    age = np.asarray(cols["age_at_onset_julian_years"], dtype=float) / 100.0
    fvc = np.asarray(cols["encals_fvc_percent"], dtype=float) / 100.0
    with np.errstate(invalid="ignore", divide="ignore"):
        safe_delay = np.where(delay > 0, delay, 1.0)
        return {
            "delta_fs": np.where(dfs >= 0, (dfs + 0.1) ** -0.5, np.nan),
            "diagnostic_delay": np.where(delay > 0, safe_delay**-0.5 + np.log(safe_delay), np.nan),
            "age_at_onset": np.where(age > 0, age**-2.0, np.nan),
            "fvc": np.where(fvc > 0, fvc**-1.0 + fvc**-0.5, np.nan),
        }


def spline(u: np.ndarray) -> np.ndarray:
    """Royston-Parmar baseline log cumulative odds s(u), u = ln(months from onset)."""
    u = np.asarray(u, dtype=float)

    def cube(x: np.ndarray) -> np.ndarray:
        positive = np.maximum(x, 0.0)
        return positive * positive * positive

    s = GAMMA[0] + GAMMA[1] * u
    for gamma, knot in zip(GAMMA[2:], KNOTS, strict=True):
        lam = (KNOT_MAX - knot) / (KNOT_MAX - KNOT_MIN)
        s = s + gamma * (cube(u - knot) - lam * cube(u - KNOT_MIN) - (1 - lam) * cube(u - KNOT_MAX))
    return s


def survival(t_months: np.ndarray, lp: np.ndarray | float) -> np.ndarray:
    """S(t) = 1 / (1 + exp(s(ln t) + LP)); broadcasts t against LP."""
    with np.errstate(divide="ignore"):
        return 1.0 / (1.0 + np.exp(spline(np.log(np.asarray(t_months, dtype=float))) + lp))


@functools.cache
def _inverse_grid() -> tuple[np.ndarray, np.ndarray]:
    """s(u) tabulated on a fine u grid; s is increasing there (tested), so it can be inverted by interpolation."""
    u = np.linspace(U_MIN, U_MAX, 400_001)
    return spline(u), u


def time_at_survival(lp: np.ndarray, probability: float) -> np.ndarray:
    """Months from onset at which S(t) = probability: s(ln t) = ln((1 - p) / p) - LP, solved on the tabulated
    increasing spline (grid step 5.5e-5 in ln t; linear interpolation error far below a day). NaN outside
    t in [exp(U_MIN), exp(U_MAX)]."""
    lp = np.asarray(lp, dtype=float)
    target = np.log((1.0 - probability) / probability) - lp  # s(ln t) at the crossing
    s_grid, u_grid = _inverse_grid()
    inside = np.isfinite(target) & (target > s_grid[0]) & (target < s_grid[-1])
    u = np.interp(np.where(inside, target, s_grid[0]), s_grid, u_grid)
    return np.where(inside, np.exp(u), np.nan)


def encals(cols: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """LP and predicted quartile times for each patient.

    Reads ``encals_delta_fs``, ``encals_alsfrs_months_from_diagnosis``, ``encals_diagnostic_delay_months``,
    ``age_at_onset_julian_years``, ``encals_fvc_percent``, ``encals_fvc_months_from_diagnosis``, ``onset_bulbar``,
    ``reec_definite`` (1/0, NaN = not supplied), ``frontotemporal_dementia`` and ``c9orf72`` (1/0, NaN =
    unknown, taken as 0 and flagged).
    """
    x = transforms(cols)
    near_alsfrs = np.abs(np.asarray(cols["encals_alsfrs_months_from_diagnosis"], dtype=float)) <= (
        MAX_MONTHS_FROM_DIAGNOSIS
    )
    near_fvc = np.abs(np.asarray(cols["encals_fvc_months_from_diagnosis"], dtype=float)) <= (MAX_MONTHS_FROM_DIAGNOSIS)
    definite = np.asarray(cols["reec_definite"], dtype=float)
    c9 = np.asarray(cols["c9orf72"], dtype=float)
    missing = {
        "delta_fs": ~np.isfinite(x["delta_fs"]),
        "diagnostic_delay": ~np.isfinite(x["diagnostic_delay"]),
        "age_at_onset": ~np.isfinite(x["age_at_onset"]),
        "fvc": ~np.isfinite(x["fvc"]),
        "definite_reec": ~np.isfinite(definite),
    }
    far_alsfrs = ~missing["delta_fs"] & ~near_alsfrs
    far_fvc = ~missing["fvc"] & ~near_fvc
    computable = ~np.any(np.stack([missing[k] for k in INPUTS]), axis=0) & ~far_alsfrs & ~far_fvc
    lp = (
        BETA["delta_fs"] * x["delta_fs"]
        + BETA["diagnostic_delay"] * x["diagnostic_delay"]
        + BETA["age_at_onset"] * x["age_at_onset"]
        + BETA["fvc"] * x["fvc"]
        + BETA["bulbar_onset"] * np.asarray(cols["onset_bulbar"], dtype=float)
        + BETA["definite_reec"] * definite
        + BETA["ftd"] * np.asarray(cols["frontotemporal_dementia"], dtype=float)
        + BETA["c9orf72"] * np.where(np.isfinite(c9), c9, 0.0)
    )
    lp = np.where(computable, lp, np.nan)
    upper_q, median, lower_q = (time_at_survival(lp, q) for q in QUANTILES)
    return {
        "encals_computable": computable,
        "encals_lp": lp,
        "encals_t75_months": upper_q,
        "encals_median_months": median,
        "encals_t25_months": lower_q,
        "encals_c9_assumed_negative": ~np.isfinite(c9),
        "encals_alsfrs_not_near_diagnosis": far_alsfrs,
        "encals_fvc_not_near_diagnosis": far_fvc,
        **{f"encals_missing_{k}": missing[k] for k in INPUTS},
    }
