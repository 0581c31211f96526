"""Criteria-set results -> labels and sentences. It names what the kernels found; it never re-decides a category."""

from __future__ import annotations

import numpy as np

from alsdx.engine.results import AlternativeReading
from alsdx.model.case import Case
from alsdx.model.vocab import REGIONS
from alsdx.rules.criteria.interpretation import Interpretation

SOURCES = {
    "el_escorial_1994": "Brooks BR. El Escorial WFN criteria for the diagnosis of ALS. J Neurol Sci 1994;124(Suppl):96-107",
    "revised_el_escorial": (
        "Brooks BR, Miller RG, Swash M, Munsat TL. El Escorial revisited: revised criteria for the diagnosis "
        "of ALS. Amyotroph Lateral Scler 2000;1:293-299"
    ),
    "awaji": "de Carvalho M, et al. Electrodiagnostic criteria for diagnosis of ALS. Clin Neurophysiol 2008;119:497-503",
    "gold_coast": "Shefner JM, et al. A proposal for new diagnostic criteria for ALS. Clin Neurophysiol 2020;131:1975-1978",
}

SET_NAMES = {
    "el_escorial_1994": "El Escorial 1994",
    "revised_el_escorial": "revised El Escorial",
    "awaji": "Awaji",
    "gold_coast": "Gold Coast",
}

LABELS = {
    "not_met": "criteria not met",
    "suspected": "suspected ALS",
    "possible": "possible ALS",
    "probable": "probable ALS",
    "probable_laboratory_supported": "probable ALS, laboratory-supported",
    "definite": "definite ALS",
    "definite_familial_laboratory_supported": "definite familial ALS, laboratory-supported",
    "met": "Gold Coast criteria met",
}


def label(criteria_set: str, category: str) -> str:
    if criteria_set != "gold_coast" and category != "not_met":
        return f"clinically {LABELS[category]}"
    return LABELS[category] if category != "not_met" else "criteria not met"


def regions_of(row: np.ndarray) -> list[str]:
    return [region for region, on in zip(REGIONS, row.tolist(), strict=True) if on]


def join(names: list[str]) -> str:
    if not names:
        return "no region"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def n_regions_text(count: int) -> str:
    return f"{count} region" if count == 1 else f"{count} regions"


def _both(umn: np.ndarray, lmn: np.ndarray) -> list[str]:
    return regions_of(umn & lmn)


def el_escorial_sentences(
    criteria_set: str, category: str, umn: np.ndarray, lmn: np.ndarray, clauses: dict[str, bool], lmn_kind: str
) -> list[str]:
    """Why a 1994 / rEEC / Awaji clinical category holds, from the UMN and LMN region rows."""
    name = SET_NAMES[criteria_set]
    u, l_, both = regions_of(umn), regions_of(lmn), _both(umn, lmn)
    out = [f"UMN signs in {join(u)}; {lmn_kind} in {join(l_)}."]
    if category == "definite":
        out.append(
            f"UMN and LMN signs together in {n_regions_text(len(both))} ({join(both)}); {name} definite requires 3 "
            "(bulbar and 2 spinal regions, or 3 spinal regions)."
        )
    elif category in ("probable",):
        out.append(
            f"UMN signs in {n_regions_text(len(u))} and LMN signs in {n_regions_text(len(l_))}, with UMN signs ({u[0]}) rostral "
            f"to LMN signs ({l_[-1]}): {name} probable."
        )
    elif category == "possible":
        if clauses["same_region"]:
            out.append(f"UMN and LMN signs together in {join(both)}: {name} possible.")
        elif clauses["umn_two_regions"]:
            out.append(f"UMN signs in {n_regions_text(len(u))} ({join(u)}): {name} possible.")
        else:
            out.append(f"LMN signs ({l_[0]}) rostral to UMN signs ({u[-1]}): {name} possible.")
    elif category == "suspected":
        out.append(
            f"LMN signs in {n_regions_text(len(l_))} ({join(l_)}) without the UMN pattern of a higher category: "
            "El Escorial 1994 suspected."
        )
    return out


def not_met_sentence(criteria_set: str) -> str:
    name = SET_NAMES[criteria_set]
    if criteria_set == "gold_coast":
        return (
            "Neither UMN with LMN dysfunction nor LMN dysfunction in 2 or more regions is recorded: Gold Coast not met."
        )
    return f"The recorded signs match no {name} category."


READING_TEXT = {
    "weakness-counts-as-lmn": "weakness alone counted as LMN involvement (decision 3, alternative)",
    "definite-count-reading": "the count reading of 'definite' (decision 5, alternative)",
    "probable-any-region": "the any-region reading of 'probable' (decision 6, alternative)",
}


def reading_text(name: str) -> str:
    """Human wording of an alternative reading name ('without X' = back to the default of X)."""
    if name.startswith("without "):
        option = name.removeprefix("without ")
        return f"the default reading instead of {READING_TEXT[option]}"
    return READING_TEXT[name]


def criteria_sentences(
    name: str,
    category: str,
    case: Case,
    ev: dict[str, np.ndarray],
    lmn_c: np.ndarray,
    r: dict[str, np.ndarray],
    i: int,
    flags: list[str],
    alternatives: list[AlternativeReading],
    interp: Interpretation,
    pending_text: str,
) -> list[str]:
    """The explanation of one criteria set's result for patient ``i`` (``ev`` is its evidence as a batch of one;
    ``lmn_c`` the clinical-LMN evidence the chosen reading counts)."""
    umn = ev["umn"][0]
    out: list[str] = []
    if "progression_absent" in flags:
        out.append(
            "The course is recorded as not progressive; every criteria set requires progression, "
            "so the criteria are not met (alsdx decision 13)."
        )
    elif name == "gold_coast":
        out += _gold_coast_sentences(category, case, ev, r, i, "progression_not_documented" in flags)
    else:
        clauses = {k: bool(r[f"possible_{k}"][i]) for k in ("same_region", "umn_two_regions", "lmn_rostral")}
        if name == "awaji":
            lmn = r["lmn"][i]
            kind = "LMN involvement (clinical, or EMG under the Awaji rule)"
        else:
            lmn, kind = lmn_c, "clinical LMN signs"
        if category == "probable_laboratory_supported":
            emg = regions_of(ev["lmn_emg_reec"][0])
            out.append(
                f"UMN signs in {join(regions_of(umn))} and LMN involvement by EMG (fibrillations or positive "
                f"sharp waves with chronic neurogenic change) in {n_regions_text(len(emg))} ({join(emg)}): revised "
                "El Escorial probable, laboratory-supported."
            )
        elif category == "definite_familial_laboratory_supported":
            genes = case.genetics.pathogenic_genes()
            if case.genetics.c9orf72_repeat_expansion:
                genes.append("C9orf72 repeat expansion")
            out.append(
                f"Family history of ALS, a pathogenic variant ({', '.join(genes)}) and UMN with LMN signs in "
                "at least one region: revised El Escorial definite familial, laboratory-supported (decision 11)."
            )
        elif category == "not_met":
            out.append(f"UMN signs in {join(regions_of(umn))}; {kind} in {join(regions_of(lmn))}.")
            out.append(not_met_sentence(name))
        else:
            out += el_escorial_sentences(name, category, umn, lmn, clauses, kind)
        out += _el_escorial_notes(name, ev, interp)
    if "progression_not_documented" in flags:
        out.append("Progression is not documented; the category is computed as if progressive (alsdx decision 13).")
    if "exclusion_pending" in flags:
        out.append(pending_text)
    if name == "revised_el_escorial" and category != "definite_familial_laboratory_supported":
        out += _carrier_note(case)
    for a in alternatives:
        out.append(f"Under {reading_text(a.interpretation)} the category would be: {label(name, a.category)}.")
    return out


def _el_escorial_notes(name: str, ev: dict[str, np.ndarray], interp: Interpretation) -> list[str]:
    notes = []
    rule = "lmn_emg_reec" if name == "revised_el_escorial" else "lmn_emg_awaji"
    short = (
        [
            r
            for j, r in enumerate(REGIONS)
            if ev["emg_abnormal_" + rule.removeprefix("lmn_emg_")][0, j] and not ev[rule][0, j]
        ]
        if name != "el_escorial_1994"
        else []
    )
    if short:
        notes.append(
            f"EMG abnormalities in {join(short)} do not meet the region rule (bulbar: one muscle; thoracic: "
            "paraspinal at or below T6 or abdominal; cervical and lumbosacral: two muscles differing in "
            "roots and peripheral nerve), so they do not count (decision 2)."
        )
    weak_only = regions_of(ev["weak_only"][0])
    if weak_only and not interp.weakness_counts_as_lmn:
        notes.append(f"Weakness alone in {join(weak_only)} is not counted as LMN involvement (alsdx decision 3).")
    emg_any = ev["lmn_emg_awaji"][0] | ev["lmn_emg_reec"][0]
    if name == "el_escorial_1994" and emg_any.any():
        notes.append(f"EMG evidence ({join(regions_of(emg_any))}) is not used by the 1994 categories (decision 10).")
    fasc_only = regions_of(ev["lmn_emg_awaji"][0] & ~ev["lmn_emg_reec"][0])
    if name == "revised_el_escorial" and fasc_only:
        notes.append(
            f"EMG in {join(fasc_only)} rests on fasciculation potentials, which count under Awaji and Gold "
            "Coast but not under revised El Escorial (decision 1)."
        )
    return notes


def _carrier_note(case: Case) -> list[str]:
    """Decision 11: a carrier without family history gets the ordinary categories; name the variant."""
    genes = case.genetics.pathogenic_genes()
    if case.genetics.c9orf72_repeat_expansion:
        genes.append("C9orf72 repeat expansion")
    if not genes:
        return []
    if case.family_history_als:
        return [
            f"Pathogenic/likely pathogenic variant recorded ({', '.join(genes)}), but not in an established "
            "autosomal-dominant ALS gene or without UMN with LMN signs in one region: the familial category "
            "is not reached (decision 11)."
        ]
    return [
        f"Pathogenic/likely pathogenic variant recorded ({', '.join(genes)}) without a family history of ALS: "
        "the ordinary categories apply; the familial laboratory-supported category needs both (decision 11)."
    ]


def _gold_coast_sentences(
    category: str, case: Case, ev: dict[str, np.ndarray], r: dict[str, np.ndarray], i: int, progression_unknown: bool
) -> list[str]:
    umn, lmn = regions_of(ev["umn_gold_coast"][0]), regions_of(ev["lmn_gold_coast"][0])
    out = [f"UMN dysfunction in {join(umn)}; LMN dysfunction (weakness with wasting, or EMG) in {join(lmn)}."]
    if not ev["normal_motor_function_before_onset"][0]:
        out.append(
            "Motor function was not normal before onset: Gold Coast requires impairment preceded by normal "
            "motor function, so it is not met."
        )
    elif category == "met":
        if r["lmn_two_regions"][i]:
            reason = f"LMN dysfunction in {n_regions_text(len(lmn))} ({join(lmn)})"
        else:
            reason = f"UMN dysfunction ({join(umn)}) and LMN dysfunction ({join(lmn)})"
        impairment = (
            "Motor impairment (progression not documented)" if progression_unknown else "Progressive motor impairment"
        )
        out.append(f"{impairment} with {reason}: {LABELS['met']}.")
    else:
        out.append(not_met_sentence("gold_coast"))
    pba = regions_of(ev["umn"][0] & ~ev["umn_gold_coast"][0])
    if pba:
        out.append("Pseudobulbar affect is not a Gold Coast UMN sign (decision 12).")
    out += _gold_coast_lmn_missing(case, regions_of(ev["lmn_clinical"][0] & ~ev["lmn_gold_coast"][0]))
    return out


def _gold_coast_lmn_missing(case: Case, regions: list[str]) -> list[str]:
    """Gold Coast LMN dysfunction is weakness AND wasting (or EMG): say which of the two each region lacks."""
    by_missing: dict[str, list[str]] = {}
    for region in regions:
        signs = set(case.exam.region(region).lmn)
        missing = [word for sign, word in (("weakness", "weakness"), ("atrophy", "wasting")) if sign not in signs]
        if not missing:  # pragma: no cover - weakness with wasting is Gold Coast LMN dysfunction
            continue
        by_missing.setdefault(" or ".join(missing), []).append(region)
    return [
        f"Clinical LMN signs in {join(where)} without {missing} (and no EMG evidence there) are not Gold Coast "
        "LMN dysfunction, which needs weakness with wasting (decision 3)."
        for missing, where in by_missing.items()
    ]
