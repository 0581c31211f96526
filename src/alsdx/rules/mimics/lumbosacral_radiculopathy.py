"""Lumbosacral radiculopathy, conus or cauda equina lesion.

Source: Turner MR, Talbot K. Pract Neurol 2013;13:153-164, Tables 2-3 (mixed UMN and LMN signs in the legs
with sensory symptoms and bladder involvement - conus lesion; MRI lumbar spine for LMN signs confined to the
legs).

Rule: pattern = LMN involvement confined to the legs with no UMN sign, or UMN and LMN signs confined to the
legs with sensory loss, sphincter dysfunction or radicular pain. consider - the pattern, unless a normal
lumbosacral MRI leaves only the LMN-only pattern. likely - the pattern with a lumbosacral MRI lesion."""

from __future__ import annotations

import numpy as np

from alsdx.columns.codes import MRI_COMPRESSIVE, MRI_OTHER_LESION
from alsdx.rules.mimics.common import (
    BULBAR,
    CERVICAL,
    LUMBOSACRAL,
    THORACIC,
    Cols,
    Feature,
    Mimic,
    any_of,
    level,
    lmn,
    mri_normal,
)


def lumbosacral_radiculopathy(x: Cols) -> dict[str, np.ndarray]:
    low, umn = lmn(x), x["umn"]
    above_legs = any_of(low | umn, BULBAR, CERVICAL, THORACIC)
    lmn_legs_only = low[:, LUMBOSACRAL] & ~above_legs & ~umn[:, LUMBOSACRAL]
    mixed_legs_only = low[:, LUMBOSACRAL] & umn[:, LUMBOSACRAL] & ~above_legs
    clinical = x["exam_sensory_loss"] | x["exam_sphincter_dysfunction"] | x["exam_neck_pain_or_radicular_pain"]
    pattern = lmn_legs_only | (mixed_legs_only & clinical)
    mri = x["imaging_lumbosacral_spine_mri"]
    lesion = (mri == MRI_COMPRESSIVE) | (mri == MRI_OTHER_LESION)
    consider = pattern & (~mri_normal(mri) | clinical)
    return {
        "level": level(consider, pattern & lesion),
        "flag_lmn_legs_only": lmn_legs_only,
        "flag_mixed_signs_legs_only": mixed_legs_only & clinical,
        "flag_sensory_sphincter_or_radicular": clinical & consider,
        "flag_mri_lumbosacral_lesion": lesion & pattern,
        "against_mri_normal": mri_normal(mri),
    }


MIMIC = Mimic(
    id="lumbosacral_radiculopathy",
    name="Lumbosacral radiculopathy / conus or cauda equina lesion",
    kernel=lumbosacral_radiculopathy,
    flags={
        "lmn_legs_only": Feature(
            "LMN involvement confined to the legs without UMN signs", ("exam.lumbosacral.lmn", "emg", "exam")
        ),
        "mixed_signs_legs_only": Feature("UMN and LMN signs confined to the legs", ("exam.lumbosacral", "emg")),
        "sensory_sphincter_or_radicular": Feature(
            "sensory loss, sphincter dysfunction or radicular pain",
            ("exam.sensory_loss", "exam.sphincter_dysfunction", "exam.neck_pain_or_radicular_pain"),
        ),
        "mri_lumbosacral_lesion": Feature("lumbosacral MRI lesion", ("imaging.lumbosacral_spine_mri",)),
    },
    against={"mri_normal": Feature("lumbosacral MRI normal", ("imaging.lumbosacral_spine_mri",))},
    workup=("lumbosacral_spine_mri", "emg", "ncs"),
    treatable=True,
    source="Turner MR, Talbot K. Pract Neurol 2013;13:153-164 (Tables 2-3)",
)
