"""Primary progressive multiple sclerosis (PPMS).

Sources: Turner MR, Talbot K. Pract Neurol 2013;13:153-164, Tables 2-3 (UMN syndrome with sensory features;
MRI; CSF oligoclonal bands when PPMS is suspected).

Rule: consider - UMN signs without LMN involvement together with sensory loss, sphincter dysfunction or an
abnormal brain MRI. likely - UMN signs with CSF oligoclonal bands."""

from __future__ import annotations

import numpy as np

from alsdx.columns.codes import MRI_OTHER_LESION
from alsdx.rules.mimics.common import Cols, Feature, Mimic, any_region, level, lmn, positive


def ppms(x: Cols) -> dict[str, np.ndarray]:
    umn = any_region(x["umn"])
    umn_only = umn & ~any_region(lmn(x))
    sensory, sphincter = x["exam_sensory_loss"], x["exam_sphincter_dysfunction"]
    mri = x["imaging_brain_mri"] == MRI_OTHER_LESION
    ocb = positive(x["lab_csf_oligoclonal_bands"])
    consider = (umn_only & (sensory | sphincter | mri)) | (ocb & umn)
    return {
        "level": level(consider, ocb & umn),
        "flag_csf_oligoclonal_bands": ocb & umn,
        "flag_sensory_loss": sensory & consider,
        "flag_sphincter_dysfunction": sphincter & consider,
        "flag_brain_mri_abnormal": mri & consider,
        "against_lmn_involvement": any_region(lmn(x)),
    }


MIMIC = Mimic(
    id="ppms",
    name="Primary progressive multiple sclerosis",
    kernel=ppms,
    flags={
        "csf_oligoclonal_bands": Feature("CSF oligoclonal bands", ("labs.csf_oligoclonal_bands",)),
        "sensory_loss": Feature("objective sensory loss", ("exam.sensory_loss",)),
        "sphincter_dysfunction": Feature("sphincter dysfunction", ("exam.sphincter_dysfunction",)),
        "brain_mri_abnormal": Feature("abnormal brain MRI", ("imaging.brain_mri",)),
    },
    against={"lmn_involvement": Feature("LMN involvement (clinical or EMG)", ("exam", "emg"))},
    workup=("brain_mri", "cervical_spine_mri", "csf"),
    treatable=True,
    source="Turner MR, Talbot K. Pract Neurol 2013;13:153-164",
)
