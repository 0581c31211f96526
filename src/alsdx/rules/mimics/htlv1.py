"""HTLV-1-associated myelopathy (tropical spastic paraparesis).

Sources: Turner MR, Talbot K. Pract Neurol 2013;13:153-164 (HTLV-1 in the PLS/UMN-predominant differential);
docs/ruleset.md §12 [R]: spastic paraparesis with bladder involvement in people from endemic areas; serology in
serum (and CSF).

Rule: consider - UMN signs in the legs in a person from an endemic area, or HTLV-1 positive; a negative
serology leaves origin alone not raised. likely - HTLV-1 positive with UMN signs."""

from __future__ import annotations

import numpy as np

from alsdx.columns.codes import NEGATIVE
from alsdx.rules.mimics.common import LUMBOSACRAL, Cols, Feature, Mimic, any_region, level, positive


def htlv1(x: Cols) -> dict[str, np.ndarray]:
    legs = x["umn"][:, LUMBOSACRAL]
    endemic, pos = x["history_endemic_htlv1_origin"], positive(x["lab_htlv1"])
    negative = x["lab_htlv1"] == NEGATIVE
    consider = (endemic & legs & ~negative) | pos
    likely = pos & any_region(x["umn"])
    return {
        "level": level(consider, likely),
        "flag_htlv1_positive": pos,
        "flag_endemic_origin_with_spastic_legs": endemic & legs & consider,
        "flag_sphincter_dysfunction": x["exam_sphincter_dysfunction"] & legs & consider,
        "against_htlv1_negative": negative,
    }


MIMIC = Mimic(
    id="htlv1",
    name="HTLV-1-associated myelopathy",
    kernel=htlv1,
    flags={
        "htlv1_positive": Feature("HTLV-1 serology positive", ("labs.htlv1",)),
        "endemic_origin_with_spastic_legs": Feature(
            "UMN signs in the legs in a person from an HTLV-1 endemic area",
            ("history.endemic_htlv1_origin", "exam.lumbosacral.umn"),
        ),
        "sphincter_dysfunction": Feature("bladder/sphincter involvement", ("exam.sphincter_dysfunction",)),
    },
    against={"htlv1_negative": Feature("HTLV-1 serology negative", ("labs.htlv1",))},
    workup=("htlv1_serology",),
    treatable=False,
    source="Turner MR, Talbot K. Pract Neurol 2013;13:153-164; docs/ruleset.md §12 [R]",
)
