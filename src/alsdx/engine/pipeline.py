"""The kernel pipeline, wired once: columns -> region evidence -> differential -> criteria -> course.

``assess_many`` (cases) and the cohort's ``assess_batch`` (Arrow batches) both call :func:`run_kernels`; no
other module strings the kernels together (docs/architecture.md, "engine"). The order is fixed by the rules:

1. ``region_evidence``: per patient and region, the evidence under every reading.
2. ``differential``: PLS, mimics, supportive features, work-up status and exclusion; its outstanding work-up is
   added to the evidence as ``workup_outstanding``, which ``exclusion_pending`` reads (ruleset Decision 14).
3. ``criteria_from_evidence``: the four criteria sets under the chosen reading, in one call with, when asked,
   each single alternative reading and each patient's single-addition counterfactuals (next evidence).
4. ``course_kernel``, when course tables are given: ENCALS reads revised El Escorial "definite" as its
   "definite ALS" predictor (ruleset §9).

Two presentation choices every door shares are also defined here: which clinical-LMN evidence is shown
(:attr:`KernelOutputs.shown_lmn_clinical`) and the order raised mimics are listed in (:data:`MIMIC_RANK`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from alsdx.columns.codes import CourseColumns
from alsdx.engine.next_evidence import Addition, counterfactual_rows, single_combos
from alsdx.rules.course.pipeline import CourseKernelOutput, course_kernel
from alsdx.rules.criteria import CATEGORIES, criteria_from_evidence
from alsdx.rules.criteria.interpretation import Interpretation, RowReadings, single_alternatives
from alsdx.rules.criteria.regions import region_evidence
from alsdx.rules.differential import Differential, differential
from alsdx.rules.mimics import MIMICS

Evidence = dict[str, np.ndarray]
Results = dict[str, dict[str, np.ndarray]]
"""Criteria set name -> its kernel outputs (``category`` holds ranks into ``CATEGORIES[name]``)."""

REEC_DEFINITE = CATEGORIES["revised_el_escorial"].index("definite")
"""ENCALS's "definite ALS" predictor is the revised El Escorial category "definite" (docs/ruleset.md §9)."""

MIMIC_RANK = np.argsort(np.lexsort((np.arange(len(MIMICS)), np.array([not m.treatable for m in MIMICS])))).astype(
    np.int64
)
"""Listing position of each mimic of the registry among raised mimics of the same level: treatable first, then
registry order. Raised mimics are listed likely before consider, then by this rank (assessment and cohort)."""


@dataclass(frozen=True)
class KernelOutputs:
    """Every kernel output for one batch of patients, computed once."""

    columns: Mapping[str, np.ndarray]
    """The kernel input columns (patient rows, and the EMG side table indexed by ``emg_patient``)."""
    evidence: Evidence
    """Region evidence under every reading, with ``workup_outstanding`` from the differential stage."""
    differential: Differential
    criteria: Results
    """The four criteria sets under the chosen reading, one row per patient."""
    interpretation: Interpretation
    course: CourseKernelOutput | None
    """None when no course tables were given: no course figures for this batch."""
    alternatives: tuple[tuple[str, Results], ...] = ()
    """Each single alternative reading (name, results), when asked; same rows as ``criteria``."""
    additions: tuple[tuple[tuple[Addition, ...], ...], ...] = ()
    """Per patient, its candidate single additions (next evidence), when asked."""
    addition_results: tuple[Results, ...] = ()
    """Per patient, the results of its single additions under the chosen reading (one row per addition)."""

    @property
    def shown_lmn_clinical(self) -> np.ndarray:
        """(n, 4) clinical-LMN evidence shown for each region: the one the chosen reading of Decision 3 counts
        (with weakness alone when ``weakness_counts_as_lmn``)."""
        weak = self.interpretation.weakness_counts_as_lmn
        return self.evidence["lmn_clinical_with_weakness" if weak else "lmn_clinical"]

    @property
    def reec_definite(self) -> np.ndarray:
        """Per patient: revised El Escorial "definite" under the chosen reading (the ENCALS predictor)."""
        return self.criteria["revised_el_escorial"]["category"] == REEC_DEFINITE

    def patient_evidence(self, i: int) -> Evidence:
        """Region evidence of patient ``i`` as a batch of one (the EMG per-muscle arrays left out)."""
        return {k: v[i : i + 1] for k, v in self.evidence.items() if not k.startswith("emg_muscle")}


def run_kernels(
    columns: Mapping[str, np.ndarray],
    interpretation: Interpretation,
    *,
    course: CourseColumns | None = None,
    prorate_missing: bool = False,
    alternatives: bool = False,
    next_evidence: bool = False,
) -> KernelOutputs:
    """Every kernel over one batch of columns. ``course`` (the course tables of the same patients) adds the
    course kernels; ``prorate_missing`` is their option to prorate one unanswered ALSFRS-R item.
    ``alternatives`` adds each single alternative reading, ``next_evidence`` each patient's single-addition
    counterfactuals; both are classified in the one criteria call."""
    ev = region_evidence(columns)
    diff = differential(columns, ev)
    ev["workup_outstanding"] = diff.exclusion["outstanding"]  # Decision 14: exclusion_pending reads it
    if alternatives or next_evidence:
        results, named, additions, addition_results = _with_alternatives(
            ev, interpretation, alternatives, next_evidence
        )
    else:
        results, named, additions, addition_results = criteria_from_evidence(ev, interpretation), [], [], []
    course_out = None
    if course is not None:
        definite = (results["revised_el_escorial"]["category"] == REEC_DEFINITE).astype(float)
        course_out = course_kernel(
            {**course.patients, "reec_definite": definite}, course.visits, course.fvc, prorate_missing=prorate_missing
        )
    return KernelOutputs(
        columns=columns,
        evidence=ev,
        differential=diff,
        criteria=results,
        interpretation=interpretation,
        course=course_out,
        alternatives=tuple(named),
        additions=tuple(tuple(combos) for combos in additions),
        addition_results=tuple(addition_results),
    )


def _with_alternatives(
    ev: Evidence, interp: Interpretation, alternatives: bool, next_evidence: bool
) -> tuple[Results, list[tuple[str, Results]], list[list[tuple[Addition, ...]]], list[Results]]:
    """One criteria call for the whole batch: the chosen reading and each single alternative (one block of n rows
    per reading), then every patient's single-addition counterfactuals under the chosen reading."""
    plain = {key: v for key, v in ev.items() if not key.startswith("emg_muscle")}
    n = len(ev["course"])
    named = [("chosen", interp), *(single_alternatives(interp) if alternatives else [])]
    rows = [{k: v[i : i + 1] for k, v in plain.items()} for i in range(n)]
    singles = [single_combos(row) for row in rows] if next_evidence else []
    counterfactuals = [counterfactual_rows(row, combos) for row, combos in zip(rows, singles, strict=False) if combos]
    blocks = [plain] * len(named) + counterfactuals
    batch = {key: np.concatenate([b[key] for b in blocks]) for key in plain}
    n_counterfactual = sum(len(c) for c in singles)
    readings = RowReadings.stack([r for _, r in named for _ in range(n)] + [interp] * n_counterfactual)
    every = criteria_from_evidence(batch, readings)

    def block(start: int, stop: int) -> Results:
        return {s: {key: v[start:stop] for key, v in res.items()} for s, res in every.items()}

    by_reading = [(name, block(j * n, (j + 1) * n)) for j, (name, _) in enumerate(named)]
    start, per_patient = len(named) * n, []
    for combos in singles:
        per_patient.append(block(start, start + len(combos)))
        start += len(combos)
    return by_reading[0][1], by_reading[1:], singles, per_patient
