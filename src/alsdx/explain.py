"""Sentences from kernel outputs. It names what the kernels found; it never re-decides a category."""

from __future__ import annotations

import numpy as np

from alsdx.model.vocab import REGIONS

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
