"""Hypothesis strategies for the cohort tests: valid case documents covering every part of the case model
(signs in every region, EMG with table, paraspinal and unlisted muscles, dated labs, ALSFRS-R, FVC,
variants of every classification, medications)."""

from __future__ import annotations

import datetime as dt
import re
import typing
from typing import Any

from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st

from alsdx.model import vocabulary
from alsdx.model.case import ALSFRS_ITEMS, BulbarSigns, CervicalSigns, LumbosacralSigns, ThoracicSigns
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
EXAM_EXTRA_FLAGS = (
    "fatigable_weakness",
    "ptosis_or_diplopia",
    "perioral_fasciculations",
    "split_hand",
    "myalgia",
    "neck_pain_or_radicular_pain",
    "dermatomyositis_rash",
)
LAB_NUMBERS = {
    "ck_u_per_l": (5, 20000),  # the case model refuses values below its plausibility floors (µkat/L)
    "ck_uln_u_per_l": (50, 400),
    "alt_u_per_l": (2, 400),
    "alt_uln_u_per_l": (20, 60),
    "tsh_mu_per_l": (0, 20),
    "calcium_mmol_per_l": (1, 4),
    "b12_pmol_per_l": (50, 900),
    "copper_umol_per_l": (2, 30),
    "csf_protein_g_per_l": (0.1, 3),
    "anc_10e9_per_l": (0, 12),
}
LAB_CODES = {
    "anti_gm1_igm": ["positive", "negative"],
    "paraprotein": ["present", "absent"],
    "hexa_activity": ["low", "normal"],
    "blood_lead": ["raised", "normal"],
    "hiv": ["positive", "negative"],
    "achr_antibodies": ["positive", "negative"],
    "csf_oligoclonal_bands": ["positive", "negative"],
}
MRI = {
    "cervical_spine_mri": ["normal", "compressive_myelopathy", "other_lesion", "not_done"],
    "brain_mri": ["normal", "abnormal", "not_done"],
    "lumbosacral_spine_mri": ["normal", "compressive_lesion", "other_lesion", "not_done"],
}
HISTORY = ("prior_paralytic_polio", "known_malignancy", "subacute_onset", "ashkenazi_ancestry", "lead_exposure")
TESTS = ("muscle_biopsy", "myositis_antibodies", "biochemistry", "malignancy_screen")


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
        level = sorted(vocabulary.REGION_ROOTS[PARASPINAL[name]])  # a paraspinal muscle's roots lie in its region
        roots = draw(st.lists(st.sampled_from(level), min_size=1, max_size=2, unique=True))
        return {"muscle": name, "side": side, "roots": roots, **flags}
    region = draw(st.sampled_from(["bulbar", "cervical", "thoracic", "lumbosacral"]))
    pool = sorted(vocabulary.REGION_ROOTS[region])
    return {
        "muscle": draw(st.sampled_from(["custom_muscle_a", "custom_muscle_b"])),
        "side": side,
        "region": region,
        "roots": draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True)),
        "nerve": draw(st.sampled_from(["long_thoracic", "ulnar", "median", "hypoglossal"])),
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
        # Mostly examined; sometimes not examined, written in each of the three ways a case document can say it.
        way = draw(st.sampled_from(["examined", "examined", "examined", "omitted", "null", "examined_false"]))
        if way == "omitted":
            continue
        if way in ("null", "examined_false"):
            exam[region] = None if way == "null" else {"examined": False}
            continue
        exam[region] = {
            "umn": draw(st.lists(st.sampled_from(allowed), max_size=3, unique=True)),
            "lmn": draw(st.lists(st.sampled_from(LMN_SIGNS), max_size=3, unique=True)),
        }
    for flag in ("sensory_loss", "sphincter_dysfunction", "gynecomastia", "orthopnea", *EXAM_EXTRA_FLAGS):
        exam[flag] = draw(st.booleans())
    exam["dorsal_column_sensory_loss"] = exam["sensory_loss"] and draw(st.booleans())
    exam["tongue_fasciculations"] = draw(st.sampled_from([None, "present", "absent", "symmetric_movements_only"]))
    exam["weakness"] = {"asymmetric": draw(st.booleans()), "finger_flexors": draw(st.booleans())}
    exam["bulbar_symptoms"] = draw(st.lists(st.sampled_from(["dysarthria", "dysphagia"]), unique=True))
    doc["exam"] = exam
    doc["emg"] = draw(st.lists(emg_muscle(), max_size=8))
    if draw(st.booleans()):
        doc["ncs"] = {
            "motor_conduction_block": draw(st.booleans()),
            "slowed_conduction_demyelinating": draw(st.booleans()),
            "rns_decrement": draw(st.none() | st.booleans()),
        }
    panels = []
    for _ in range(draw(st.integers(0, 3))):
        panel: dict[str, Any] = {"date": draw(_dates(onset, today)).isoformat()}
        for analyte in draw(st.lists(st.sampled_from(sorted(LAB_NUMBERS)), unique=True, max_size=4)):
            panel[analyte] = draw(st.floats(*LAB_NUMBERS[analyte]).map(lambda x: round(x, 2)))
        for analyte in draw(st.lists(st.sampled_from(sorted(LAB_CODES)), unique=True, max_size=3)):
            panel[analyte] = draw(st.sampled_from(LAB_CODES[analyte]))
        panels.append(panel)
    doc["labs"] = panels
    doc["imaging"] = {name: draw(st.sampled_from(values)) for name, values in MRI.items()}
    doc["history"] = {name: draw(st.booleans()) for name in HISTORY}
    doc["investigations"] = [
        {
            "test": draw(st.sampled_from(TESTS)),
            "date": draw(_dates(onset, today)).isoformat(),
            "result": draw(st.sampled_from(["normal", "abnormal"])),
        }
        for _ in range(draw(st.integers(0, 3)))
    ]
    doc["respiratory"] = [
        {
            "date": draw(_dates(onset, today)).isoformat(),
            "snip_cm_h2o": draw(st.none() | st.integers(0, 150)),
            "mip_cm_h2o": draw(st.none() | st.integers(-150, 0)),
            "nocturnal_oximetry_abnormal": draw(st.none() | st.booleans()),
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    if draw(st.booleans()):
        doc["diagnosis_date"] = draw(_dates(onset, today)).isoformat()
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
                "items": {item: draw(st.integers(0, 4)) for item in ALSFRS_ITEMS},
            }
        )
    doc["alsfrs_r"] = visits
    doc["fvc"] = [
        {
            "date": draw(_dates(onset, today)).isoformat(),
            "percent_predicted": draw(st.integers(11, 130)),
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
    out["mimics"] = [m["id"] for m in doc["mimics"]]
    out["pls"] = doc["pls"]["category"]
    out["exclusion_complete"] = doc["exclusion"]["complete"]
    completeness = doc["completeness"]
    for key in ("regions_not_examined", "emg_regions_not_studied", "assessable"):
        out[key] = completeness[key]
    course = doc["course"]
    alsfrs = course["alsfrs_r"]
    out["alsfrs_r_total"] = None if alsfrs is None else alsfrs["total"]
    out["delta_fs"] = None if alsfrs is None else alsfrs["delta_fs"]
    out["progression_band"] = course["progression_band"]
    out["kings_stage"] = course["kings_stage"]
    out["mitos_stage"] = course["mitos_stage"]
    return out


EDARAVONE = ("edaravone_iv", "edaravone_oral")


def _cycle_at_assessment(med: dict[str, Any], assessment: dt.date) -> int:
    """The cycle the assessment date falls in, read from the plan's dosing calendar: its first dose is on the
    assessment date (a dosing day of that cycle) or, in the 14 days off, on day 1 of the next cycle."""
    first = med["schedule"][0]
    cycle = int(re.search(r"cycle (\d+)", first["action"]).group(1))  # type: ignore[union-attr]
    return cycle if first["date"] == assessment else cycle - 1


def plan_columns(assessment: Any) -> dict[str, Any]:
    """What the cohort runner outputs from the care plan: riluzole alert ids (plan order), the riluzole entry's first
    monitoring date, the current edaravone entry's cycle at the assessment date, the FVC-recency item."""
    plan = assessment.model_dump()["plan"]
    riluzole = next(m for m in plan["medications"] if m["name"] == "riluzole")
    current = [m for m in plan["medications"] if m["name"] in EDARAVONE and m["status"] == "current"]
    edaravone = max(reversed(current), key=lambda m: m["start_date"], default=None)  # the last of the latest
    return {
        "riluzole_alerts": [a["id"] for a in plan["alerts"] if a["id"].startswith("riluzole")],
        "riluzole_next_alt_due": riluzole["monitoring"][0]["date"] if riluzole["monitoring"] else None,
        "edaravone_cycle": None if edaravone is None else _cycle_at_assessment(edaravone, plan["assessment_date"]),
        "fvc_due": any(m["id"] == "fvc_not_recent" for m in plan["monitoring"]),
    }


def cohort_row(assessment: Any) -> dict[str, Any]:
    """Every cohort output column for one assessment (of the case the flat row holds)."""
    return {**decisions(assessment), **plan_columns(assessment)}


@st.composite
def plan_case_document(draw: st.DrawFn, ident: str = "p-1") -> dict[str, Any]:
    """A case document with the care plan's inputs varied: riluzole courses (current or stopped, several entries),
    edaravone entries with route switches, ALT (with or without its ULN, around 1, 3 and 5 x ULN) and ANC on
    dates before, on and after the start, FVC dates around 3 months before the assessment date."""
    doc = draw(case_document(ident))
    today = dt.date.fromisoformat(doc["assessment_date"])
    onset = dt.date.fromisoformat(doc["symptom_onset"])
    days = st.integers(0, (today - onset).days).map(lambda k: onset + dt.timedelta(days=k))
    near = st.integers(0, 120).map(lambda k: today - dt.timedelta(days=k))
    when = st.one_of(days, near)
    meds = []
    for _ in range(draw(st.integers(0, 2))):
        start = draw(when)
        stop = draw(st.none() | st.integers(0, (today - start).days).map(lambda k, s=start: s + dt.timedelta(days=k)))
        meds.append({"name": "riluzole", "start_date": start, "stop_date": stop})
    for _ in range(draw(st.integers(0, 3))):
        start = draw(when)
        stop = draw(st.none() | st.integers(0, (today - start).days).map(lambda k, s=start: s + dt.timedelta(days=k)))
        meds.append({"name": draw(st.sampled_from(EDARAVONE)), "start_date": start, "stop_date": stop})
    doc["medications"] = [{k: str(v) for k, v in m.items() if v is not None} for m in meds]
    # boundaries: results on a start or stop date, on a scheduled check (start + 1, 2, 3, 6 calendar months) and
    # the day before it; FVC exactly 3 calendar months before the assessment date and the day before
    edges = [today]
    for m in meds:
        for months in (0, 1, 2, 3, 6):
            due = m["start_date"] + relativedelta(months=months)
            edges += [due, due - dt.timedelta(days=1)]
        if m["stop_date"] is not None:
            edges.append(m["stop_date"])
    when = st.one_of(when, st.sampled_from([d for d in edges if onset <= d <= today]))
    panels = []
    for _ in range(draw(st.integers(0, 3))):
        panel: dict[str, Any] = {"date": draw(when).isoformat()}
        if draw(st.booleans()):
            uln = draw(st.sampled_from([40.0, 35.0]))
            panel["alt_u_per_l"] = draw(st.sampled_from([0.5, 1.0, 1.5, 3.0, 3.5, 5.0, 6.0])) * uln
            if draw(st.integers(0, 4)):
                panel["alt_uln_u_per_l"] = uln
        if draw(st.booleans()):
            panel["anc_10e9_per_l"] = draw(st.sampled_from([0.5, 1.0, 2.5]))
        panels.append(panel)
    doc["labs"] = panels
    three_months = today - relativedelta(months=3)
    fvc_when = st.one_of(when, st.sampled_from([three_months, three_months - dt.timedelta(days=1)]))
    doc["fvc"] = [
        {
            "date": draw(fvc_when).isoformat(),
            "percent_predicted": 80,
            "position": draw(st.sampled_from(["upright", "supine"])),
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    return doc


def rounded(row: dict[str, Any]) -> dict[str, Any]:
    """Output row with floats rounded as the assessment rounds them (4 decimals)."""
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}
