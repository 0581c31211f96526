"""HIV-associated ALS-like syndrome.

Sources: Turner MR, Talbot K. Pract Neurol 2013;13:153-164 (HIV as a rare, potentially treatable mimic;
younger, rapidly progressive); Williams TL. Clin Med 2013;13:97-100, Table 1 (HIV serology among the selected
tests).

Rule: raised only by serology: consider - HIV positive; likely - HIV positive with motor signs.
"""

from __future__ import annotations

import numpy as np

from alsdx.rules.mimics.common import Cols, Feature, Mimic, any_region, level, lower_motor, positive


def hiv(x: Cols) -> dict[str, np.ndarray]:
    motor = any_region(x["umn"] | lower_motor(x))
    pos = positive(x["lab_hiv"])
    return {"level": level(pos, pos & motor), "flag_hiv_positive": pos}


MIMIC = Mimic(
    id="hiv",
    name="HIV-associated motor neuron syndrome",
    kernel=hiv,
    flags={"hiv_positive": Feature("HIV serology positive", ("labs.hiv",))},
    against={},
    workup=("hiv_serology",),
    treatable=True,
    source="Turner MR, Talbot K. Pract Neurol 2013;13:153-164; Williams TL. Clin Med 2013;13:97-100",
    notes=("ALS-like syndromes with HIV may respond to antiretroviral therapy.",),
)
