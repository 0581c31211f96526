"""The differential stage: PLS criteria, mimics, supportive features, work-up status and exclusion, as column
kernels.

Reads the case columns and the region evidence (rules/criteria/regions.py) of a batch and returns plain
arrays, so the engine, the criteria kernels (exclusion_pending, Decision 14) and the cohort runner share one
computation.

Exclusion (Decision 14 as alsdx implements it): a work-up item is *required* when it is on Williams 2013's
essential list, or when a raised mimic (consider or likely) calls for it; EFNS 2012's additional routine items
are listed but not required. An item is *outstanding* when required and nothing is recorded for it. The
exclusion is *complete* when the clinician records other_causes_excluded AND nothing is outstanding; every
criteria result carries exclusion_pending when it is not complete. Abnormal results do not block completion by
themselves: the clinician's other_causes_excluded records their judgement of them, and the raised mimics stay
beside the category."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from alsdx.rules.criteria.pls import pls
from alsdx.rules.mimics import MIMICS
from alsdx.rules.mimics.common import shared_inputs
from alsdx.rules.mimics.supportive import supportive
from alsdx.rules.mimics.workup import ITEMS, S_NOT_DONE, workup_status


@dataclass(frozen=True)
class Differential:
    pls: dict[str, np.ndarray]
    mimics: dict[str, dict[str, np.ndarray]]
    supportive: dict[str, np.ndarray]
    workup_status: dict[str, np.ndarray]
    exclusion: dict[str, np.ndarray]


def differential(cols: Mapping[str, np.ndarray], ev: Mapping[str, np.ndarray]) -> Differential:
    x: dict[str, np.ndarray] = {**cols, **ev}
    p = pls(x)
    x.update({f"pls_{k}": v for k, v in p.items()})
    x.update(shared_inputs(x))
    mimics = {m.id: m.kernel(x) for m in MIMICS}
    status = workup_status(x)
    return Differential(
        pls=p,
        mimics=mimics,
        supportive=supportive(x),
        workup_status=status,
        exclusion=exclusion(x["other_causes_excluded"], status, {k: r["level"] for k, r in mimics.items()}),
    )


_CALLERS: dict[str, tuple[str, ...]] = {item.id: tuple(m.id for m in MIMICS if item.id in m.workup) for item in ITEMS}
"""Work-up item id -> the mimics that call for it when raised."""


def exclusion(
    other_causes_excluded: np.ndarray, status: Mapping[str, np.ndarray], levels: Mapping[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """required_<item>, outstanding_<item> per work-up item; ``outstanding`` (any), ``complete``."""
    n = other_causes_excluded.shape[0]
    out: dict[str, np.ndarray] = {}
    any_outstanding = np.zeros(n, dtype=bool)
    raised = {m.id: levels[m.id] > 0 for m in MIMICS}
    for item in ITEMS:
        callers = _CALLERS[item.id]
        if item.tier == "essential":
            required = np.ones(n, dtype=bool)
        elif callers:
            required = np.logical_or.reduce([raised[m] for m in callers])
        else:
            required = np.zeros(n, dtype=bool)
        outstanding = required & (status[item.id] == S_NOT_DONE)
        out[f"required_{item.id}"] = required
        out[f"outstanding_{item.id}"] = outstanding
        any_outstanding |= outstanding
    out["outstanding"] = any_outstanding
    out["complete"] = other_causes_excluded & ~any_outstanding
    return out
