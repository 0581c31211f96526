"""Multidisciplinary referrals: the wording of each discipline and reason.

Which referrals fire, and their sources, are the kernel's (``alsdx.rules.care.referrals``, docs/ruleset.md §10);
this module fills each fired trigger's reason from the case's columns.
"""

from __future__ import annotations

import numpy as np

from alsdx.care.columns import Columns, plp_genes
from alsdx.care.models import Referral
from alsdx.model.case import Case
from alsdx.rules.care.referrals import DISCIPLINE_SOURCES, TRIGGERS, referral_kernel

LABELS: dict[str, str] = {
    "neurology_mdt": "Neurology / multidisciplinary ALS clinic",
    "speech_language_therapy": "Speech and language therapy",
    "pulmonology": "Pulmonology / respiratory care",
    "nutrition_gastroenterology": "Nutrition / gastroenterology",
    "physiotherapy": "Physiotherapy",
    "occupational_therapy": "Occupational therapy",
    "mobility_wheelchair_services": "Mobility and wheelchair services",
    "palliative_care": "Palliative care",
    "genetic_counselling": "Genetic counselling",
    "psychology_cognitive": "Psychology / cognitive-behavioural screening",
}

REASONS: dict[str, str] = {
    # trigger id -> reason template; {names} are filled from the columns
    "mdt_clinic": "care in a specialised multidisciplinary ALS clinic should be considered to optimise care "
    "and prolong survival (AAN 2009, level B)",
    "slt_bulbar_signs": "bulbar signs on examination",
    "slt_dysarthria": "dysarthria or voice change reported",
    "slt_dysphagia": "dysphagia reported",
    "slt_alsfrs_speech": "ALSFRS-R speech {alsfrs_speech}/4",
    "slt_alsfrs_swallowing": "ALSFRS-R swallowing {alsfrs_swallowing}/4",
    "pulm_fvc_below_80": "latest FVC {fvc_percent} % predicted (< 80 %)",
    "pulm_fvc_falling": "FVC falling ({fvc_slope_per_month} % predicted per month)",
    "pulm_orthopnea": "orthopnoea",
    "pulm_niv": "NIV trigger reached (AAN 2009): NIV to be considered",
    "pulm_alsfrs_respiratory": "respiratory symptoms on ALSFRS-R (dyspnoea {alsfrs_dyspnea}/4, orthopnoea {alsfrs_orthopnea}/4, "
    "respiratory insufficiency {alsfrs_respiratory_insufficiency}/4)",
    "nut_dysphagia": "dysphagia: weight, diet texture and gastrostomy discussion (AAN 2009)",
    "nut_gastrostomy": "gastrostomy in place: feeding and tube review",
    "nut_weight_loss": "weight loss {weight_loss_percent} % since the first recorded weight (EFNS 2012: > 10 %)",
    "pt_limb_signs": "limb-region signs on examination",
    "pt_gross_motor": "ALSFRS-R gross motor items reduced (turning in bed {alsfrs_turning_in_bed}/4, walking "
    "{alsfrs_walking}/4, climbing stairs {alsfrs_climbing_stairs}/4)",
    "ot_upper_limb": "upper-limb (cervical) signs on examination",
    "ot_fine_motor": "ALSFRS-R fine motor items reduced (handwriting {alsfrs_handwriting}/4, cutting food "
    "{alsfrs_cutting_food}/4, dressing and hygiene {alsfrs_dressing_hygiene}/4)",
    "mob_alsfrs_walking": "ALSFRS-R walking {alsfrs_walking}/4, climbing stairs {alsfrs_climbing_stairs}/4: walking aids, "
    "and wheelchair assessment planned ahead of need",
    "mob_leg_weakness": "lower-limb weakness: orthoses and walking aids",
    "pal_early": "early palliative care input to be considered once the diagnosis of ALS is established (EFNS 2012)",
    "pal_respiratory": "respiratory insufficiency: advance care planning",
    "gen_family_history": "family history of ALS",
    "gen_plp_variant": "pathogenic or likely pathogenic variant ({genes})",
    "gen_c9orf72": "C9orf72 repeat expansion",
    "psy_ftd": "frontotemporal dementia features",
    "psy_pba": "pseudobulbar affect",
}


def _context(cols: Columns, genes: list[str]) -> dict[str, str]:
    ctx = {k: "n/a" if np.isnan(v[0]) else f"{v[0]:g}" for k, v in cols.items() if v.dtype.kind == "f"}
    slope = cols["fvc_slope_per_month"][0]
    ctx["fvc_slope_per_month"] = "n/a" if np.isnan(slope) else f"{slope:+.1f}"
    loss = cols["weight_loss_percent"][0]
    ctx["weight_loss_percent"] = "n/a" if np.isnan(loss) else f"{loss:.1f}"
    ctx["genes"] = ", ".join(genes)
    return ctx


def referrals(case: Case, cols: Columns) -> list[Referral]:
    """The referrals to be considered for one case (``cols`` = ``care_columns``), each with its reasons."""
    fired = referral_kernel(cols)
    ctx = _context(cols, plp_genes(case))
    out = []
    for discipline, source in DISCIPLINE_SOURCES.items():
        if not fired[f"refer_{discipline}"][0]:
            continue
        hits = [(t, REASONS[t].format(**ctx)) for t, d in TRIGGERS if d == discipline and fired[t][0]]
        reason = "; ".join(text for _, text in hits)
        out.append(
            Referral(
                discipline=discipline,
                label=LABELS[discipline],
                reason=reason[0].upper() + reason[1:],
                triggers=[t for t, _ in hits],
                source=source,
            )
        )
    return out
