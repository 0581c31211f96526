"""The case-entry web form <-> the case document.

Every input is named by its case-file path (``exam.cervical.umn``, ``emg[2].side``,
``alsfrs_r[0].items.speech``), so a validation error's field path names the input to highlight.
Parsing keeps what it cannot convert (``"abc"`` in a number box) so that the Case model reports it
against the right field instead of the form silently dropping it. Empty repeated rows are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, get_args

from alsdx.model.muscles import muscle_table
from alsdx.model.vocab import (
    LMN_SIGNS,
    REGIONS,
    SIGN_LABELS,
    BulbarUmnSign,
    CervicalUmnSign,
    LumbosacralUmnSign,
    ThoracicUmnSign,
)

UMN_BY_REGION: dict[str, tuple[str, ...]] = {
    "bulbar": get_args(BulbarUmnSign),
    "cervical": get_args(CervicalUmnSign),
    "thoracic": get_args(ThoracicUmnSign),
    "lumbosacral": get_args(LumbosacralUmnSign),
}
LMN_CODES = LMN_SIGNS
TOP_FLAGS = (
    "normal_motor_function_before_onset",
    "other_causes_excluded",
    "family_history_als",
    "frontotemporal_dementia",
)
EXAM_FLAGS = (
    "sensory_loss",
    "sphincter_dysfunction",
    "gynecomastia",
    "dermatomyositis_rash",
    "neck_pain_or_radicular_pain",
    "orthopnea",
)
WEAKNESS = ("asymmetric", "proximal", "distal", "finger_flexors", "quadriceps")
EMG_FLAGS = ("fibrillations_psw", "fasciculation_potentials", "chronic_neurogenic")
LAB_NUMBERS = ("ck_u_per_l", "alt_u_per_l", "alt_uln_u_per_l", "ast_u_per_l", "anc_10e9_per_l")
ALSFRS_ITEMS = (
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
MEDICATIONS = ("riluzole", "edaravone_iv", "edaravone_oral", "tofersen", "dextromethorphan_quinidine", "other")
BLANK_ROWS = {"emg": 3, "labs": 1, "fvc": 1, "medications": 1, "genetics.variants": 1}

Form = Mapping[str, Sequence[str]]
_INDEXED = re.compile(r"^(?P<list>[a-z_.]+)\[(?P<i>\d{1,4})\]\.(?P<rest>.+)$")


def muscles_by_region() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {r: [] for r in REGIONS}
    for m in muscle_table().values():
        out[m.region].append(m.name)
    return out


def sign_label(code: str) -> str:
    return SIGN_LABELS.get(code, code.replace("_", " "))


def _one(form: Form, name: str) -> str:
    values = form.get(name) or [""]
    return values[-1].strip()


def _flag(form: Form, name: str) -> bool:
    return _one(form, name) in ("on", "true", "1", "yes")


def _number(text: str) -> Any:
    """'82' -> 82, '4.2' -> 4.2, '' -> None; anything else is kept for the model to reject."""
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def _tristate(text: str) -> bool | None:
    return {"yes": True, "no": False}.get(text)


def _rows(form: Form, list_name: str) -> list[dict[str, str]]:
    """Group ``list_name[i].field`` inputs into rows ordered by i (raw strings, last value wins)."""
    rows: dict[int, dict[str, str]] = {}
    for key, values in form.items():
        m = _INDEXED.match(key)
        if m and m["list"] == list_name:
            rows.setdefault(int(m["i"]), {})[m["rest"]] = (values[-1] if values else "").strip()
    return [rows[i] for i in sorted(rows)]


def _optional(doc: dict[str, Any], key: str, value: Any) -> None:
    if value is not None and value != "":
        doc[key] = value


def case_from_form(form: Form) -> dict[str, Any]:
    """The case document a submitted form describes (not yet validated)."""
    doc: dict[str, Any] = {}
    for key in ("id", "sex", "onset_region", "course"):
        _optional(doc, key, _one(form, key))
    for key in ("birth_date", "symptom_onset", "assessment_date"):
        _optional(doc, key, _one(form, key))
    _optional(doc, "age_at_onset", _number(_one(form, "age_at_onset")))
    for key in TOP_FLAGS:
        doc[key] = _flag(form, key)

    exam: dict[str, Any] = {}
    for region in REGIONS:
        exam[region] = {
            "umn": [v for v in form.get(f"exam.{region}.umn", []) if v],
            "lmn": [v for v in form.get(f"exam.{region}.lmn", []) if v],
        }
    for key in EXAM_FLAGS:
        exam[key] = _flag(form, f"exam.{key}")
    exam["weakness"] = {k: _flag(form, f"exam.weakness.{k}") for k in WEAKNESS}
    exam["bulbar_symptoms"] = [v for v in form.get("exam.bulbar_symptoms", []) if v]
    doc["exam"] = exam

    doc["emg"] = []
    for row in _rows(form, "emg"):
        if not row.get("muscle"):
            continue
        muscle: dict[str, Any] = {"muscle": row["muscle"], "side": row.get("side", "")}
        if row.get("roots"):
            muscle["roots"] = [r for r in re.split(r"[\s,]+(?!(?:V|VII|IX|X|XI|XII)\b)", row["roots"]) if r]
        for key in ("region", "nerve"):
            _optional(muscle, key, row.get(key))
        for key in EMG_FLAGS:
            muscle[key] = row.get(key) in ("on", "true")
        doc["emg"].append(muscle)

    ncs = {k: _tristate(_one(form, f"ncs.{k}")) for k in ("motor_conduction_block", "sensory_abnormal")}
    if any(v is not None for v in ncs.values()):
        doc["ncs"] = {k: v for k, v in ncs.items() if v is not None}

    doc["labs"] = []
    for row in _rows(form, "labs"):
        if not any(row.values()):
            continue
        panel: dict[str, Any] = {"date": row.get("date", "")}
        for key in LAB_NUMBERS:
            _optional(panel, key, _number(row.get(key, "")))
        _optional(panel, "anti_gm1_igm", row.get("anti_gm1_igm"))
        doc["labs"].append(panel)

    genetics: dict[str, Any] = {"variants": []}
    for row in _rows(form, "genetics.variants"):
        if row.get("gene") or row.get("classification"):
            genetics["variants"].append({"gene": row.get("gene", ""), "classification": row.get("classification", "")})
    _optional(genetics, "c9orf72_repeat_expansion", _tristate(_one(form, "genetics.c9orf72_repeat_expansion")))
    _optional(genetics, "ar_cag_repeats", _number(_one(form, "genetics.ar_cag_repeats")))
    doc["genetics"] = genetics

    doc["imaging"] = {}
    for key in ("cervical_spine_mri", "brain_mri"):
        _optional(doc["imaging"], key, _one(form, f"imaging.{key}"))

    doc["alsfrs_r"] = []
    for row in _rows(form, "alsfrs_r"):
        items = {k: _number(row.get(f"items.{k}", "")) for k in ALSFRS_ITEMS}
        if not row.get("date") and all(v is None for v in items.values()):
            continue
        doc["alsfrs_r"].append(
            {
                "date": row.get("date", ""),
                "gastrostomy": row.get("gastrostomy") in ("on", "true"),
                "items": {k: v for k, v in items.items() if v is not None},
            }
        )

    doc["fvc"] = []
    for row in _rows(form, "fvc"):
        if not any(row.values()):
            continue
        entry: dict[str, Any] = {"date": row.get("date", ""), "position": row.get("position", "")}
        entry["percent_predicted"] = _number(row.get("percent_predicted", ""))
        doc["fvc"].append(entry)

    doc["medications"] = []
    for row in _rows(form, "medications"):
        if not row.get("name"):
            continue
        med: dict[str, Any] = {"name": row["name"], "start_date": row.get("start_date", "")}
        _optional(med, "stop_date", row.get("stop_date"))
        doc["medications"].append(med)
    return doc


def form_view(doc: Mapping[str, Any]) -> dict[str, Any]:
    """What the template needs to pre-fill the form from a (possibly invalid) case document."""
    emg = [dict(m) for m in doc.get("emg") or []]
    table = muscle_table()
    for m in emg:
        known = table.get(str(m.get("muscle")))
        roots = m.get("roots")
        # table muscles with a fixed level need no roots in the form; paraspinals and others show theirs
        m["roots_text"] = "" if known and known.roots else " ".join(roots) if isinstance(roots, list) else ""
        m["custom"] = known is None
    return {
        "doc": doc,
        "exam": doc.get("exam") or {},
        "emg": emg + [{}] * BLANK_ROWS["emg"],
        "labs": list(doc.get("labs") or []) + [{}] * BLANK_ROWS["labs"],
        "variants": [*list((doc.get("genetics") or {}).get("variants") or []), {}],
        "genetics": doc.get("genetics") or {},
        "imaging": doc.get("imaging") or {},
        "ncs": doc.get("ncs") or {},
        "alsfrs_r": [*list(doc.get("alsfrs_r") or []), {}],
        "fvc": list(doc.get("fvc") or []) + [{}] * BLANK_ROWS["fvc"],
        "medications": list(doc.get("medications") or []) + [{}] * BLANK_ROWS["medications"],
    }


def new_case_doc(reference: str, today: str) -> dict[str, Any]:
    """A blank form's defaults for a patient's first visit."""
    return {
        "id": reference,
        "assessment_date": today,
        "course": "progressive",
        "normal_motor_function_before_onset": True,
    }
