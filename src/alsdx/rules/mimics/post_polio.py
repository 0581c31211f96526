"""Post-polio syndrome (progressive post-poliomyelitis muscular atrophy).

Sources: Turner MR, Talbot K. Pract Neurol 2013;13:153-164; docs/ruleset.md §12 [R]: prior paralytic
poliomyelitis, new weakness decades later, no UMN signs; history and EMG.

Rule: consider - prior paralytic polio with LMN involvement or weakness. likely - the same without any UMN
sign."""

from __future__ import annotations

import numpy as np

from alsdx.rules.mimics.common import Cols, Feature, Mimic, any_region, level, lower_motor


def post_polio(x: Cols) -> dict[str, np.ndarray]:
    polio = x["history_prior_paralytic_polio"]
    umn = any_region(x["umn"])
    consider = polio & any_region(lower_motor(x))
    return {
        "level": level(consider, consider & ~umn),
        "flag_prior_paralytic_polio": polio & consider,
        "against_umn_signs": umn,
    }


MIMIC = Mimic(
    id="post_polio",
    name="Post-polio syndrome",
    kernel=post_polio,
    flags={"prior_paralytic_polio": Feature("prior paralytic poliomyelitis", ("history.prior_paralytic_polio",))},
    against={"umn_signs": Feature("UMN signs (not a feature of post-polio syndrome)", ("exam",))},
    workup=("emg",),
    treatable=False,
    source="Turner MR, Talbot K. Pract Neurol 2013;13:153-164; docs/ruleset.md §12 [R]",
)
