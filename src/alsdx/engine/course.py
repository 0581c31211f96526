"""Disease course of cases: case -> course columns -> course kernels -> :class:`Course` (+ sentences).

``assess_many`` runs the course kernels in the engine pipeline and explains them with
:func:`courses_from_kernels`; :func:`course_summary` is the course alone (``alsdx course``, the course pages).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from alsdx.columns.from_case import course_columns
from alsdx.engine.course_results import Course
from alsdx.engine.explain.course import CourseExplainer
from alsdx.errors import CaseValidationError, FieldError
from alsdx.model.case import Case
from alsdx.rules.course import alsfrs_r
from alsdx.rules.course.pipeline import CourseKernelOutput, course_kernel


def course_summary(case: Case, *, prorate_missing: bool = False, reec_definite: bool | None = None) -> Course:
    """The course of one case. ``prorate_missing`` opts in to prorating one unanswered ALSFRS-R item;
    ``reec_definite`` (definite ALS under revised El Escorial, from the criteria engine) is an ENCALS
    predictor: without it the prognosis is null with the reason."""
    return course_summaries([case], prorate_missing=prorate_missing, reec_definite=[reec_definite])[0]


def course_summaries(
    cases: Sequence[Case], *, prorate_missing: bool = False, reec_definite: Sequence[bool | None]
) -> list[Course]:
    """``course_summary`` of a batch: the course kernels run once over all cases, then each case is rendered
    from its own rows. (``assess_many`` runs the course kernels in the engine pipeline instead.)"""
    cols = course_columns(cases)
    cols.patients["reec_definite"] = np.array([np.nan if r is None else float(r) for r in reec_definite])
    out = course_kernel(cols.patients, cols.visits, cols.fvc, prorate_missing=prorate_missing)
    return courses_from_kernels(cases, out, prorate_missing=prorate_missing)


def courses_from_kernels(cases: Sequence[Case], out: CourseKernelOutput, *, prorate_missing: bool) -> list[Course]:
    """Each case's :class:`Course` from the course kernels' output for the batch (its own rows). A visit that
    cannot be scored is refused with its field path, as the kernels flagged it."""
    bounds = np.searchsorted(out.visits["patient"], np.arange(len(cases) + 1))
    courses = []
    for i, case in enumerate(cases):
        one = CourseKernelOutput(
            visits={k: v[bounds[i] : bounds[i + 1]] for k, v in out.visits.items()},
            patients={k: v[i : i + 1] for k, v in out.patients.items()},
        )
        _refuse_unscorable(case, one, prorate_missing)
        courses.append(CourseExplainer(case, one).course())
    return courses


def _refuse_unscorable(case: Case, out: CourseKernelOutput, prorate_missing: bool) -> None:
    v = out.visits
    errors = []
    for row in np.flatnonzero(~v["alsfrs_scorable"]):
        index = int(v["alsfrs_index"][row])
        missing = case.alsfrs_r[index].items.missing_items()
        if prorate_missing:
            reason = (
                f"item(s) {', '.join(missing)} missing: prorating allows at most "
                f"{alsfrs_r.MAX_PRORATED_MISSING} missing item per visit"
            )
        else:
            reason = (
                f"item(s) {', '.join(missing)} missing: all 12 ALSFRS-R items are required "
                "(prorating a missing item is an explicit option: --prorate-missing)"
            )
        errors.append(FieldError(f"alsfrs_r[{index}].items", reason))
    if errors:
        raise CaseValidationError(errors, case.id)
