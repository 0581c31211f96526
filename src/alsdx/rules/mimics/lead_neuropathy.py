"""Lead neuropathy.

Sources: Turner MR, Talbot K. Pract Neurol 2013;13:153-164 (toxic motor neuropathy as a mimic);
docs/ruleset.md §12 [R]: motor neuropathy (wrist drop), anaemia, exposure history; blood lead and urine heavy metals. The case
records the blood lead as 'raised' or 'normal' against the laboratory's own action level (no single published
cut-off is used).

Rule: consider - lead exposure with LMN involvement or weakness, or a raised blood lead; a normal blood lead
leaves exposure alone not raised. likely - a raised blood lead with LMN involvement or weakness."""

from __future__ import annotations

import numpy as np

from alsdx.columns.codes import NEGATIVE
from alsdx.rules.mimics.common import Cols, Feature, Mimic, any_region, level, lower_motor, positive


def lead_neuropathy(x: Cols) -> dict[str, np.ndarray]:
    motor = any_region(lower_motor(x))
    exposure, raised = x["history_lead_exposure"], positive(x["lab_blood_lead"])
    normal = x["lab_blood_lead"] == NEGATIVE
    consider = ((exposure & motor) & ~normal) | raised
    likely = raised & motor
    return {
        "level": level(consider, likely),
        "flag_lead_exposure": exposure & consider,
        "flag_blood_lead_raised": raised,
        "against_blood_lead_normal": normal,
    }


MIMIC = Mimic(
    id="lead_neuropathy",
    name="Lead neuropathy",
    kernel=lead_neuropathy,
    flags={
        "lead_exposure": Feature("occupational or environmental lead exposure", ("history.lead_exposure",)),
        "blood_lead_raised": Feature("raised blood lead", ("labs.blood_lead",)),
    },
    against={"blood_lead_normal": Feature("normal blood lead", ("labs.blood_lead",))},
    workup=("blood_lead", "ncs"),
    treatable=True,
    source="Turner MR, Talbot K. Pract Neurol 2013;13:153-164; docs/ruleset.md §12 [R]",
)
