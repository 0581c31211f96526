"""Polymyositis / dermatomyositis.

Sources: Williams TL. Motor neurone disease: diagnostic pitfalls. Clin Med 2013;13:97-100 (CK > 1000 IU/L very
unusual in MND). Turner MR, Talbot K. Pract Neurol 2013;13:153-164 (myopathies as MND mimics; CK and EMG when
myopathy is suspected). Seed note: "proximal weakness in arms/legs, CPK > 1000, usually younger onset
(30-40s), no UMN signs". Dermatomyositis rash (heliotrope, Gottron papules) and myalgia with subacute onset
are the clinical clues [S].

Rule (CK boundary 1000 tested): symmetric proximal = proximal weakness not recorded as asymmetric. consider:
symmetric proximal weakness, a dermatomyositis rash, CK > 1000 IU/L, or myalgia with subacute onset. likely:
symmetric proximal weakness with a rash or CK > 1000 IU/L.
"""

from __future__ import annotations

import numpy as np

from alsdx.rules.mimics.common import CK_VERY_UNUSUAL_IN_MND, Cols, Feature, Mimic, above, any_region, level


def polymyositis_dermatomyositis(x: Cols) -> dict[str, np.ndarray]:
    proximal = x["exam_weakness_proximal"] & ~x["exam_weakness_asymmetric"]
    rash, myalgia, subacute = x["exam_dermatomyositis_rash"], x["exam_myalgia"], x["history_subacute_onset"]
    ck_high = above(x["lab_ck_u_per_l"], CK_VERY_UNUSUAL_IN_MND)
    consider = proximal | rash | ck_high | (myalgia & subacute)
    likely = proximal & (rash | ck_high)
    return {
        "level": level(consider, likely),
        "flag_symmetric_proximal_weakness": proximal,
        "flag_dermatomyositis_rash": rash,
        "flag_ck_over_1000": ck_high,
        "flag_myalgia": myalgia & consider,
        "flag_subacute_onset": subacute & consider,
        "against_umn_signs": any_region(x["umn"]),
        "against_fasciculations": any_region(x["fasciculations"]),
    }


MIMIC = Mimic(
    id="polymyositis_dermatomyositis",
    name="Polymyositis / dermatomyositis",
    kernel=polymyositis_dermatomyositis,
    flags={
        "symmetric_proximal_weakness": Feature(
            "symmetric proximal weakness", ("exam.weakness.proximal", "exam.weakness.asymmetric")
        ),
        "dermatomyositis_rash": Feature(
            "dermatomyositis rash (heliotrope, Gottron papules)", ("exam.dermatomyositis_rash",)
        ),
        "ck_over_1000": Feature("CK above 1000 IU/L (very unusual in MND)", ("labs.ck_u_per_l",)),
        "myalgia": Feature("myalgia", ("exam.myalgia",)),
        "subacute_onset": Feature("subacute onset", ("history.subacute_onset",)),
    },
    against={
        "umn_signs": Feature("UMN signs (not a feature of myositis)", ("exam",)),
        "fasciculations": Feature("clinical fasciculations (neurogenic, not myopathic)", ("exam",)),
    },
    workup=("ck", "emg", "myositis_antibodies", "muscle_biopsy"),
    treatable=True,
    source="Williams TL. Clin Med 2013;13:97-100; Turner MR, Talbot K. Pract Neurol 2013;13:153-164",
)
