"""All course kernels over one batch, in order: the single composition the engine and the cohort runner share.

Input: the three tables of ``alsdx.columns`` (``codes.CourseColumns``) (patient columns, ALSFRS-R visit side table, FVC
side table). Output: per-visit columns (scores, ΔFS, stages for every visit) and per-patient columns (the
latest scored visit's figures, slopes, FVC, NIV, gastrostomy risk, ENCALS). No rule is decided here;
each figure comes from the kernel module that cites its source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from alsdx.rules.course import alsfrs_r, fvc, kings, mitos, prognosis
from alsdx.rules.course.series import NO_ROW, gather_columns

Columns = dict[str, np.ndarray]


@dataclass(frozen=True)
class CourseKernelOutput:
    visits: Columns
    """Input visit columns plus every per-visit kernel output."""
    patients: Columns
    """Per-patient outputs; ``latest_visit`` is the row (in ``visits``) of the latest scored visit."""


def course_kernel(
    patients: Mapping[str, np.ndarray],
    visits: Mapping[str, np.ndarray],
    fvc_table: Mapping[str, np.ndarray],
    *,
    prorate_missing: bool = False,
) -> CourseKernelOutput:
    n = len(patients["onset_day"])
    v: Columns = dict(visits)
    v.update(alsfrs_r.score(v, prorate_missing=prorate_missing))
    v.update(alsfrs_r.delta_fs(v))
    v.update(kings.kings(v))
    v.update(mitos.mitos(v))

    p: Columns = dict(patients)
    latest = alsfrs_r.latest_visit(v, n, scored=v["alsfrs_scorable"])
    p["latest_visit"] = latest
    p.update(gather_columns(v, latest, skip="patient"))
    p["has_alsfrs"] = latest != NO_ROW
    p.update(alsfrs_r.progression_band(p))
    p.update(alsfrs_r.slope(v, n))

    p.update(fvc.fvc_summary(fvc_table, n))
    p.update(fvc.gastrostomy_risk(p))
    p.update(fvc.niv(p))

    p.update(prognosis.encals_inputs(p, v, fvc_table, n))
    p.update(prognosis.encals(p))
    return CourseKernelOutput(visits=v, patients=p)
