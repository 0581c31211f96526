"""Hexosaminidase A deficiency (late-onset Tay-Sachs / GM2 gangliosidosis).

Source: Turner MR, Talbot K. Pract Neurol 2013;13:153-164 (Table 2, rare mimics); features as summarised in
docs/ruleset.md §12 [R: recollection, to be checked against the primary text]: younger patients, Ashkenazi
Jewish ancestry, LMN with or without UMN signs, cerebellar ataxia, psychiatric features; HexA enzyme activity
and HEXA genotyping confirm.

Rule: consider - motor signs with Ashkenazi ancestry or ataxia. likely - low HexA activity or a (likely)
pathogenic HEXA variant. A normal HexA activity with no HEXA variant leaves the mimic not raised."""

from __future__ import annotations

import numpy as np

from alsdx.columns.codes import NEGATIVE, variant_column
from alsdx.rules.mimics.common import Cols, Feature, Mimic, any_region, level, lower_motor, positive


def hexosaminidase_a_deficiency(x: Cols) -> dict[str, np.ndarray]:
    motor = any_region(x["umn"] | lower_motor(x))
    ashkenazi, ataxia = x["history_ashkenazi_ancestry"], x["exam_ataxia"]
    low, variant = positive(x["lab_hexa_activity"]), x[variant_column("HEXA")]
    normal = (x["lab_hexa_activity"] == NEGATIVE) & ~variant
    likely = low | variant
    consider = (likely | (motor & (ashkenazi | ataxia))) & ~normal
    return {
        "level": level(consider, likely),
        "flag_hexa_activity_low": low,
        "flag_hexa_variant": variant,
        "flag_ashkenazi_ancestry": ashkenazi & consider,
        "flag_ataxia": ataxia & consider,
        "against_hexa_activity_normal": normal,
    }


MIMIC = Mimic(
    id="hexosaminidase_a_deficiency",
    name="Hexosaminidase A deficiency (late-onset GM2 gangliosidosis)",
    kernel=hexosaminidase_a_deficiency,
    flags={
        "hexa_activity_low": Feature("low hexosaminidase A activity", ("labs.hexa_activity",)),
        "hexa_variant": Feature("pathogenic or likely pathogenic HEXA variant", ("genetics.variants",)),
        "ashkenazi_ancestry": Feature("Ashkenazi Jewish ancestry", ("history.ashkenazi_ancestry",)),
        "ataxia": Feature("cerebellar ataxia", ("exam.ataxia",)),
    },
    against={
        "hexa_activity_normal": Feature("normal hexosaminidase A activity", ("labs.hexa_activity",)),
    },
    workup=("hexa",),
    treatable=False,
    source="Turner MR, Talbot K. Pract Neurol 2013;13:153-164; docs/ruleset.md §12 [R]",
)
