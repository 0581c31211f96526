"""Hereditary spastic paraplegia (HSP).

Sources: Turner MR, Talbot K. Pract Neurol 2013;13:153-164 (HSP in the differential of PLS: younger onset,
legs, family history); Turner MR, et al. J Neurol Neurosurg Psychiatry 2020;91:373-377 (exclude HSP before
PLS).

Rule: consider - UMN signs confined to the legs with no LMN involvement, or a family history of spastic
paraplegia with UMN signs. likely - UMN signs confined to the legs with that family history."""

from __future__ import annotations

import numpy as np

from alsdx.rules.mimics.common import (
    BULBAR,
    CERVICAL,
    LUMBOSACRAL,
    THORACIC,
    Cols,
    Feature,
    Mimic,
    any_of,
    any_region,
    level,
    lmn,
)


def hsp(x: Cols) -> dict[str, np.ndarray]:
    umn = x["umn"]
    legs_only = umn[:, LUMBOSACRAL] & ~any_of(umn, BULBAR, CERVICAL, THORACIC) & ~any_region(lmn(x))
    family = x["history_family_history_spastic_paraplegia"]
    consider = legs_only | (family & any_region(umn))
    return {
        "level": level(consider, legs_only & family),
        "flag_umn_legs_only": legs_only,
        "flag_family_history": family & consider,
    }


MIMIC = Mimic(
    id="hsp",
    name="Hereditary spastic paraplegia",
    kernel=hsp,
    flags={
        "umn_legs_only": Feature(
            "UMN signs confined to the legs without LMN involvement",
            ("exam.lumbosacral.umn", "exam.bulbar.umn", "exam.cervical.umn", "exam.thoracic.umn", "emg"),
        ),
        "family_history": Feature(
            "family history of spastic paraplegia", ("history.family_history_spastic_paraplegia",)
        ),
    },
    against={},
    workup=("hsp_gene_panel", "b12_folate", "copper", "htlv1_serology", "vlcfa", "cervical_spine_mri"),
    treatable=False,
    source=(
        "Turner MR, Talbot K. Pract Neurol 2013;13:153-164; Turner MR, et al. J Neurol Neurosurg Psychiatry "
        "2020;91:373-377"
    ),
)
