"""Diagnostic criteria kernels: El Escorial 1994, revised El Escorial 2000, Awaji 2008, Gold Coast 2020."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from alsdx.rules.criteria import awaji as _awaji
from alsdx.rules.criteria import decisions as d
from alsdx.rules.criteria import el_escorial_1994 as _ee94
from alsdx.rules.criteria import gold_coast as _gc
from alsdx.rules.criteria import revised_el_escorial as _reec
from alsdx.rules.criteria.interpretation import Interpretation, Readings

CRITERIA_SETS = ("el_escorial_1994", "revised_el_escorial", "awaji", "gold_coast")
CATEGORIES: dict[str, tuple[str, ...]] = {
    "el_escorial_1994": _ee94.CATEGORIES,
    "revised_el_escorial": _reec.CATEGORIES,
    "awaji": _awaji.CATEGORIES,
    "gold_coast": _gc.CATEGORIES,
}


def criteria_from_evidence(
    ev: Mapping[str, np.ndarray], interp: Readings = Interpretation()
) -> dict[str, dict[str, np.ndarray]]:
    """Every criteria set over region evidence (the second stage; counterfactuals re-enter here)."""
    if np.any(interp.weakness_counts_as_lmn):  # Decision 3 alternative reading, per row
        weak = np.asarray(interp.weakness_counts_as_lmn)
        ev = {**ev, "lmn_clinical": np.where(weak.reshape(-1, 1), ev["lmn_clinical_with_weakness"], ev["lmn_clinical"])}
    prog = d.progression(ev["course"])
    shared = {
        "progression_not_documented": prog["not_documented"],
        "progression_absent": ~prog["allowed"],
        "exclusion_pending": d.exclusion_pending(ev["other_causes_excluded"], ev["workup_outstanding"]),
    }
    return {
        "el_escorial_1994": {**_ee94.el_escorial_1994(ev, interp), **shared},
        "revised_el_escorial": {**_reec.revised_el_escorial(ev, interp), **shared},
        "awaji": {**_awaji.awaji(ev, interp), **shared},
        "gold_coast": {**_gc.gold_coast(ev), **shared},
    }
