"""Thyroid and parathyroid disease (hyperthyroidism, hypothyroid myopathy, hyperparathyroidism).

Sources: Williams TL. Clin Med 2013;13:97-100, Table 1 (thyroid function and calcium are essential tests in
suspected MND); Turner MR, Talbot K. Pract Neurol 2013;13:153-164; docs/ruleset.md §12 [R]: hyperthyroidism -
weight loss, tremor, hyperreflexia; hyperparathyroidism - hypercalcaemia. Limits:
rules/mimics/reference_limits.py.

Rule: likely - TSH below the lower limit (hyperthyroidism) or adjusted calcium above the upper limit
(hyperparathyroidism); consider - TSH above the upper limit (hypothyroid myopathy).
"""

from __future__ import annotations

import numpy as np

from alsdx.rules.mimics.common import Cols, Feature, Mimic, above, below, level
from alsdx.rules.mimics.reference_limits import (
    CALCIUM_ADJUSTED_UPPER_MMOL_PER_L,
    TSH_LOWER_MU_PER_L,
    TSH_UPPER_MU_PER_L,
)


def thyroid_parathyroid(x: Cols) -> dict[str, np.ndarray]:
    tsh_low = below(x["lab_tsh_mu_per_l"], TSH_LOWER_MU_PER_L)
    tsh_high = above(x["lab_tsh_mu_per_l"], TSH_UPPER_MU_PER_L)
    calcium_high = above(x["lab_calcium_mmol_per_l"], CALCIUM_ADJUSTED_UPPER_MMOL_PER_L)
    likely = tsh_low | calcium_high
    consider = likely | tsh_high
    return {
        "level": level(consider, likely),
        "flag_tsh_low": tsh_low,
        "flag_tsh_high": tsh_high,
        "flag_calcium_high": calcium_high,
        "flag_tremor": x["exam_tremor"] & consider,
    }


MIMIC = Mimic(
    id="thyroid_parathyroid",
    name="Thyroid or parathyroid disease",
    kernel=thyroid_parathyroid,
    flags={
        "tsh_low": Feature(f"TSH below {TSH_LOWER_MU_PER_L} mU/L (hyperthyroidism)", ("labs.tsh_mu_per_l",)),
        "tsh_high": Feature(f"TSH above {TSH_UPPER_MU_PER_L} mU/L (hypothyroid myopathy)", ("labs.tsh_mu_per_l",)),
        "calcium_high": Feature(
            f"adjusted calcium above {CALCIUM_ADJUSTED_UPPER_MMOL_PER_L} mmol/L (hyperparathyroidism)",
            ("labs.calcium_mmol_per_l",),
        ),
        "tremor": Feature("tremor", ("exam.tremor",)),
    },
    against={},
    workup=("thyroid_function", "calcium"),
    treatable=True,
    source=("Williams TL. Clin Med 2013;13:97-100 (Table 1); Turner MR, Talbot K. Pract Neurol 2013;13:153-164"),
    notes=("Limits are defaults (rules/mimics/reference_limits.py); check the local reference range.",),
)
