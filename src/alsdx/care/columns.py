"""Care-plan input columns: a case (and its respiratory inputs) as a batch of one.

The care rules (referral and symptomatic triggers, riluzole lab alerts) are column kernels like every
other rule (docs/architecture.md): numpy arrays in, numpy arrays out, no Python branching on patient data. This
module only extracts the raw findings they read; it decides nothing. Missing numbers are NaN, so a
comparison with a missing value is False and never fires a trigger.

ALSFRS-R item columns are the latest visit's raw item scores (Cedarbaum 1999; 4 = normal).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from alsdx.care.course_inputs import RespiratoryInputs
from alsdx.care.dates import day_number
from alsdx.model.case import ALSFRS_ITEMS, Case

Columns = Mapping[str, np.ndarray]


def _b(value: bool) -> np.ndarray:
    return np.array([bool(value)])


def _f(value: float | None) -> np.ndarray:
    return np.array([np.nan if value is None else float(value)])


def plp_genes(case: Case) -> list[str]:
    """Genes with a pathogenic or likely pathogenic variant, in case order, without repeats."""
    return list(dict.fromkeys(case.genetics.pathogenic_genes()))


def weight_loss_percent(case: Case) -> float | None:
    """(first - latest) / first x 100 over the dated weights (earliest and latest date; on equal dates the first
    listed); None with fewer than two dates. docs/case-format.md: the first entry is the reference."""
    first = min(case.weight, key=lambda w: w.date, default=None)
    latest = max(case.weight, key=lambda w: w.date, default=None)
    if first is None or latest is None or latest.date == first.date:
        return None
    return (first.weight_kg - latest.weight_kg) / first.weight_kg * 100.0


def care_columns(case: Case, resp: RespiratoryInputs | None) -> dict[str, np.ndarray]:
    """Raw findings the referral, symptomatic and FVC-recency kernels read (arrays of length 1)."""
    exam = case.exam
    limb = (exam.cervical, exam.thoracic, exam.lumbosacral)
    symptoms = set(exam.bulbar_symptoms)
    latest = max(case.alsfrs_r, key=lambda v: v.date, default=None)
    latest_fvc = max((m.date for m in case.fvc), default=None)
    cols: dict[str, np.ndarray] = {
        "assessment_day": np.array([day_number(case.assessment_date)]),
        "fvc_recorded": _b(latest_fvc is not None),
        "fvc_latest_day": np.array([0 if latest_fvc is None else day_number(latest_fvc)]),
        "bulbar_umn": _b(bool(exam.bulbar.umn)),
        "bulbar_lmn": _b(bool(exam.bulbar.lmn)),
        "cervical_signs": _b(bool(exam.cervical.umn or exam.cervical.lmn)),
        "limb_signs": _b(any(r.umn or r.lmn for r in limb)),
        "lumbosacral_weakness": _b("weakness" in exam.lumbosacral.lmn),
        "any_lmn": _b(any(exam.region(r).lmn for r in ("bulbar", "cervical", "thoracic", "lumbosacral"))),
        "spasticity": _b(
            any("spasticity" in exam.region(r).umn for r in ("bulbar", "cervical", "thoracic", "lumbosacral"))
        ),
        "pseudobulbar_affect": _b("pseudobulbar_affect" in exam.bulbar.umn),
        "dysarthria": _b("dysarthria" in symptoms),
        "voice_change": _b("voice_change" in symptoms),
        "dysphagia": _b("dysphagia" in symptoms),
        "sialorrhea": _b("sialorrhea" in symptoms),
        "exam_orthopnea": _b(exam.orthopnea),
        "muscle_cramps": _b(exam.muscle_cramps),
        "gastrostomy": _b(latest is not None and latest.gastrostomy),
        "family_history_als": _b(case.family_history_als),
        "frontotemporal_dementia": _b(case.frontotemporal_dementia),
        "plp_variant": _b(bool(plp_genes(case))),
        "sod1_plp": _b("SOD1" in {g.upper() for g in plp_genes(case)}),
        "c9orf72_expansion": _b(case.genetics.c9orf72_repeat_expansion is True),
        "fvc_percent": _f(resp.fvc_percent if resp else None),
        "fvc_slope_per_month": _f(resp.fvc_slope_per_month if resp else None),
        "resp_orthopnea": _b(resp is not None and resp.orthopnea),
        "niv_indicated": _b(resp is not None and resp.niv_indicated),
        "weight_loss_percent": _f(weight_loss_percent(case)),
    }
    for item in ALSFRS_ITEMS:
        cols[f"alsfrs_{item}"] = _f(getattr(latest.items, item) if latest else None)
    return cols
