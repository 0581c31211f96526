"""Supportive features: findings reported beside the criteria as raising or lowering the suspicion of ALS.

Sources: Turner MR, Talbot K. Mimics and chameleons in motor neurone disease. Pract Neurol 2013;13:153-164 -
in a progressive pure motor disorder, florid fasciculations, bilateral tongue wasting with fasciculations, the
split hand, head drop, emotionality and cognitive or behavioural change carry a high positive predictive
value; sensory and sphincter involvement are red flags for a mimic. Seed note (clinician's notes): tongue
fasciculations are uncommon in other disorders and a good clue when present, but hard to be certain of -
"tongue movements that are symmetric are typically not fasciculations"; pseudobulbar affect is relatively
common in ALS. Williams TL. Clin Med 2013;13:97-100 - CK > 1000 IU/L very unusual in MND. Brooks BR, et al.
Amyotroph Lateral Scler 2000;1:293-299 [S] - sensory conduction normal; motor conduction block outside
entrapment sites argues against ALS.

Decision [I]: "florid/generalised fasciculations" is read as clinical fasciculations in >= 3 of the 4 regions.
A supportive feature never changes a criteria category.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from alsdx.columns.codes import TONGUE_PRESENT, TONGUE_SYMMETRIC_ONLY, sign_column
from alsdx.rules.mimics.common import above
from alsdx.rules.mimics.reference_limits import CK_VERY_UNUSUAL_IN_MND_U_PER_L

DIRECTIONS = ("raises", "lowers", "caution")
TURNER = "Turner MR, Talbot K. Pract Neurol 2013;13:153-164"
SEED = "Clinician's seed note (alsdx clinical brief)"


@dataclass(frozen=True)
class SupportiveFeature:
    text: str
    direction: str
    fields: tuple[str, ...]
    source: str


FEATURES: dict[str, SupportiveFeature] = {
    "tongue_fasciculations": SupportiveFeature(
        "tongue fasciculations (uncommon in other disorders)",
        "raises",
        ("exam.tongue_fasciculations",),
        f"{SEED}; {TURNER}",
    ),
    "widespread_fasciculations": SupportiveFeature(
        "fasciculations in three or more regions",
        "raises",
        ("exam.bulbar.lmn", "exam.cervical.lmn", "exam.thoracic.lmn", "exam.lumbosacral.lmn"),
        TURNER,
    ),
    "split_hand": SupportiveFeature(
        "split hand (first dorsal interosseous and thenar wasting sparing hypothenar)",
        "raises",
        ("exam.split_hand",),
        TURNER,
    ),
    "pseudobulbar_affect": SupportiveFeature(
        "pseudobulbar affect (emotionality)", "raises", ("exam.bulbar.umn",), f"{SEED}; {TURNER}"
    ),
    "head_drop": SupportiveFeature("head drop", "raises", ("exam.head_drop",), TURNER),
    "frontotemporal_features": SupportiveFeature(
        "cognitive or behavioural (frontotemporal) change", "raises", ("frontotemporal_dementia",), TURNER
    ),
    "tongue_symmetric_movements_only": SupportiveFeature(
        "tongue movements recorded as symmetric only: symmetric tongue movements are typically not fasciculations",
        "caution",
        ("exam.tongue_fasciculations",),
        SEED,
    ),
    "bulbar_fasciculations_unconfirmed": SupportiveFeature(
        "bulbar fasciculations are counted by the criteria, but the tongue movements are recorded as "
        "symmetric only, and symmetric tongue movements are typically not fasciculations: confirm them",
        "caution",
        ("exam.bulbar.lmn", "exam.tongue_fasciculations"),
        SEED,
    ),
    "tongue_fasciculations_not_in_signs": SupportiveFeature(
        "tongue fasciculations are recorded but not listed among the bulbar LMN signs, which are what the "
        "criteria count",
        "caution",
        ("exam.tongue_fasciculations", "exam.bulbar.lmn"),
        SEED,
    ),
    "objective_sensory_loss": SupportiveFeature("objective sensory loss", "lowers", ("exam.sensory_loss",), TURNER),
    "sphincter_involvement": SupportiveFeature(
        "sphincter involvement", "lowers", ("exam.sphincter_dysfunction",), TURNER
    ),
    "symmetric_proximal_weakness": SupportiveFeature(
        "symmetric proximal weakness (a myopathic pattern)",
        "lowers",
        ("exam.weakness.proximal", "exam.weakness.asymmetric"),
        f"{TURNER}; {SEED}",
    ),
    "ck_over_1000": SupportiveFeature(
        "CK above 1000 IU/L (very unusual in MND)",
        "lowers",
        ("labs.ck_u_per_l",),
        "Williams TL. Clin Med 2013;13:97-100",
    ),
    "motor_conduction_block": SupportiveFeature(
        "motor conduction block outside entrapment sites",
        "lowers",
        ("ncs.motor_conduction_block",),
        "Brooks BR, et al. Amyotroph Lateral Scler 2000;1:293-299 [S]",
    ),
    "sensory_conduction_abnormal": SupportiveFeature(
        "abnormal sensory nerve conduction",
        "lowers",
        ("ncs.sensory_abnormal",),
        "Brooks BR, et al. Amyotroph Lateral Scler 2000;1:293-299 [S]",
    ),
}


def supportive(x: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """One boolean column per supportive feature (keys of FEATURES)."""
    tongue = x["exam_tongue_fasciculations"]
    bulbar_fasc = x[sign_column("bulbar", "lmn", "fasciculations")]
    out = {
        "tongue_fasciculations": tongue == TONGUE_PRESENT,
        "widespread_fasciculations": x["fasciculations"].sum(axis=1) >= 3,
        "split_hand": x["exam_split_hand"],
        "pseudobulbar_affect": x[sign_column("bulbar", "umn", "pseudobulbar_affect")],
        "head_drop": x["exam_head_drop"],
        "frontotemporal_features": x["frontotemporal_dementia"],
        "tongue_symmetric_movements_only": (tongue == TONGUE_SYMMETRIC_ONLY) & ~bulbar_fasc,
        "bulbar_fasciculations_unconfirmed": (tongue == TONGUE_SYMMETRIC_ONLY) & bulbar_fasc,
        "tongue_fasciculations_not_in_signs": (tongue == TONGUE_PRESENT) & ~bulbar_fasc,
        "objective_sensory_loss": x["exam_sensory_loss"],
        "sphincter_involvement": x["exam_sphincter_dysfunction"],
        "symmetric_proximal_weakness": x["exam_weakness_proximal"] & ~x["exam_weakness_asymmetric"],
        "ck_over_1000": above(x["lab_ck_u_per_l"], CK_VERY_UNUSUAL_IN_MND_U_PER_L),
        "motor_conduction_block": x["ncs_motor_conduction_block"],
        "sensory_conduction_abnormal": x["ncs_sensory_abnormal"],
    }
    assert set(out) == set(FEATURES)
    return out
