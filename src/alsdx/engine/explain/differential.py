"""Differential-stage kernel outputs -> output models and sentences (PLS, mimics, supportive, work-up).

Like the other explanations, it names what the kernels found and never re-decides: every level, flag, status and
category comes from rules/differential.py; this module only selects row ``i`` and looks up static metadata.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import numpy as np

from alsdx.engine.pipeline import MIMIC_RANK
from alsdx.engine.results import (
    Exclusion,
    MimicFinding,
    MimicResult,
    PlsResult,
    SupportiveFeature,
    WorkupItem,
)
from alsdx.model.vocab import REGIONS
from alsdx.rules.criteria.pls import CATEGORIES as PLS_CATEGORIES
from alsdx.rules.criteria.pls import PLS_REGIONS
from alsdx.rules.differential import Differential
from alsdx.rules.mimics import LEVELS, MIMICS
from alsdx.rules.mimics.supportive import FEATURES
from alsdx.rules.mimics.workup import ITEMS, STATUSES

PLS_SOURCE = (
    "Turner MR, Barohn RJ, Corcia P, et al. Primary lateral sclerosis: consensus diagnostic criteria. "
    "J Neurol Neurosurg Psychiatry 2020;91:373-377"
)
PLS_LABELS = {"not_met": "PLS criteria not met", "probable": "probable PLS", "definite": "definite PLS"}
WORKUP_NOT_RECORDED = "exclusion of other causes not yet recorded by the clinician (other_causes_excluded: false)"
STATUS_TEXT = {
    "not_done": "not done",
    "done": "done",
    "done_normal": "done, normal",
    "done_abnormal": "done, abnormal",
}


def pls_result(diff: Differential, cols: Mapping[str, np.ndarray], i: int) -> PlsResult:
    p = {k: v[i] for k, v in diff.pls.items()}
    category = PLS_CATEGORIES[int(p["category"])]
    flags = [f for f in ("progression_not_documented", "age_not_documented") if p[f]]
    re_examine = [
        date.fromordinal(int(cols[column][i]))
        for key, column in (("re_examine_2y", "onset_plus_2y_day"), ("re_examine_4y", "onset_plus_4y_day"))
        if p[key]
    ]
    caveat = None
    if p["umn_predominant_als_not_excluded"]:
        when = " and ".join(d.isoformat() for d in re_examine)
        caveat = (
            "UMN-predominant ALS is not excluded before 4 years from symptom onset (Turner 2020); "
            f"re-examine at the anniversaries of onset: {when}."
        )
    return PlsResult(
        category=category,  # type: ignore[arg-type]
        label=PLS_LABELS[category],
        flags=flags,
        re_examine_on=re_examine,
        caveat=caveat,
        explanation=_pls_sentences(p, category),
        source=PLS_SOURCE,
    )


def _pls_sentences(p: Mapping[str, Any], category: str) -> list[str]:
    if p["pattern"]:
        out = [
            f"UMN signs in {int(p['umn_region_count'])} of the bulbar, upper-limb and lower-limb regions, "
            "without active LMN degeneration (no atrophy, no region meeting the Awaji EMG rule) or sensory "
            "loss."
        ]
        if category == "definite":
            out.append("Four years or more since symptom onset: definite PLS (Turner 2020).")
        elif category == "probable":
            out.append("Two to four years since symptom onset: probable PLS (Turner 2020).")
        else:
            out.append("Less than two years since symptom onset: PLS criteria not yet met (Turner 2020).")
    else:
        missing = []
        if p["umn_region_count"] < 2:
            missing.append("UMN signs in fewer than 2 of the bulbar, upper-limb and lower-limb regions")
        if p["active_lmn"]:
            missing.append("active LMN degeneration (atrophy, or a region meeting the Awaji EMG rule)")
        if p["lmn_not_assessed"] and p["umn_region_count"] >= 2:  # named when it is what PLS waits for
            regions = " and ".join(REGIONS[r] for r in PLS_REGIONS if p[f"lmn_not_assessed_{REGIONS[r]}"])
            missing.append(
                f"the absence of LMN degeneration cannot be settled: {regions} neither examined nor studied by EMG "
                "(a region not examined is not counted as spared; PLS depends on examining it)"
            )
        if p["sensory_loss"]:
            missing.append("objective sensory loss")
        if p["age_under_25"]:
            missing.append("onset before age 25")
        if p["progression_absent"]:
            missing.append("a course recorded as not progressive")
        out = [f"PLS criteria not met: {'; '.join(missing)}."]
    if p["progression_not_documented"]:
        out.append("Progression is not documented; computed as if progressive (alsdx decisions 13, 15).")
    if p["age_not_documented"]:
        out.append("Age at onset is not recorded; computed as if 25 or older (alsdx decision 15).")
    return out


def mimic_results(diff: Differential, i: int) -> list[MimicResult]:
    """Raised mimics for patient i, likely first, then in listing order (``MIMIC_RANK``: treatable first, then
    registry order)."""
    out = []
    for order, m in enumerate(MIMICS):
        r = diff.mimics[m.id]
        lvl = int(r["level"][i])
        if lvl == 0:
            continue
        flags = [
            MimicFinding(id=k, flag=f.text, fields=list(f.fields)) for k, f in m.flags.items() if r[f"flag_{k}"][i]
        ]
        against = [
            MimicFinding(id=k, flag=f.text, fields=list(f.fields)) for k, f in m.against.items() if r[f"against_{k}"][i]
        ]
        result = MimicResult(
            id=m.id,
            name=m.name,
            level=LEVELS[lvl],  # type: ignore[arg-type]
            red_flags=flags,
            against=against,
            workup=[_ITEM_TEST[w] for w in m.workup],
            treatable=m.treatable,
            source=m.source,
            notes=list(m.notes),
        )
        out.append((-lvl, int(MIMIC_RANK[order]), result))
    return [entry[-1] for entry in sorted(out, key=lambda e: e[:2])]


_ITEM_TEST = {item.id: item.test for item in ITEMS}


def supportive_features(diff: Differential, i: int) -> list[SupportiveFeature]:
    order = {"raises": 0, "lowers": 1, "caution": 2}
    found = [
        SupportiveFeature(id=k, feature=f.text, direction=f.direction, fields=list(f.fields), source=f.source)  # type: ignore[arg-type]
        for k, f in FEATURES.items()
        if diff.supportive[k][i]
    ]
    return sorted(found, key=lambda s: order[s.direction])


def exclusion_result(diff: Differential, other_causes_excluded: bool, i: int) -> Exclusion:
    ex, status = diff.exclusion, diff.workup_status
    items = []
    for item in ITEMS:
        required = bool(ex[f"required_{item.id}"][i])
        code = STATUSES[int(status[item.id][i])]
        if not required and item.tier == "as_indicated" and code == "not_done":
            continue
        reasons = ["essential list (Williams 2013)"] if item.tier == "essential" else []
        if item.tier == "recommended":
            reasons.append("routine list (EFNS 2012)")
        callers = [m.name for m in MIMICS if item.id in m.workup and diff.mimics[m.id]["level"][i] > 0]
        if callers:
            reasons.append("called for by: " + "; ".join(callers))
        items.append(
            WorkupItem(
                id=item.id,
                test=item.test,
                status=code,  # type: ignore[arg-type]
                required=required,
                tier=item.tier,  # type: ignore[arg-type]
                reasons=reasons,
                fields=list(item.fields),
                source=item.source,
            )
        )
    outstanding = [w.test for w in items if w.required and w.status == "not_done"]
    if not other_causes_excluded:
        outstanding.append(WORKUP_NOT_RECORDED)
    return Exclusion(complete=bool(ex["complete"][i]), outstanding=outstanding, workup=items)


def exclusion_sentence(other_causes_excluded: bool, outstanding_tests: list[str]) -> str:
    """Why a criteria result carries exclusion_pending (alsdx decision 14)."""
    parts = []
    if not other_causes_excluded:
        parts.append("other causes are not yet recorded as excluded")
    if outstanding_tests:
        shown = "; ".join(outstanding_tests[:3]) + (
            f" and {len(outstanding_tests) - 3} more" if len(outstanding_tests) > 3 else ""
        )
        parts.append(f"required work-up not yet recorded: {shown} (see the exclusion work-up)")
    return f"Exclusion pending: {'; '.join(parts)} (alsdx decision 14)."


def side_by_side_sentence(label: str, set_name: str, mimics: list[MimicResult]) -> str | None:
    """'Awaji gives probable; red flags for multifocal motor neuropathy: ...' (never changing it)."""
    if not mimics:
        return None
    parts = [f"{m.name} ({m.level})" for m in mimics]
    return (
        f"Side by side: {set_name} gives {label}; red flags for {', '.join(parts)} (see mimics). "
        "A mimic never changes the category (alsdx decision 14)."
    )
