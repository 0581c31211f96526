"""Hypothesis strategies for the cohort tests: valid case documents covering every part of the case model
(signs in every region, EMG with table, paraspinal and unlisted muscles, dated labs, ALSFRS-R, FVC,
variants of every classification, medications)."""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any

from hypothesis import strategies as st

from alsdx.model.case import BulbarSigns, CervicalSigns, LumbosacralSigns, ThoracicSigns
from alsdx.model.muscles import muscle_table
from alsdx.model.vocab import KNOWN_GENES, LMN_SIGNS, ROOT_NAMES

REGION_MODELS = {
    "bulbar": BulbarSigns,
    "cervical": CervicalSigns,
    "thoracic": ThoracicSigns,
    "lumbosacral": LumbosacralSigns,
}
UMN_ALLOWED = {
    r: typing.get_args(m.model_fields["umn"].annotation.__args__[0])  # list[Literal[...]]
    for r, m in REGION_MODELS.items()
}
TABLE = muscle_table()
FIXED = sorted(name for name, m in TABLE.items() if m.roots)
PARASPINAL = {name: m.region for name, m in TABLE.items() if not m.roots}
SPINAL_ROOTS = [r for r in ROOT_NAMES if not r.startswith("CN")]
CRANIAL_ROOTS = [r for r in ROOT_NAMES if r.startswith("CN")]
TODAY = dt.date(2026, 1, 15)
ITEMS = (
    "speech",
    "salivation",
    "swallowing",
    "handwriting",
    "cutting_food",
    "dressing_hygiene",
    "turning_in_bed",
    "walking",
    "climbing_stairs",
    "dyspnea",
    "orthopnea",
    "respiratory_insufficiency",
)


def _dates(lo: dt.date, hi: dt.date) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=lo, max_value=hi)


@st.composite
def emg_muscle(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["table", "table", "table", "paraspinal", "unlisted"]))
    flags = {f: draw(st.booleans()) for f in ("fibrillations_psw", "fasciculation_potentials", "chronic_neurogenic")}
    side = draw(st.sampled_from(["left", "right", "midline"]))
    if kind == "table":
        return {"muscle": draw(st.sampled_from(FIXED)), "side": side, **flags}
    if kind == "paraspinal":
        name = draw(st.sampled_from(sorted(PARASPINAL)))
        roots = draw(st.lists(st.sampled_from(SPINAL_ROOTS), min_size=1, max_size=2, unique=True))
        return {"muscle": name, "side": side, "roots": roots, **flags}
    region = draw(st.sampled_from(["bulbar", "cervical", "thoracic", "lumbosacral"]))
    pool = CRANIAL_ROOTS if region == "bulbar" else SPINAL_ROOTS
    return {
        "muscle": draw(st.sampled_from(["custom_muscle_a", "custom_muscle_b"])),
        "side": side,
        "region": region,
        "roots": draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True)),
        "nerve": draw(st.sampled_from(["custom_nerve", "ulnar", "median", "hypoglossal"])),
        **flags,
    }


@st.composite
def case_document(draw: st.DrawFn, ident: str = "h-1") -> dict[str, Any]:
    today = draw(_dates(dt.date(2020, 1, 1), TODAY))
    onset = draw(_dates(dt.date(2015, 1, 1), today))
    doc: dict[str, Any] = {
        "id": ident,
        "symptom_onset": onset.isoformat(),
        "assessment_date": today.isoformat(),
        "course": draw(st.sampled_from(["progressive", "not_progressive", "unknown"])),
        "sex": draw(st.sampled_from(["male", "female", "other", "unknown"])),
        "onset_region": draw(st.sampled_from(["bulbar", "cervical", "lumbosacral", "respiratory", "unknown"])),
    }
    for flag in (
        "normal_motor_function_before_onset",
        "other_causes_excluded",
        "family_history_als",
        "frontotemporal_dementia",
    ):
        if draw(st.booleans()):
            doc[flag] = draw(st.booleans())
    if draw(st.booleans()):
        doc["birth_date"] = (onset - dt.timedelta(days=draw(st.integers(20 * 365, 80 * 365)))).isoformat()
    else:
        doc["age_at_onset"] = draw(st.floats(18, 90).map(lambda x: round(x, 1)))
    exam: dict[str, Any] = {}
    for region, allowed in UMN_ALLOWED.items():
        exam[region] = {
            "umn": draw(st.lists(st.sampled_from(allowed), max_size=3, unique=True)),
            "lmn": draw(st.lists(st.sampled_from(LMN_SIGNS), max_size=3, unique=True)),
        }
    for flag in ("sensory_loss", "sphincter_dysfunction", "gynecomastia", "orthopnea"):
        exam[flag] = draw(st.booleans())
    exam["weakness"] = {"asymmetric": draw(st.booleans()), "finger_flexors": draw(st.booleans())}
    exam["bulbar_symptoms"] = draw(st.lists(st.sampled_from(["dysarthria", "dysphagia"]), unique=True))
    doc["exam"] = exam
    doc["emg"] = draw(st.lists(emg_muscle(), max_size=8))
    if draw(st.booleans()):
        doc["ncs"] = {"motor_conduction_block": draw(st.booleans())}
    panels = []
    for _ in range(draw(st.integers(0, 3))):
        panel: dict[str, Any] = {"date": draw(_dates(onset, today)).isoformat()}
        for analyte in draw(st.lists(st.sampled_from(["ck_u_per_l", "alt_u_per_l", "anc_10e9_per_l"]), unique=True)):
            panel[analyte] = draw(st.floats(0, 5000).map(lambda x: round(x, 1)))
        if draw(st.booleans()):
            panel["anti_gm1_igm"] = draw(st.sampled_from(["positive", "negative"]))
        panels.append(panel)
    doc["labs"] = panels
    variants = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "gene": st.sampled_from([*KNOWN_GENES[:6], "NEK1", "ZNF-99"]),
                    "classification": st.sampled_from(["pathogenic", "likely_pathogenic", "vus", "benign"]),
                }
            ),
            max_size=3,
        )
    )
    doc["genetics"] = {"variants": variants, "c9orf72_repeat_expansion": draw(st.none() | st.booleans())}
    visits = []
    for _ in range(draw(st.integers(0, 2))):
        visits.append(
            {
                "date": draw(_dates(onset, today)).isoformat(),
                "gastrostomy": draw(st.booleans()),
                "items": {item: draw(st.integers(0, 4)) for item in ITEMS},
            }
        )
    doc["alsfrs_r"] = visits
    doc["fvc"] = [
        {
            "date": draw(_dates(onset, today)).isoformat(),
            "percent_predicted": draw(st.integers(10, 130)),
            "position": draw(st.sampled_from(["upright", "supine"])),
        }
        for _ in range(draw(st.integers(0, 3)))
    ]
    if draw(st.booleans()):
        start = draw(_dates(onset, today))
        doc["medications"] = [{"name": "riluzole", "start_date": start.isoformat()}]
    return doc


def case_documents(max_size: int = 12) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(case_document(), min_size=1, max_size=max_size).map(
        lambda docs: [{**d, "id": f"h-{i}"} for i, d in enumerate(docs)]
    )


def decisions(assessment: Any) -> dict[str, Any]:
    """What the cohort runner outputs for one assessment: categories, flags and region evidence."""
    doc = assessment.model_dump()
    out: dict[str, Any] = {}
    for name, result in doc["criteria"].items():
        out[name] = result["category"]
        for flag in ("exclusion_pending", "progression_not_documented", "progression_absent"):
            out[flag] = flag in result["flags"]
    for region, found in doc["regions"].items():
        for kind in ("umn", "lmn_clinical", "lmn_emg_reec", "lmn_emg_awaji", "lmn_gold_coast"):
            out[f"{region}_{kind}"] = found[kind]
    return out
