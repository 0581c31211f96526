"""King's clinical stage estimated from ALSFRS-R items.

Sources: Roche JC, Rojas-Garcia R, Scott KM, et al. A proposed staging system for amyotrophic lateral
sclerosis. Brain 2012;135:847-852 (stages 1-3 = number of regions with functional involvement, 4A =
gastrostomy needed, 4B = NIV needed). Balendra R, Jones A, Jivraj N, et al. Estimating clinical stage of
amyotrophic lateral sclerosis from the ALS Functional Rating Scale. Amyotroph Lateral Scler Frontotemporal
Degener 2014;15:279-284 (mapping, as in docs/ruleset.md §8):

- bulbar region involved  <=> any of items 1-3 (speech, salivation, swallowing) < 4
- upper limb involved     <=> item 4 (handwriting) < 4 or item 5 (cutting food) < 4
- lower limb involved     <=> item 8 (walking) < 4
- stage 1-3 = number of involved regions
- 4A <=> gastrostomy (item 5 scored on 5b); 4B <=> item 10 (dyspnea) = 0 or item 12 (respiratory
  insufficiency) < 4; 4A and 4B can coexist (label "4A+4B", docs/ruleset.md Decision 18).

Decision 18: a symptomatic patient with no Balendra region item abnormal is stage "1" (flagged
``kings_no_region_item_abnormal``). Stage 2A (diagnosis) and 5 (death) cannot be derived from the scale.
An unanswered item (NaN, only under the prorating option) counts as not abnormal, so the stage is then a
lower bound (``kings_lower_bound``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import numpy as np

from alsdx.rules.course.alsfrs_r import item_column

SOURCE: Final = (
    "Balendra R, et al. Amyotroph Lateral Scler Frontotemporal Degener 2014;15:279-284 "
    "(King's staging, Roche JC, et al. Brain 2012;135:847-852)"
)
LABELS: Final = ("1", "2", "3", "4A", "4B", "4A+4B")
"""``kings_stage`` codes index this tuple."""

ITEMS_READ: Final = (
    "speech",
    "salivation",
    "swallowing",
    "handwriting",
    "cutting_food",
    "walking",
    "dyspnea",
    "respiratory_insufficiency",
)


def kings(cols: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Reads ``alsfrs_<item>`` and ``alsfrs_gastrostomy``; returns the stage code and its parts."""

    def item(name: str) -> np.ndarray:
        return np.asarray(cols[item_column(name)], dtype=float)

    bulbar = (item("speech") < 4) | (item("salivation") < 4) | (item("swallowing") < 4)
    upper = (item("handwriting") < 4) | (item("cutting_food") < 4)
    lower = item("walking") < 4
    regions = bulbar.astype(np.int64) + upper + lower
    stage_4a = np.asarray(cols["alsfrs_gastrostomy"], dtype=bool)
    stage_4b = (item("dyspnea") == 0) | (item("respiratory_insufficiency") < 4)
    stage_number = np.where(stage_4a | stage_4b, 4, np.maximum(regions, 1))
    code = np.where(stage_4a & stage_4b, 5, np.where(stage_4b, 4, np.where(stage_4a, 3, np.maximum(regions, 1) - 1)))
    missing = np.stack([~np.isfinite(item(n)) for n in ITEMS_READ], axis=1).any(axis=1)
    return {
        "kings_stage": code,
        "kings_stage_number": stage_number,
        "kings_4a": stage_4a,
        "kings_4b": stage_4b,
        "kings_bulbar": bulbar,
        "kings_upper_limb": upper,
        "kings_lower_limb": lower,
        "kings_regions": regions,
        "kings_no_region_item_abnormal": regions == 0,
        "kings_lower_bound": missing,
    }
