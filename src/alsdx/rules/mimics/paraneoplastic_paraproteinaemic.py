"""Paraneoplastic and paraproteinaemic motor syndromes.

Sources: Turner MR, Talbot K. Pract Neurol 2013;13:153-164 (paraneoplastic syndromes: subacute, rapid;
lymphoma, anti-Hu, breast cancer; paraproteinaemic neuropathy); Williams TL. Clin Med 2013;13:97-100, Table 1
(immunoglobulins and serum electrophoresis among the selected tests).

Rule: consider - motor signs with a known malignancy or subacute onset, a paraprotein, or onconeural
antibodies. likely - onconeural antibodies with motor signs."""

from __future__ import annotations

import numpy as np

from alsdx.rules.mimics.common import Cols, Feature, Mimic, any_region, level, lower_motor, positive


def paraneoplastic_paraproteinaemic(x: Cols) -> dict[str, np.ndarray]:
    motor = any_region(x["umn"] | lower_motor(x))
    cancer, subacute = x["history_known_malignancy"], x["history_subacute_onset"]
    para, onco = positive(x["lab_paraprotein"]), positive(x["lab_onconeural_antibodies"])
    consider = (motor & (cancer | subacute)) | para | onco
    likely = onco & motor
    return {
        "level": level(consider, likely),
        "flag_known_malignancy": cancer & consider,
        "flag_subacute_onset": subacute & consider,
        "flag_paraprotein": para,
        "flag_onconeural_antibodies": onco,
    }


MIMIC = Mimic(
    id="paraneoplastic_paraproteinaemic",
    name="Paraneoplastic or paraproteinaemic motor syndrome",
    kernel=paraneoplastic_paraproteinaemic,
    flags={
        "known_malignancy": Feature("known malignancy", ("history.known_malignancy",)),
        "subacute_onset": Feature("subacute onset", ("history.subacute_onset",)),
        "paraprotein": Feature("serum paraprotein", ("labs.paraprotein",)),
        "onconeural_antibodies": Feature("onconeural antibodies positive", ("labs.onconeural_antibodies",)),
    },
    against={},
    workup=("serum_protein_electrophoresis", "onconeural_antibodies", "malignancy_screen", "csf"),
    treatable=True,
    source="Turner MR, Talbot K. Pract Neurol 2013;13:153-164; Williams TL. Clin Med 2013;13:97-100",
)
