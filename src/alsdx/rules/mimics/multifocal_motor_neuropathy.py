"""Multifocal motor neuropathy (MMN).

Source: Joint Task Force of the EFNS and the PNS. European Federation of Neurological Societies/Peripheral
Nerve Society guideline on management of multifocal motor neuropathy - first revision. J Peripher Nerv Syst
2010;15:295-301, Tables 1-3: core - slowly progressive focal asymmetric limb weakness in >= 2 nerves for > 1
month, no objective sensory abnormality; supportive - upper-limb predominance, reduced reflexes, no cranial
nerve involvement, cramps and fasciculations; exclusion - UMN signs, marked bulbar involvement, sensory
impairment more than minor vibration loss, diffuse symmetric weakness; electrodiagnosis - motor conduction
block with normal sensory conduction; supportive investigations - IgM anti-GM1, CSF protein < 1 g/L, brachial
plexus MRI; IVIg 2 g/kg over 2-5 days first line. Seed note: "LMN signs only, responds to IVIG ... anti-GM1 Ab
... conduction block".

Rule: lmn_only = LMN involvement or weakness in a limb with no UMN sign anywhere. consider: motor conduction
block, or IgM anti-GM1, or lmn_only with asymmetric weakness or weakness without wasting in a limb region
while NCS is not yet done. likely: conduction block with lmn_only."""

from __future__ import annotations

import numpy as np

from alsdx.rules.mimics.common import (
    BULBAR,
    CERVICAL,
    LUMBOSACRAL,
    Cols,
    Feature,
    Mimic,
    any_of,
    any_region,
    level,
    lower_motor,
    positive,
)
from alsdx.rules.mimics.reference_limits import CSF_PROTEIN_MMN_LIMIT_G_PER_L


def multifocal_motor_neuropathy(x: Cols) -> dict[str, np.ndarray]:
    low, umn = lower_motor(x), x["umn"]
    limbs = (CERVICAL, LUMBOSACRAL)
    lmn_only = any_of(low, *limbs) & ~any_region(umn)
    weak_not_wasted = any_of(x["weakness"] & ~x["atrophy"], *limbs)
    asymmetric = x["exam_weakness_asymmetric"]
    block = x["ncs_motor_conduction_block"]
    gm1 = positive(x["lab_anti_gm1_igm"])
    clinical = lmn_only & (asymmetric | weak_not_wasted) & ~x["ncs_done"]
    consider = block | gm1 | clinical
    likely = block & lmn_only
    return {
        "level": level(consider, likely),
        "flag_conduction_block": block,
        "flag_anti_gm1_igm": gm1,
        "flag_lmn_only": lmn_only & consider,
        "flag_asymmetric_weakness": asymmetric & lmn_only & consider,
        "flag_weakness_without_wasting": weak_not_wasted & lmn_only & consider,
        "against_umn_signs": any_region(umn),
        "against_bulbar_lmn": x["lmn_clinical"][:, BULBAR],
        "against_sensory_loss": x["exam_sensory_loss"],
        "against_sensory_ncs_abnormal": x["ncs_sensory_abnormal"],
        "against_csf_protein_1_g_per_l_or_more": x["lab_csf_protein_g_per_l"] >= CSF_PROTEIN_MMN_LIMIT_G_PER_L,
    }


MIMIC = Mimic(
    id="multifocal_motor_neuropathy",
    name="Multifocal motor neuropathy",
    kernel=multifocal_motor_neuropathy,
    flags={
        "conduction_block": Feature("motor conduction block outside entrapment sites", ("ncs.motor_conduction_block",)),
        "anti_gm1_igm": Feature("IgM anti-GM1 antibodies positive", ("labs.anti_gm1_igm",)),
        "lmn_only": Feature(
            "lower motor neuron signs or weakness in the limbs without any UMN sign",
            ("exam.cervical", "exam.lumbosacral", "emg", "exam.bulbar.umn", "exam.thoracic.umn"),
        ),
        "asymmetric_weakness": Feature("asymmetric weakness", ("exam.weakness.asymmetric",)),
        "weakness_without_wasting": Feature(
            "weakness without wasting in a limb region", ("exam.cervical.lmn", "exam.lumbosacral.lmn")
        ),
    },
    against={
        "umn_signs": Feature("UMN signs (an EFNS/PNS exclusion criterion)", ("exam",)),
        "bulbar_lmn": Feature("bulbar LMN signs (marked bulbar involvement excludes MMN)", ("exam.bulbar.lmn",)),
        "sensory_loss": Feature("objective sensory loss", ("exam.sensory_loss",)),
        "sensory_ncs_abnormal": Feature("abnormal sensory conduction", ("ncs.sensory_abnormal",)),
        "csf_protein_1_g_per_l_or_more": Feature("CSF protein 1 g/L or more", ("labs.csf_protein_g_per_l",)),
    },
    workup=("ncs", "anti_gm1", "brachial_plexus_mri", "csf"),
    treatable=True,
    source="EFNS/PNS multifocal motor neuropathy guideline, J Peripher Nerv Syst 2010;15:295-301",
    notes=("IVIg 2 g/kg over 2-5 days is first-line treatment (EFNS/PNS 2010); corticosteroids are not recommended.",),
)
