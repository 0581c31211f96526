"""Awaji-shima criteria kernel.

Source: de Carvalho M, Dengler R, Eisen A, et al. Electrodiagnostic criteria for diagnosis of ALS. Clin
Neurophysiol 2008;119:497-503: EMG evidence of chronic neurogenic change is equivalent to clinical LMN
information, fasciculation potentials are equivalent to fibrillations/PSW in muscles with chronic neurogenic
change, and the probable laboratory-supported category is removed. Categories as in El Escorial with
LMN(r) = clinical LMN(r) OR EMG_Awaji(r) (Decision 10): definite, probable, possible.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from alsdx.rules.criteria import decisions as d
from alsdx.rules.criteria.el_escorial_1994 import highest
from alsdx.rules.criteria.interpretation import Interpretation, Readings

CATEGORIES = ("not_met", "possible", "probable", "definite")


def awaji(ev: Mapping[str, np.ndarray], interp: Readings = Interpretation()) -> dict[str, np.ndarray]:
    umn = d.region_mask(ev["umn"])
    lmn = d.region_mask(ev["lmn_clinical"]) | d.region_mask(ev["lmn_emg_awaji"])
    prog = d.progression(ev["course"])
    possible = d.possible_clauses(umn, lmn)
    levels = [
        possible["same_region"] | possible["umn_two_regions"] | possible["lmn_rostral"],
        d.probable(umn, lmn, interp.probable_any_region),
        d.definite(umn, lmn, interp.definite_count_reading),
    ]
    return {
        "category": highest(levels) * prog["allowed"],
        "lmn": ev["lmn_clinical"] | ev["lmn_emg_awaji"],
        **{f"possible_{k}": v for k, v in possible.items()},
    }
