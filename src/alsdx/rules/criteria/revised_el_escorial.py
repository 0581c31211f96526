"""Revised El Escorial (Airlie House) criteria kernel.

Source: Brooks BR, Miller RG, Swash M, Munsat TL; WFN Research Group on Motor Neuron Diseases. El Escorial
revisited: revised criteria for the diagnosis of amyotrophic lateral sclerosis. Amyotroph Lateral Scler Other
Motor Neuron Disord 2000;1:293-299 (read via Wijesekera & Leigh, Orphanet J Rare Dis 2009;4:3, Table 1):
clinically definite - clinical UMN and LMN signs in 3 regions; clinically probable - in >= 2 regions with some
UMN signs rostral to the LMN signs; clinically probable laboratory-supported - clinical signs in 1 region or UMN
signs alone in 1 region, and LMN signs by EMG criteria in >= 2 regions (Decision 7); clinically possible - UMN
and LMN signs in 1 region, or UMN signs alone in >= 2 regions, or LMN rostral to UMN; clinically definite
familial laboratory-supported - family history, a pathogenic variant and UMN with LMN in >= 1 region
(Decision 11, takes precedence). EMG counts only through the laboratory-supported categories (Decision 10).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from alsdx.rules.criteria import decisions as d
from alsdx.rules.criteria.el_escorial_1994 import highest
from alsdx.rules.criteria.interpretation import Interpretation, Readings

CATEGORIES = (
    "not_met",
    "possible",
    "probable_laboratory_supported",
    "probable",
    "definite",
    "definite_familial_laboratory_supported",
)


def revised_el_escorial(ev: Mapping[str, np.ndarray], interp: Readings = Interpretation()) -> dict[str, np.ndarray]:
    umn, lmn, emg = (d.region_mask(ev[k]) for k in ("umn", "lmn_clinical", "lmn_emg_reec"))
    prog = d.progression(ev["course"])
    possible = d.possible_clauses(umn, lmn)
    levels = [
        possible["same_region"] | possible["umn_two_regions"] | possible["lmn_rostral"],
        d.probable_laboratory_supported(umn, emg),
        d.probable(umn, lmn, interp.probable_any_region),
        d.definite(umn, lmn, interp.definite_count_reading),
        d.familial_laboratory_supported(ev["family_history_als"], ev["dominant_gene_variant"], umn, lmn, emg),
    ]
    return {
        "category": highest(levels) * prog["allowed"],
        **{f"possible_{k}": v for k, v in possible.items()},
    }
