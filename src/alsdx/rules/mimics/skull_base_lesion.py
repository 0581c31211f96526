"""Skull-base or brainstem lesion presenting with bulbar signs.

Source: Turner MR, Talbot K. Pract Neurol 2013;13:153-164, Tables 2-3 (asymmetric lower cranial nerve signs
without limb EMG changes; MRI brain for isolated dysphagia without prominent dysarthria).

Rule: consider - asymmetric lower cranial nerve signs; or, unless a brain MRI is normal, isolated dysphagia
without dysarthria and without limb signs, or bulbar signs with limb EMG studied and free of the Awaji LMN
pattern and without limb signs. likely - any of these with an abnormal brain MRI."""

from __future__ import annotations

import numpy as np

from alsdx.columns.codes import MRI_OTHER_LESION
from alsdx.rules.mimics.common import (
    BULBAR,
    SPINAL,
    Cols,
    Feature,
    Mimic,
    any_of,
    level,
    lower_motor,
    mri_normal,
    patients_with,
)


def skull_base_lesion(x: Cols) -> dict[str, np.ndarray]:
    limb_signs = any_of(x["umn"] | lower_motor(x), *SPINAL)
    bulbar = (x["umn"] | x["lmn_clinical"])[:, BULBAR]
    limb_studied = patients_with(x, x["emg_region"] != BULBAR)
    bulbar_only = bulbar & ~limb_signs & limb_studied
    asymmetric = x["exam_asymmetric_lower_cranial_nerve_signs"]
    dysphagia = x["exam_dysphagia"] & ~x["exam_dysarthria"] & ~limb_signs
    normal = mri_normal(x["imaging_brain_mri"])
    consider = asymmetric | ((dysphagia | bulbar_only) & ~normal)
    likely = consider & (x["imaging_brain_mri"] == MRI_OTHER_LESION)
    return {
        "level": level(consider, likely),
        "flag_asymmetric_lower_cranial_nerve_signs": asymmetric,
        "flag_isolated_dysphagia": dysphagia & consider,
        "flag_bulbar_signs_with_normal_limb_emg": bulbar_only & consider,
        "flag_brain_mri_abnormal": likely,
        "against_brain_mri_normal": normal,
    }


MIMIC = Mimic(
    id="skull_base_lesion",
    name="Skull-base or brainstem lesion",
    kernel=skull_base_lesion,
    flags={
        "asymmetric_lower_cranial_nerve_signs": Feature(
            "asymmetric lower cranial nerve signs", ("exam.asymmetric_lower_cranial_nerve_signs",)
        ),
        "isolated_dysphagia": Feature(
            "isolated dysphagia without dysarthria or limb signs", ("exam.bulbar_symptoms", "exam")
        ),
        "bulbar_signs_with_normal_limb_emg": Feature(
            "bulbar signs with limb EMG studied and no limb signs", ("exam.bulbar", "emg")
        ),
        "brain_mri_abnormal": Feature("abnormal brain MRI", ("imaging.brain_mri",)),
    },
    against={"brain_mri_normal": Feature("brain MRI normal", ("imaging.brain_mri",))},
    workup=("brain_mri",),
    treatable=True,
    source="Turner MR, Talbot K. Pract Neurol 2013;13:153-164 (Tables 2-3)",
)
