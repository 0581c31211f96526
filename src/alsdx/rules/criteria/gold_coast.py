"""Gold Coast criteria kernel.

Source: Shefner JM, Al-Chalabi A, Baker MR, et al. A proposal for new diagnostic criteria for ALS. Clin
Neurophysiol 2020;131:1975-1978 (read via Turner MR, Pract Neurol 2022, Box 1): progressive motor impairment
preceded by normal motor function; AND UMN and LMN dysfunction in at least one body region, or LMN dysfunction
in at least two body regions; AND investigations excluding other disease processes. Dichotomous: met / not met.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from alsdx.rules.criteria import decisions as d

CATEGORIES = ("not_met", "met")


def gold_coast(ev: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    prog = d.progression(ev["course"])
    umn, lmn = d.region_mask(ev["umn_gold_coast"]), d.region_mask(ev["lmn_gold_coast"])
    parts = d.gold_coast(umn, lmn, ev["normal_motor_function_before_onset"])
    return {
        "category": (parts["met"] & prog["allowed"]).astype(np.int8),
        "umn_and_lmn": parts["umn_and_lmn"],
        "lmn_two_regions": parts["lmn_two_regions"],
    }
