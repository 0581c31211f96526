"""What further evidence would raise a category: counterfactual runs of the same criteria kernels.

Each candidate addition (a finding in one region, documented progression, a family history or variant)
becomes one row of a small batch of region evidence; ``criteria_from_evidence`` classifies the whole batch
at once, and an addition is reported when it raises a set's category. Nothing here re-implements a rule.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from alsdx.columns.codes import PROGRESSIVE
from alsdx.engine.results import NextEvidence
from alsdx.model.vocab import REGIONS
from alsdx.rules.criteria import CATEGORIES, CRITERIA_SETS, criteria_from_evidence
from alsdx.rules.criteria.interpretation import Interpretation

Evidence = dict[str, np.ndarray]

EMG_REGION_RULE = {
    "bulbar": "one bulbar muscle",
    "cervical": "two cervical muscles of different roots and peripheral nerves",
    "thoracic": "a thoracic paraspinal muscle at or below T6 or an abdominal muscle",
    "lumbosacral": "two lumbosacral muscles of different roots and peripheral nerves",
}


@dataclass(frozen=True)
class Addition:
    evidence: str
    keys: tuple[str, ...]
    """Region-evidence matrices set True in ``region`` (or patient columns set as ``patient`` says)."""
    region: int | None = None
    patient: tuple[tuple[str, object], ...] = ()
    smaller: str | None = None
    """Evidence text of a smaller addition that implies this one is not needed if it already suffices."""

    def present(self, ev: Evidence) -> bool:
        if self.region is not None:
            return all(bool(ev[k][0, self.region]) for k in self.keys)
        return all(ev[k][0] == v for k, v in self.patient)

    def apply(self, ev: Evidence, row: int) -> None:
        if self.region is not None:
            for k in self.keys:
                ev[k][row, self.region] = True
        for k, v in self.patient:
            ev[k][row] = v


TOP_RANK = {name: cats.index("definite") if "definite" in cats else len(cats) - 1 for name, cats in CATEGORIES.items()}
"""The top of each set reached by findings ("definite"; Gold Coast "met"). Revised El Escorial's familial
laboratory-supported category ranks above it but needs a family history and a variant, offered as singles."""


def candidate_additions(ev: Evidence) -> list[Addition]:
    out: list[Addition] = []
    for i, region in enumerate(REGIONS):
        clinical = (
            f"clinical LMN signs in the {region} region (atrophy, fasciculations, reduced reflexes or flaccidity)"
        )
        awaji_emg = (
            f"EMG chronic neurogenic change with fasciculation potentials or fibrillations/positive sharp "
            f"waves in {EMG_REGION_RULE[region]}"
        )
        umn_text = (
            f"a Gold Coast UMN sign in the {region} region (pseudobulbar affect is not one)"
            if ev["umn"][0, i]
            else f"UMN signs in the {region} region"
        )
        wasting = (
            f"atrophy in the {region} region (with the weakness already recorded)"
            if ev["weak_only"][0, i] or (ev["lmn_clinical_with_weakness"][0, i] and not ev["lmn_clinical"][0, i])
            else f"weakness with wasting in the {region} region"
        )
        out += [
            Addition(umn_text, ("umn", "umn_gold_coast"), i),
            Addition(clinical, ("lmn_clinical", "lmn_clinical_with_weakness"), i),
            Addition(
                wasting,
                ("lmn_clinical", "lmn_clinical_with_weakness", "lmn_clinical_gold_coast", "lmn_gold_coast"),
                i,
                smaller=clinical,
            ),
            Addition(awaji_emg, ("lmn_emg_awaji", "lmn_gold_coast"), i),
            Addition(
                f"EMG fibrillations/positive sharp waves with chronic neurogenic change in {EMG_REGION_RULE[region]}",
                ("lmn_emg_reec", "lmn_emg_awaji", "lmn_gold_coast"),
                i,
                smaller=awaji_emg,
            ),
        ]
    out.append(
        Addition("documented progression (by history or repeated examination)", (), None, (("course", PROGRESSIVE),))
    )
    if bool(ev["family_history_als"][0]):
        out.append(
            Addition(
                "a pathogenic variant in an established autosomal-dominant ALS gene",
                (),
                None,
                (("dominant_gene_variant", True),),
            )
        )
    elif bool(ev["dominant_gene_variant"][0]):
        out.append(Addition("a family history of ALS", (), None, (("family_history_als", True),)))
    return [a for a in out if not a.present(ev)]


def counterfactual_rows(ev: Evidence, combos: Sequence[tuple[Addition, ...]]) -> Evidence:
    """One row of region evidence per combination of additions (a batch for ``criteria_from_evidence``)."""
    k = len(combos)
    batch = {key: np.repeat(value, k, axis=0) for key, value in ev.items() if not key.startswith("emg_muscle")}
    for row, combo in enumerate(combos):
        for addition in combo:
            addition.apply(batch, row)
    return batch


def single_combos(ev: Evidence) -> list[tuple[Addition, ...]]:
    """Each candidate addition alone: the rows the engine classifies with the case's own reading."""
    return [(a,) for a in candidate_additions(ev)]


def next_evidence(
    ev: Evidence,
    current: dict[str, int],
    interp: Interpretation,
    singles: tuple[list[tuple[Addition, ...]], dict[str, dict[str, np.ndarray]]],
) -> dict[str, list[NextEvidence]]:
    """For one patient (a batch of one), the smallest additions raising each set's category.

    ``singles`` is (``single_combos(ev)``, their criteria results): assess() classifies them in its own kernel
    call, beside the alternative readings. Pairs are classified here, for every set below its top that no
    single addition raises: one finding, else two (issue 17)."""
    combos, results = singles
    found: dict[str, list[NextEvidence]] = {name: [] for name in CRITERIA_SETS}
    _collect(combos, results, current, found, lambda combo: combo[0].evidence)
    missing = [s for s in CRITERIA_SETS if not found[s] and current[s] < TOP_RANK[s]]
    if missing:
        regional = [c[0] for c in combos if c[0].region is not None and c[0].smaller is None]
        pairs = list(combinations(regional, 2))
        if pairs:
            paired = criteria_from_evidence(counterfactual_rows(ev, pairs), interp)
            _collect(
                pairs,
                paired,
                current,
                found,
                lambda combo: " and ".join(a.evidence for a in combo),
                only=missing,
                limit=3,
            )
    return found


def _collect(
    combos: Sequence[tuple[Addition, ...]],
    results: dict[str, dict[str, np.ndarray]],
    current: dict[str, int],
    found: dict[str, list[NextEvidence]],
    describe: Callable[[tuple[Addition, ...]], str],
    only: list[str] | None = None,
    limit: int | None = None,
) -> None:
    if not combos:
        return
    for name in only or CRITERIA_SETS:
        ranks = results[name]["category"]
        raised: dict[str, int] = {}
        for row, combo in enumerate(combos):
            if ranks[row] > current[name]:
                raised[combo[0].evidence if len(combo) == 1 else describe(combo)] = int(ranks[row])
        for combo in combos:
            text = describe(combo)
            if text not in raised:
                continue
            smaller = combo[0].smaller if len(combo) == 1 else None
            if smaller is not None and raised.get(smaller) == raised[text]:
                continue
            found[name].append(NextEvidence(evidence=text, would_give=CATEGORIES[name][raised[text]]))
            if limit is not None and len(found[name]) >= limit:
                break


EXAMINE_PREFIX = "examination of the "


def examine_not_examined(found: dict[str, list[NextEvidence]], not_examined: Sequence[str]) -> None:
    """Put "examination of the <region> region" first where a clinical finding in a region that was not examined
    (omitted or null in the case) would raise a set: its ``would_give`` is the best that such a finding gives."""
    for name, items in found.items():
        ladder = CATEGORIES[name]
        proposals = []
        for region in not_examined:
            gives = [ladder.index(n.would_give) for n in items if f"the {region} region" in n.evidence]
            if gives:
                proposals.append(
                    NextEvidence(
                        evidence=f"{EXAMINE_PREFIX}{region} region (not examined or not recorded)",
                        would_give=ladder[max(gives)],
                    )
                )
        items[:0] = proposals
