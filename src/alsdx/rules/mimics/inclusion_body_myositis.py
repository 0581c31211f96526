"""Sporadic inclusion body myositis (IBM).

Sources: Rose MR; ENMC IBM Working Group. 188th ENMC International Workshop: Inclusion Body Myositis, 2-4
December 2011. Neuromuscul Disord 2013;23:1044-1055 (criteria table reproduced in PMC4233319, Table 2):
mandatory - duration of weakness > 12 months, CK <= 15 x ULN, age at onset > 45 years; clinical -
finger-flexion weakness > shoulder-abduction weakness and/or knee-extension weakness >= hip-flexion weakness
(probable IBM: one of them; clinically defined: both). Turner MR, Talbot K. Pract Neurol 2013;13:153-164 (IBM
as an MND mimic; CK > 1000 IU/L a myopathy clue); Williams TL. Clin Med 2013;13:97-100 (CK > 1000 IU/L very
unusual in MND). Seed note: "can be asymmetric with grip weakness and quadriceps weakness ... CPK 500-800" -
not a published threshold, so not used.

Rule (boundaries tested: age 45, 12 months, 15 x ULN, CK 1000): pattern = finger-flexor or quadriceps
weakness. consider: the pattern unless onset is known to be at 45 or younger. likely: ENMC 'probable IBM'
clinical features - pattern, onset > 45, duration > 12 months (after the first anniversary of onset), CK
measured and <= 15 x ULN (the panel's own ULN) - and no UMN sign (IBM is a myopathy)."""

from __future__ import annotations

import numpy as np

from alsdx.rules.mimics.common import CK_VERY_UNUSUAL_IN_MND, Cols, Feature, Mimic, above, any_region, level

MIN_ONSET_AGE_EXCLUSIVE = 45.0
CK_MAX_ULN_MULTIPLE = 15.0


def inclusion_body_myositis(x: Cols) -> dict[str, np.ndarray]:
    ff, ke = x["exam_weakness_finger_flexors"], x["exam_weakness_quadriceps"]
    pattern = ff | ke
    age = x["age_at_onset_years"]
    over_45 = above(age, MIN_ONSET_AGE_EXCLUSIVE)
    at_most_45 = age <= MIN_ONSET_AGE_EXCLUSIVE
    over_12_months = x["assessment_day"] > x["onset_plus_1y_day"]
    ck, uln = x["lab_ck_u_per_l"], x["lab_ck_uln_u_per_l"]
    ck_within = ck <= CK_MAX_ULN_MULTIPLE * uln
    ck_beyond = ck > CK_MAX_ULN_MULTIPLE * uln
    umn = any_region(x["umn"])
    consider = pattern & ~at_most_45
    likely = pattern & over_45 & over_12_months & ck_within & ~umn
    return {
        "level": level(consider, likely),
        "flag_finger_flexor_weakness": ff & consider,
        "flag_quadriceps_weakness": ke & consider,
        "flag_onset_after_45": over_45 & consider,
        "flag_weakness_over_12_months": over_12_months & consider,
        "flag_ck_within_15x_uln": ck_within & consider,
        "flag_ck_over_1000": above(ck, CK_VERY_UNUSUAL_IN_MND) & consider,
        "against_umn_signs": umn,
        "against_ck_over_15x_uln": ck_beyond,
        "against_onset_45_or_younger": at_most_45,
    }


MIMIC = Mimic(
    id="inclusion_body_myositis",
    name="Inclusion body myositis",
    kernel=inclusion_body_myositis,
    flags={
        "finger_flexor_weakness": Feature("finger-flexor weakness", ("exam.weakness.finger_flexors",)),
        "quadriceps_weakness": Feature("quadriceps (knee-extensor) weakness", ("exam.weakness.quadriceps",)),
        "onset_after_45": Feature("onset after age 45", ("age_at_onset", "birth_date", "symptom_onset")),
        "weakness_over_12_months": Feature("weakness for more than 12 months", ("symptom_onset", "assessment_date")),
        "ck_within_15x_uln": Feature(
            "CK at most 15 x the upper limit of normal", ("labs.ck_u_per_l", "labs.ck_uln_u_per_l")
        ),
        "ck_over_1000": Feature("CK above 1000 IU/L", ("labs.ck_u_per_l",)),
    },
    against={
        "umn_signs": Feature("UMN signs (IBM is a myopathy)", ("exam",)),
        "ck_over_15x_uln": Feature(
            "CK above 15 x ULN (outside the ENMC 2011 criteria)", ("labs.ck_u_per_l", "labs.ck_uln_u_per_l")
        ),
        "onset_45_or_younger": Feature(
            "onset at 45 or younger (ENMC 2011 requires onset after 45)", ("age_at_onset", "birth_date")
        ),
    },
    workup=("ck", "emg", "muscle_biopsy"),
    treatable=False,
    source=(
        "ENMC IBM criteria 2011 (Rose MR, Neuromuscul Disord 2013;23:1044-1055); Turner MR, Talbot K. Pract "
        "Neurol 2013;13:153-164; Williams TL. Clin Med 2013;13:97-100"
    ),
)
