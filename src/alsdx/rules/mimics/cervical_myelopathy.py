"""Cervical spondylotic myelopathy; high cervical / foramen-magnum lesion.

Sources: Turner MR, Talbot K. Mimics and chameleons in motor neurone disease. Pract Neurol 2013;13:153-164,
Tables 2-3 (mixed UMN and LMN signs with no involvement above the foramen magnum; neck or root pain, sphincter
involvement and sensory signs are red flags; MRI of the cervical spine when there are no signs above the neck
with mixed signs). Williams TL. Clin Med 2013;13:97-100. Seed note (clinician's notes): "High cervical spine
lesions - UMN changes in upper extremity with LMN pattern in LE".

Note on the seed's wording: a cervical cord lesion usually gives LMN signs at the level of the lesion (arms)
and UMN signs below it (legs) - the *reverse* of "UMN in arms, LMN in legs". The seed's pattern needs a second
lesion (e.g. a co-existing lumbosacral radiculopathy) to explain the leg LMN signs. Both patterns are flagged,
each under its own name, and either one raises the mimic when the bulbar region is spared.

Rule: signs confined below the foramen magnum = the bulbar region examined and showing no bulbar UMN, clinical
LMN or EMG involvement, with UMN and LMN (clinical, EMG or weakness) in spinal regions. Unknown is not absent
(issue 14): a bulbar region not examined is not "spared", so the pattern is not raised; Turner & Talbot's
"no signs above the neck" is a clinical finding (jaw jerk, tongue, palate, speech), and a normal bulbar EMG
alone cannot show the absence of bulbar UMN signs, so a bulbar EMG without a bulbar examination does not
settle it either (bulbar EMG denervation still counts as bulbar involvement). consider: that pattern, or neck/radicular pain, sphincter
dysfunction or sensory loss with motor signs - unless a normal cervical MRI leaves only the pattern. likely: a
compressive or other cervical lesion on MRI together with the pattern or one of those clinical flags."""

from __future__ import annotations

import numpy as np

from alsdx.columns.codes import MRI_COMPRESSIVE, MRI_OTHER_LESION, REGION_EXAMINED
from alsdx.rules.mimics.common import (
    BULBAR,
    CERVICAL,
    LUMBOSACRAL,
    SPINAL,
    Cols,
    Feature,
    Mimic,
    any_of,
    any_region,
    level,
    lower_motor,
    mri_normal,
)


def cervical_myelopathy(x: Cols) -> dict[str, np.ndarray]:
    umn, low = x["umn"], lower_motor(x)
    bulbar = umn[:, BULBAR] | x["lmn_clinical"][:, BULBAR] | x["lmn_emg_awaji"][:, BULBAR]
    spinal_mixed = any_of(umn, *SPINAL) & any_of(low, *SPINAL)
    bulbar_spared = x[REGION_EXAMINED][:, BULBAR] & ~bulbar
    below_foramen = bulbar_spared & spinal_mixed
    lmn_arms_umn_legs = below_foramen & low[:, CERVICAL] & umn[:, LUMBOSACRAL]
    umn_arms_lmn_legs = below_foramen & umn[:, CERVICAL] & low[:, LUMBOSACRAL]
    pain, sphincter, sensory = (
        x["exam_neck_pain_or_radicular_pain"],
        x["exam_sphincter_dysfunction"],
        x["exam_sensory_loss"],
    )
    clinical = (pain | sphincter | sensory) & any_region(umn | low)
    mri = x["imaging_cervical_spine_mri"]
    lesion = (mri == MRI_COMPRESSIVE) | (mri == MRI_OTHER_LESION)
    consider = clinical | (below_foramen & ~mri_normal(mri))
    likely = lesion & (below_foramen | clinical)
    return {
        "level": level(consider, likely),
        "flag_signs_below_foramen_magnum": below_foramen,
        "flag_lmn_arms_umn_legs": lmn_arms_umn_legs,
        "flag_umn_arms_lmn_legs": umn_arms_lmn_legs,
        "flag_neck_or_radicular_pain": pain & clinical,
        "flag_sphincter_dysfunction": sphincter & clinical,
        "flag_sensory_loss": sensory & clinical,
        "flag_mri_cervical_lesion": lesion,
        "against_bulbar_involvement": bulbar,
        "against_mri_normal": mri_normal(mri),
    }


MIMIC = Mimic(
    id="cervical_myelopathy",
    name="Cervical myelopathy / high cervical or foramen-magnum lesion",
    kernel=cervical_myelopathy,
    flags={
        "signs_below_foramen_magnum": Feature(
            "mixed UMN and LMN signs confined below the foramen magnum (bulbar region examined, no bulbar "
            "involvement; not raised when the bulbar region was not examined)",
            ("exam.bulbar", "exam.cervical", "exam.thoracic", "exam.lumbosacral", "emg"),
        ),
        "lmn_arms_umn_legs": Feature(
            "LMN signs in the arms with UMN signs in the legs (the usual cervical-cord pattern)",
            ("exam.cervical.lmn", "emg", "exam.lumbosacral.umn"),
        ),
        "umn_arms_lmn_legs": Feature(
            "UMN signs in the arms with LMN signs in the legs (the seed note's pattern; leg LMN signs then "
            "need a second lesion such as a lumbosacral radiculopathy)",
            ("exam.cervical.umn", "exam.lumbosacral.lmn", "emg"),
        ),
        "neck_or_radicular_pain": Feature("neck or radicular pain", ("exam.neck_pain_or_radicular_pain",)),
        "sphincter_dysfunction": Feature("sphincter dysfunction", ("exam.sphincter_dysfunction",)),
        "sensory_loss": Feature("objective sensory loss", ("exam.sensory_loss",)),
        "mri_cervical_lesion": Feature(
            "cervical MRI shows a compressive myelopathy or another lesion", ("imaging.cervical_spine_mri",)
        ),
    },
    against={
        "bulbar_involvement": Feature(
            "bulbar involvement (a lesion below the foramen magnum does not explain it)",
            ("exam.bulbar", "emg"),
        ),
        "mri_normal": Feature("cervical MRI normal", ("imaging.cervical_spine_mri",)),
    },
    workup=("cervical_spine_mri", "emg"),
    treatable=True,
    source=("Turner MR, Talbot K. Pract Neurol 2013;13:153-164 (Tables 2-3); Williams TL. Clin Med 2013;13:97-100"),
    notes=(
        "The seed note's 'UMN in arms, LMN in legs' is the reverse of the usual cervical-cord pattern; both "
        "are flagged.",
    ),
)
