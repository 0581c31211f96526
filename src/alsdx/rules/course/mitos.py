"""MiToS functional stage from ALSFRS-R items.

Source: Chiò A, Hammond ER, Mora G, Bonito V, Filippini G. Development and evaluation of a clinical
staging system for amyotrophic lateral sclerosis. J Neurol Neurosurg Psychiatry 2015;86:38-44, Table 1.
A domain is lost (score 1) when:

- movement (walking/self-care): item 8 (walking) <= 1 OR item 6 (dressing and hygiene) <= 1
- swallowing:                   item 3 (swallowing) <= 1
- communicating:                item 1 (speech) <= 1 AND item 4 (handwriting) <= 1
  (Table 1 says AND; some public code uses OR, which contradicts the table)
- breathing:                    item 10 (dyspnea) <= 1 OR item 12 (respiratory insufficiency) <= 2

Stage 0 = functional involvement without a lost domain; stages 1-4 = number of domains lost; stage 5
(death) is not derived from the scale. An unanswered item (NaN, prorating option only) counts as not
lost, so the stage is then a lower bound (``mitos_lower_bound``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import numpy as np

from alsdx.rules.course.alsfrs_r import item_column

SOURCE: Final = "Chiò A, et al. J Neurol Neurosurg Psychiatry 2015;86:38-44, Table 1 (MiToS)"
DOMAINS: Final = ("movement", "swallowing", "communicating", "breathing")
ITEMS_READ: Final = (
    "speech",
    "swallowing",
    "handwriting",
    "dressing_hygiene",
    "walking",
    "dyspnea",
    "respiratory_insufficiency",
)


def mitos(cols: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Reads ``alsfrs_<item>``; returns ``mitos_stage`` (0-4) and one boolean per lost domain."""

    def item(name: str) -> np.ndarray:
        return np.asarray(cols[item_column(name)], dtype=float)

    lost = {
        "movement": (item("walking") <= 1) | (item("dressing_hygiene") <= 1),
        "swallowing": item("swallowing") <= 1,
        "communicating": (item("speech") <= 1) & (item("handwriting") <= 1),
        "breathing": (item("dyspnea") <= 1) | (item("respiratory_insufficiency") <= 2),
    }
    stage = np.sum([lost[d].astype(np.int64) for d in DOMAINS], axis=0)
    missing = np.stack([~np.isfinite(item(n)) for n in ITEMS_READ], axis=1).any(axis=1)
    return {
        "mitos_stage": stage,
        **{f"mitos_{d}_lost": lost[d] for d in DOMAINS},
        "mitos_lower_bound": missing,
    }
