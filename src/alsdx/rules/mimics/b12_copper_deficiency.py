"""Vitamin B12 or copper deficiency (subacute combined degeneration, copper-deficiency myeloneuropathy).

Sources: Turner MR, Talbot K. Pract Neurol 2013;13:153-164 (UMN signs with dorsal-column sensory loss); Jaiser
SR, Winston GP. Copper deficiency myelopathy. J Neurol 2010;257:869-881 (mimics B12 deficiency; risk factors
previous upper gastrointestinal surgery, zinc overload, malabsorption; low serum copper and caeruloplasmin
confirm); Devalia V, et al. Br J Haematol 2014;166:496-513 (cobalamin cut-off). Limits:
rules/mimics/reference_limits.py.

Rule: consider - UMN signs with dorsal-column sensory loss, gastric surgery or zinc excess with motor signs,
or a low B12 or copper. likely - a low B12 or copper with UMN signs or dorsal-column sensory loss."""

from __future__ import annotations

import numpy as np

from alsdx.rules.mimics.common import Cols, Feature, Mimic, any_region, below, level, lower_motor
from alsdx.rules.mimics.reference_limits import B12_DEFICIENT_BELOW_PMOL_PER_L, COPPER_LOWER_UMOL_PER_L


def b12_copper_deficiency(x: Cols) -> dict[str, np.ndarray]:
    umn = any_region(x["umn"])
    motor = umn | any_region(lower_motor(x))
    dorsal, risk = x["exam_dorsal_column_sensory_loss"], x["history_gastric_surgery_or_zinc_excess"]
    b12 = below(x["lab_b12_pmol_per_l"], B12_DEFICIENT_BELOW_PMOL_PER_L)
    copper = below(x["lab_copper_umol_per_l"], COPPER_LOWER_UMOL_PER_L)
    consider = (dorsal & umn) | (risk & motor) | b12 | copper
    likely = (b12 | copper) & (umn | dorsal)
    return {
        "level": level(consider, likely),
        "flag_b12_low": b12,
        "flag_copper_low": copper,
        "flag_umn_with_dorsal_column_loss": dorsal & umn,
        "flag_gastric_surgery_or_zinc_excess": risk & consider,
    }


MIMIC = Mimic(
    id="b12_copper_deficiency",
    name="Vitamin B12 or copper deficiency myelopathy",
    kernel=b12_copper_deficiency,
    flags={
        "b12_low": Feature(f"vitamin B12 below {B12_DEFICIENT_BELOW_PMOL_PER_L:g} pmol/L", ("labs.b12_pmol_per_l",)),
        "copper_low": Feature(f"serum copper below {COPPER_LOWER_UMOL_PER_L:g} umol/L", ("labs.copper_umol_per_l",)),
        "umn_with_dorsal_column_loss": Feature(
            "UMN signs with dorsal-column sensory loss", ("exam.dorsal_column_sensory_loss", "exam")
        ),
        "gastric_surgery_or_zinc_excess": Feature(
            "previous gastric surgery or zinc excess", ("history.gastric_surgery_or_zinc_excess",)
        ),
    },
    against={},
    workup=("b12_folate", "copper", "cervical_spine_mri"),
    treatable=True,
    source=(
        "Turner MR, Talbot K. Pract Neurol 2013;13:153-164; Jaiser SR, Winston GP. J Neurol "
        "2010;257:869-881; Devalia V, et al. Br J Haematol 2014;166:496-513"
    ),
)
