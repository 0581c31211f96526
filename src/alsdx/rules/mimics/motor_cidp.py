"""Motor chronic inflammatory demyelinating polyradiculoneuropathy (motor CIDP).

Sources: Turner MR, Talbot K. Pract Neurol 2013;13:153-164, Tables 2-3 (symmetric or fluctuating weakness with
slowed conduction; NCS and CSF - raised protein - when an inflammatory neuropathy is suspected); EFNS/PNS MMN
guideline 2010 (CSF protein >= 1 g/L points away from MMN, towards CIDP).

Rule: consider - demyelinating-range conduction slowing, or CSF protein >= 1 g/L with LMN involvement or
weakness. likely - demyelinating slowing without any UMN sign."""

from __future__ import annotations

import numpy as np

from alsdx.rules.mimics.common import Cols, Feature, Mimic, any_region, level, lower_motor
from alsdx.rules.mimics.reference_limits import CSF_PROTEIN_MMN_LIMIT_G_PER_L


def motor_cidp(x: Cols) -> dict[str, np.ndarray]:
    slowed = x["ncs_slowed_conduction_demyelinating"]
    motor = any_region(lower_motor(x))
    csf = (x["lab_csf_protein_g_per_l"] >= CSF_PROTEIN_MMN_LIMIT_G_PER_L) & motor
    umn = any_region(x["umn"])
    consider = slowed | csf
    return {
        "level": level(consider, slowed & ~umn),
        "flag_slowed_conduction": slowed,
        "flag_csf_protein_raised": csf,
        "flag_weakness_fluctuating": x["exam_weakness_fluctuating"] & consider,
        "flag_symmetric_proximal_weakness": x["exam_weakness_proximal"] & ~x["exam_weakness_asymmetric"] & consider,
        "against_umn_signs": umn,
    }


MIMIC = Mimic(
    id="motor_cidp",
    name="Motor CIDP",
    kernel=motor_cidp,
    flags={
        "slowed_conduction": Feature(
            "motor conduction slowing in the demyelinating range", ("ncs.slowed_conduction_demyelinating",)
        ),
        "csf_protein_raised": Feature("CSF protein 1 g/L or more", ("labs.csf_protein_g_per_l",)),
        "weakness_fluctuating": Feature("fluctuating or relapsing weakness", ("exam.weakness_fluctuating",)),
        "symmetric_proximal_weakness": Feature(
            "symmetric proximal weakness", ("exam.weakness.proximal", "exam.weakness.asymmetric")
        ),
    },
    against={"umn_signs": Feature("UMN signs", ("exam",))},
    workup=("ncs", "csf"),
    treatable=True,
    source="Turner MR, Talbot K. Pract Neurol 2013;13:153-164; EFNS/PNS MMN guideline, J Peripher Nerv Syst "
    "2010;15:295-301",
)
