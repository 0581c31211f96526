"""Myasthenia gravis.

Sources: Turner MR, Talbot K. Pract Neurol 2013;13:153-164, Table 2 (fatigable, fluctuating weakness; ptosis
and diplopia; bulbar presentations; normal reflexes, no wasting early); Williams TL. Clin Med 2013;13:97-100
(anti-AChR among the selected tests). Clinical-spec §12 [S]: a mild RNS decrement occurs in more than half of
ALS patients, so a decrement alone does not raise myasthenia.

Rule: consider - fatigable or fluctuating weakness, ptosis/diplopia, or AChR/MuSK antibodies. likely - AChR or
MuSK antibodies positive, or an RNS decrement with fatigable weakness or ptosis/diplopia."""

from __future__ import annotations

import numpy as np

from alsdx.rules.mimics.common import Cols, Feature, Mimic, any_region, level, positive


def myasthenia_gravis(x: Cols) -> dict[str, np.ndarray]:
    fatigable, ocular, fluctuating = (
        x["exam_fatigable_weakness"],
        x["exam_ptosis_or_diplopia"],
        x["exam_weakness_fluctuating"],
    )
    achr, musk = positive(x["lab_achr_antibodies"]), positive(x["lab_musk_antibodies"])
    rns = positive(x["ncs_rns_decrement"])
    consider = fatigable | ocular | fluctuating | achr | musk
    likely = achr | musk | (rns & (fatigable | ocular))
    return {
        "level": level(consider, likely),
        "flag_fatigable_weakness": fatigable,
        "flag_ptosis_or_diplopia": ocular,
        "flag_weakness_fluctuating": fluctuating,
        "flag_achr_antibodies": achr,
        "flag_musk_antibodies": musk,
        "flag_rns_decrement": rns & consider,
        "against_atrophy": any_region(x["atrophy"]),
        "against_umn_signs": any_region(x["umn"]),
    }


MIMIC = Mimic(
    id="myasthenia_gravis",
    name="Myasthenia gravis",
    kernel=myasthenia_gravis,
    flags={
        "fatigable_weakness": Feature("fatigable weakness", ("exam.fatigable_weakness",)),
        "ptosis_or_diplopia": Feature("ptosis or diplopia", ("exam.ptosis_or_diplopia",)),
        "weakness_fluctuating": Feature("fluctuating weakness", ("exam.weakness_fluctuating",)),
        "achr_antibodies": Feature("acetylcholine-receptor antibodies positive", ("labs.achr_antibodies",)),
        "musk_antibodies": Feature("MuSK antibodies positive", ("labs.musk_antibodies",)),
        "rns_decrement": Feature(
            "decrement on repetitive nerve stimulation (also seen in ALS)", ("ncs.rns_decrement",)
        ),
    },
    against={
        "atrophy": Feature("muscle wasting (not an early feature of myasthenia)", ("exam",)),
        "umn_signs": Feature("UMN signs", ("exam",)),
    },
    workup=("achr_musk_antibodies", "rns"),
    treatable=True,
    source="Turner MR, Talbot K. Pract Neurol 2013;13:153-164; Williams TL. Clin Med 2013;13:97-100",
)
