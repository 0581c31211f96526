"""The course output models (``Assessment.course`` and ``alsdx course``): a public contract (docs/course.md).

Built by ``alsdx.engine.explain.course`` from the course kernels' columns; nothing here computes a figure.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from alsdx.rules.course import prognosis

Day = date
"""Alias for field annotations in models that also have a field named ``date``."""


class Sentence(BaseModel):
    text: str
    source: str


class Subscores(BaseModel):
    bulbar: int | None
    fine_motor: int | None
    gross_motor: int | None
    respiratory: int | None


class AlsfrsSummary(BaseModel):
    date: Day
    total: float
    """0-48; an integer unless prorated."""
    subscores: Subscores
    delta_fs: float | None
    """(48 - total) / months from onset, points/month (Kimura 2006); null on the onset date."""
    slope_per_month: float | None
    """Least-squares slope of the total over the scored visits (negative = decline); null with < 2 dates."""
    months_from_onset: float
    prorated: bool
    missing_items: list[str]
    scored_visits: int


class FitLine(BaseModel):
    """The fitted least-squares line between two dates, for plots."""

    start_date: Day
    start_value: float
    end_date: Day
    end_value: float


class Visit(BaseModel):
    date: Day
    total: float | None
    subscores: Subscores
    item5_scale: Literal["5a", "5b"]
    delta_fs: float | None
    kings_stage: str | None
    mitos_stage: int | None
    prorated: bool
    missing_items: list[str]


class FvcPoint(BaseModel):
    date: Day
    percent_predicted: float
    position: Literal["upright", "supine"]


class FvcSummary(BaseModel):
    date: Day
    upright_percent: float | None
    supine_percent: float | None
    percent_used: float
    """The value thresholds use: upright, or supine when the latest date has only supine (flagged)."""
    supine_fallback: bool
    upright_supine_drop_percent: float | None
    diaphragmatic_weakness_flag: bool
    slope_per_month: float | None
    niv_indicated: bool
    peg_risk: Literal["low", "moderate", "high"]
    below_50_already: bool
    below_50_projected_date: Day | None
    projection_start_date: Day | None
    """The latest upright value the projection starts from (best of that day)."""
    projection_start_percent: float | None
    fit: FitLine | None


class Niv(BaseModel):
    indicated: bool
    """NIV to be considered (AAN 2009): any trigger below."""
    triggers: list[str]
    not_recorded: list[str]


class Gastrostomy(BaseModel):
    in_place: bool
    peg_risk: Literal["low", "moderate", "high"] | None
    discuss_before_date: Day | None
    """Projected date upright FVC falls below 50 % at the current slope (discuss gastrostomy before it)."""


class CurvePoint(BaseModel):
    months_from_onset: int
    survival: float


class Prognosis(BaseModel):
    model: str = "ENCALS survival model (Westeneng 2018)"
    research_use: bool = True
    endpoint: str = "NIV > 23 h/day, tracheostomy or death, from symptom onset"
    linear_predictor: float
    median_months_from_onset: float
    median_date: Day
    quartile_months_from_onset: tuple[float | None, float | None]
    """None where the quartile lies outside the model's projection range (``projection_range_months``): the
    earlier quartile before its start, the later one beyond its cap (reported as "beyond N months")."""
    quartile_dates: tuple[Day | None, Day | None]
    projection_range_months: tuple[float, float] = (
        round(float(np.exp(prognosis.U_MIN)), 6),
        float(np.exp(prognosis.U_MAX)),
    )
    interval_label: str = (
        "months from onset at which the predicted probability of remaining event-free is 75 % and 25 % "
        "(quartiles of the predicted distribution, not a confidence interval)"
    )
    inputs: dict[str, float | bool]
    flags: list[str]
    curve: list[CurvePoint]
    source: str = prognosis.SOURCE


class Course(BaseModel):
    alsfrs_r: AlsfrsSummary | None
    kings_stage: str | None
    mitos_stage: int | None
    progression_band: Literal["slow", "intermediate", "fast"] | None
    fvc: FvcSummary | None
    niv: Niv
    gastrostomy: Gastrostomy
    prognosis: Prognosis | None
    prognosis_unavailable: str | None
    """Why the prognosis is null (names the missing input)."""
    flags: list[str]
    history: list[Visit]
    fvc_history: list[FvcPoint]
    alsfrs_fit: FitLine | None
    explanation: list[Sentence] = Field(default_factory=list)
