"""Respiratory inputs of the care plan, from the disease-course outputs or from plain values.

The FVC rules (latest upright value, the supine fallback, slope, NIV trigger, gastrostomy risk band:
docs/ruleset.md Decision 17, AAN 2009) belong to ``rules/course/fvc.py``; the care plan never recomputes
them. It reads them through :class:`RespiratoryInputs`, which is built either

- from plain values (tests, callers without the course module): ``RespiratoryInputs(...)``, or
- from the course output (``assessment.course``, a pydantic model or its ``model_dump()``) with
  :func:`respiratory_inputs`, which reads docs/architecture.md's keys ``course.fvc.{date, upright_percent,
  slope_per_month, niv_indicated, peg_risk}`` and, when present, ``orthopnea`` and
  ``fvc_50_projected_date`` (in ``course.fvc`` or ``course``).

Without either, the plan evaluates no FVC trigger and says so in its notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PegRisk = Literal["low", "moderate", "high"]


class RespiratoryInputs(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fvc_percent: float | None = Field(default=None, gt=0, le=200)
    """Latest FVC % predicted that thresholds use (Decision 17: upright, or supine when only supine)."""
    fvc_date: date | None = None
    fvc_slope_per_month: float | None = None
    """Least-squares FVC slope, % predicted per month (Decision 16 months)."""
    orthopnea: bool = False
    niv_indicated: bool = False
    """AAN 2009 NIV trigger as the course module computes it (FVC < 50 %, orthopnea, SNIP/MIP...)."""
    peg_risk: PegRisk | None = None
    """Gastrostomy procedural risk band from upright FVC (> 50 low, 30-50 moderate, < 30 high)."""
    fvc_50_projected_date: date | None = None
    """Date FVC is projected to reach 50 % at the current slope, when the course module gives one."""


def _get(obj: Any, key: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(key)
    return getattr(obj, key, None)


def respiratory_inputs(course: Any) -> RespiratoryInputs | None:
    """Adapt ``course`` (None, :class:`RespiratoryInputs`, or a course output) to plan inputs."""
    if course is None or isinstance(course, RespiratoryInputs):
        return course
    fvc = _get(course, "fvc")
    if fvc is None:
        return None
    orthopnea = _get(fvc, "orthopnea")
    if orthopnea is None:
        orthopnea = _get(course, "orthopnea")
    if orthopnea is None:  # alsdx.engine.course: NIV triggers (Decision 17 orthopnea) under course.niv
        orthopnea = "orthopnea" in (_get(_get(course, "niv"), "triggers") or [])
    projected = (
        _get(fvc, "fvc_50_projected_date")
        or _get(course, "fvc_50_projected_date")
        or _get(fvc, "below_50_projected_date")  # alsdx.engine.course's name
    )
    used = _get(fvc, "percent_used")  # alsdx.engine.course: upright, or the flagged supine fallback (Decision 17)
    return RespiratoryInputs.model_validate(
        {
            "fvc_percent": used if used is not None else _get(fvc, "upright_percent"),
            "fvc_date": _get(fvc, "date"),
            "fvc_slope_per_month": _get(fvc, "slope_per_month"),
            "orthopnea": bool(orthopnea),
            "niv_indicated": bool(_get(fvc, "niv_indicated")),
            "peg_risk": _get(fvc, "peg_risk"),
            "fvc_50_projected_date": projected,
        }
    )
