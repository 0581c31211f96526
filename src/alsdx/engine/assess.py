"""assess(case) -> Assessment: case -> columns -> the kernel pipeline -> explained result (docs/architecture.md,
"engine"). It assembles; the sentences are written by the topic modules of ``alsdx.engine.explain``.

Every door (library, CLI, REST, FHIR, CDS Hooks) calls this; a single patient is a batch of one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from alsdx.care import build_plan
from alsdx.columns.from_case import case_columns, course_columns
from alsdx.engine.completeness import case_completeness, not_examined_sentences, not_met_text
from alsdx.engine.course import courses_from_kernels
from alsdx.engine.course_results import Course
from alsdx.engine.explain.approximate import approximate_anniversaries, approximate_results
from alsdx.engine.explain.criteria import SET_NAMES, SOURCES, criteria_sentences, label
from alsdx.engine.explain.differential import (
    WORKUP_NOT_RECORDED,
    exclusion_result,
    exclusion_sentence,
    mimic_results,
    pls_result,
    side_by_side_sentence,
    supportive_features,
)
from alsdx.engine.explain.regions import region_findings
from alsdx.engine.next_evidence import examine_not_examined, next_evidence
from alsdx.engine.pipeline import KernelOutputs, run_kernels
from alsdx.engine.results import AlternativeReading, Assessment, Criteria, CriteriaResult, Regions
from alsdx.model.case import Case
from alsdx.rules.criteria import CATEGORIES, CRITERIA_SETS
from alsdx.rules.criteria.interpretation import Interpretation
from alsdx.rules.version import RULESET_VERSION

__all__ = ["assess", "assess_many"]


def assess(case: Case, interpretation: Interpretation | None = None, *, prorate_missing: bool = False) -> Assessment:
    return assess_many([case], interpretation, prorate_missing=prorate_missing)[0]


def assess_many(
    cases: Sequence[Case], interpretation: Interpretation | None = None, *, prorate_missing: bool = False
) -> list[Assessment]:
    """Assess cases as one batch through the kernels, then explain each. ``prorate_missing`` is the course
    engine's explicit option to prorate one unanswered ALSFRS-R item (docs/course.md)."""
    interp = interpretation or Interpretation()
    k = run_kernels(
        case_columns(cases),
        interp,
        course=course_columns(cases),
        prorate_missing=prorate_missing,
        alternatives=True,
        next_evidence=True,
    )
    assert k.course is not None
    courses = courses_from_kernels(cases, k.course, prorate_missing=prorate_missing)
    muscle_start = np.searchsorted(k.columns["emg_patient"], np.arange(len(cases) + 1))
    out = []
    for i, case in enumerate(cases):
        m = slice(muscle_start[i], muscle_start[i + 1])
        muscles = (k.evidence["emg_muscle_reec"][m], k.evidence["emg_muscle_awaji"][m])
        out.append(_explain_one(case, i, k, muscles, courses[i]))
    return out


def _explain_one(
    case: Case, i: int, k: KernelOutputs, muscles: tuple[np.ndarray, np.ndarray], course: Course
) -> Assessment:
    diff, interp, results = k.differential, k.interpretation, k.criteria
    ev = k.patient_evidence(i)
    shown_lmn = k.shown_lmn_clinical[i]
    mimics = mimic_results(diff, i)
    exclusion = exclusion_result(diff, case.other_causes_excluded, i)
    pending_text = exclusion_sentence(
        case.other_causes_excluded, [w for w in exclusion.outstanding if w != WORKUP_NOT_RECORDED]
    )
    ranks = {name: int(results[name]["category"][i]) for name in CRITERIA_SETS}
    further = next_evidence(ev, ranks, interp, (list(k.additions[i]), k.addition_results[i]))
    completeness = case_completeness(case)
    examine_not_examined(further, completeness.regions_not_examined)
    incomplete = not_met_text(completeness)
    criteria = {}
    for name in CRITERIA_SETS:
        r = results[name]
        category = CATEGORIES[name][ranks[name]]
        flags = [f for f in ("exclusion_pending", "progression_not_documented", "progression_absent") if r[f][i]]
        alt = [
            AlternativeReading(interpretation=alt_name, category=CATEGORIES[name][int(res[name]["category"][i])])
            for alt_name, res in k.alternatives
            if int(res[name]["category"][i]) != ranks[name]
        ]
        # Unknown is not absent: "not met" is qualified when regions were not examined (docs/case-format.md).
        shown = label(name, category)
        if category == "not_met" and incomplete:
            shown = incomplete if completeness.assessable == "none" else f"criteria {incomplete}"
        side_by_side = side_by_side_sentence(shown, SET_NAMES[name], mimics)
        criteria[name] = CriteriaResult(
            category=category,
            label=shown,
            flags=flags,
            explanation=criteria_sentences(name, category, case, ev, shown_lmn, r, i, flags, alt, interp, pending_text)
            + not_examined_sentences(completeness, category == "not_met")
            + ([side_by_side] if side_by_side else []),
            next_evidence=further[name],
            alternatives=alt,
            source=SOURCES[name],
        )
    regions = region_findings(case, ev, shown_lmn, muscles)
    pls = approximate_anniversaries(pls_result(diff, k.columns, i), case)
    return Assessment(
        id=case.id,
        ruleset_version=RULESET_VERSION,
        assessment_date=case.assessment_date,
        interpretation=interp.names,
        criteria=Criteria(**criteria),
        regions=Regions(**regions),
        exclusion=exclusion,
        pls=pls,
        mimics=mimics,
        supportive=supportive_features(diff, i),
        course=course,
        plan=build_plan(case, course),
        read_as=case.readings,
        approximate=approximate_results(case),
        completeness=completeness,
    )
