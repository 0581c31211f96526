"""Region evidence of one patient -> ``regions.<region>`` (evidence kinds, the signs and EMG muscles behind them)."""

from __future__ import annotations

import numpy as np

from alsdx.engine.results import RegionFindings
from alsdx.model.case import Case
from alsdx.model.vocab import REGIONS, SIGN_LABELS


def region_findings(
    case: Case, ev: dict[str, np.ndarray], shown_lmn: np.ndarray, muscles: tuple[np.ndarray, np.ndarray]
) -> dict[str, RegionFindings]:
    """``regions.<region>`` of one patient; ``shown_lmn``: the clinical-LMN evidence of the chosen reading
    (``KernelOutputs.shown_lmn_clinical``)."""
    reec, awaji = muscles
    out = {}
    for j, region in enumerate(REGIONS):
        found = case.exam.region(region)
        in_region = [k for k, m in enumerate(case.emg) if m.region == region]
        out[region] = RegionFindings(
            umn=bool(ev["umn"][0, j]),
            lmn_clinical=bool(shown_lmn[j]),
            lmn_emg_reec=bool(ev["lmn_emg_reec"][0, j]),
            lmn_emg_awaji=bool(ev["lmn_emg_awaji"][0, j]),
            lmn_gold_coast=bool(ev["lmn_gold_coast"][0, j]),
            umn_signs=[SIGN_LABELS[s] for s in found.umn],
            lmn_signs=[SIGN_LABELS[s] for s in found.lmn],
            examined=found.examined,
            emg_studied=bool(in_region),
            emg_muscles_reec=[_muscle(case, k) for k in in_region if reec[k]],
            emg_muscles_awaji=[_muscle(case, k) for k in in_region if awaji[k]],
        )
    return out


def _muscle(case: Case, k: int) -> str:
    m = case.emg[k]
    return f"{m.muscle.replace('_', ' ')} ({m.side})"
