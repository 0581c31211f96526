"""The case-entry web form <-> the case document.

Every input is named by its case-file path (``exam.cervical.umn``, ``emg[2].side``,
``alsfrs_r[0].items.speech``), so a validation error's field path names the input to highlight.
The exam-by-region grid, EMG, genetics, ALSFRS-R, FVC and medications have their own layout; every
other part of the case (history, extra exam findings, NCS, labs, imaging, respiratory tests,
investigations) is laid out from the Case model's own field types, so a field added to the contract
appears in the form and survives an edit without touching this module.
Parsing keeps what it cannot convert (``"abc"`` in a number box) so that the Case model reports it
against the right field instead of the form silently dropping it. Empty repeated rows are skipped.
"""

from __future__ import annotations

import re
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from alsdx.model.case import (
    ALSFRS_ITEMS,
    Exam,
    History,
    Imaging,
    Investigation,
    LabPanel,
    Ncs,
    RespiratoryMeasurement,
    WeightMeasurement,
)
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
WEAKNESS = ("asymmetric", "proximal", "distal", "finger_flexors", "quadriceps")
EMG_FLAGS = ("fibrillations_psw", "fasciculation_potentials", "chronic_neurogenic")
MEDICATIONS = ("riluzole", "edaravone_iv", "edaravone_oral", "tofersen", "dextromethorphan_quinidine", "other")
BLANK_ROWS = {"emg": 3, "labs": 1, "fvc": 1, "medications": 1, "respiratory": 1, "weight": 1, "investigations": 1}
EXAM_LAYOUT = (*REGIONS, "weakness", "bulbar_symptoms")
"""Exam fields with their own layout; every other Exam field is generic."""

Form = Mapping[str, Sequence[str]]
_INDEXED = re.compile(r"^(?P<list>[a-z_.]+)\[(?P<i>\d{1,4})\]\.(?P<rest>.+)$")

_WORDS = {
    "ck": "CK",
    "alt": "ALT",
    "ast": "AST",
    "anc": "ANC",
    "uln": "ULN",
    "tsh": "TSH",
    "b12": "B12",
    "csf": "CSF",
    "hiv": "HIV",
    "htlv1": "HTLV-1",
    "achr": "AChR",
    "musk": "MuSK",
    "hexa": "HexA",
    "snip": "SNIP",
    "mip": "MIP",
    "mri": "MRI",
    "rns": "RNS",
    "vlcfa": "VLCFA",
    "hsp": "HSP",
    "gm1": "GM1",
    "igm": "IgM",
}
_UNITS = {
    "_u_per_l": " (U/L)",
    "_10e9_per_l": " (10⁹/L)",
    "_mmol_per_l": " (mmol/L)",
    "_pmol_per_l": " (pmol/L)",
    "_umol_per_l": " (µmol/L)",
    "_g_per_l": " (g/L)",
    "_mu_per_l": " (mU/L)",
    "_cm_h2o": " (cm H₂O)",
    "_kg": " (kg)",
}


LABELS = {
    "motor_conduction_block": "Motor conduction block (outside entrapment sites)",
    "sensory_abnormal": "Sensory NCS abnormal (reduced/absent SNAPs)",
    "slowed_conduction_demyelinating": "Conduction slowing in the demyelinating range",
    "rns_decrement": "Decrement on repetitive nerve stimulation",
    "anti_gm1_igm": "Anti-GM1 IgM",
    "mip_cm_h2o": "MIP (cm H₂O, negative)",
    "sensory_loss": "Objective sensory loss",
    "tongue_fasciculations": "Tongue fasciculations",
}


def label(name: str) -> str:
    """'csf_protein_g_per_l' -> 'CSF protein (g/L)'."""
    if name in LABELS:
        return LABELS[name]
    unit = ""
    for suffix, text in _UNITS.items():
        if name.endswith(suffix):
            name, unit = name[: -len(suffix)], text
            break
    words = [_WORDS.get(w, w) for w in name.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:] + unit


@dataclass(frozen=True)
class FieldSpec:
    """How one scalar case field is entered: kind is check | tri | select | number | date."""

    name: str
    label: str
    kind: str
    choices: tuple[str, ...] = ()
    blank: bool = True
    """Whether the select offers "not recorded" (optional fields)."""
    default: str | None = None
    """The model's default choice, pre-selected when the case gives none (e.g. ``not_done``)."""


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(core type, optional?) with Annotated and ``| None`` removed."""
    optional = False
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        optional = len(args) < len(get_args(annotation))
        annotation = args[0]
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation, optional


def specs(model: type[BaseModel], skip: Sequence[str] = (), tri_state: bool = False) -> list[FieldSpec]:
    """Form fields for the scalar fields of a case-model class, in the model's order."""
    out = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        core, optional = _unwrap(info.annotation)
        if core is bool:
            kind = "tri" if optional or tri_state else "check"
            out.append(FieldSpec(name, label(name), kind))
        elif get_origin(core) is Literal:
            # rows need a blank choice so that an empty row stays empty; defaulted fields (not_done) do not
            blank = info.is_required() or info.default is None
            default = info.default if isinstance(info.default, str) else None
            out.append(FieldSpec(name, label(name), "select", tuple(get_args(core)), blank=blank, default=default))
        elif core in (int, float):
            out.append(FieldSpec(name, label(name), "number"))
        elif core is date:
            out.append(FieldSpec(name, label(name), "date"))
        else:  # pragma: no cover - a new kind of case field needs a layout here
            raise TypeError(f"{model.__name__}.{name}: no form input for {core!r}")
    return out


EXAM_EXTRA = specs(Exam, skip=EXAM_LAYOUT)
HISTORY = specs(History)
NCS = specs(Ncs, tri_state=True)
IMAGING = specs(Imaging)
LAB_PANEL = specs(LabPanel)
RESPIRATORY = specs(RespiratoryMeasurement)
WEIGHT = specs(WeightMeasurement)
INVESTIGATION = specs(Investigation)


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


def _parse(spec: FieldSpec, raw: str) -> Any:
    """The value of one generic field (None = leave the field out)."""
    if spec.kind == "check":
        return raw in ("on", "true", "yes")
    if spec.kind == "tri":
        return _tristate(raw)
    if spec.kind == "number":
        return _number(raw)
    return raw or None


def _generic(values: Mapping[str, str], fields: list[FieldSpec]) -> dict[str, Any]:
    out = {}
    for spec in fields:
        value = _parse(spec, values.get(spec.name, "").strip())
        if value is not None:
            out[spec.name] = value
    return out


def _prefixed(form: Form, prefix: str) -> dict[str, str]:
    return {k[len(prefix) :]: _one(form, k) for k in form if k.startswith(prefix)}


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
    for key in (
        "id",
        "sex",
        "onset_region",
        "course",
        "birth_date",
        "symptom_onset",
        "assessment_date",
        "diagnosis_date",
    ):
        _optional(doc, key, _one(form, key))
    _optional(doc, "age_at_onset", _number(_one(form, "age_at_onset")))
    for key in TOP_FLAGS:
        doc[key] = _flag(form, key)
    doc["history"] = _generic(_prefixed(form, "history."), HISTORY)

    exam: dict[str, Any] = {}
    for region in REGIONS:
        exam[region] = {
            "umn": [v for v in form.get(f"exam.{region}.umn", []) if v],
            "lmn": [v for v in form.get(f"exam.{region}.lmn", []) if v],
        }
    exam["weakness"] = {k: _flag(form, f"exam.weakness.{k}") for k in WEAKNESS}
    exam["bulbar_symptoms"] = [v for v in form.get("exam.bulbar_symptoms", []) if v]
    exam.update(_generic(_prefixed(form, "exam."), EXAM_EXTRA))
    doc["exam"] = exam

    doc["emg"] = []
    for row in _rows(form, "emg"):
        if not row.get("muscle"):
            continue
        muscle: dict[str, Any] = {"muscle": row["muscle"], "side": row.get("side", "")}
        if row.get("roots"):  # read by the case model through the vocabulary ("C8-T1", "L4/L5", "CN XII")
            muscle["roots"] = row["roots"]
        for key in ("region", "nerve"):
            _optional(muscle, key, row.get(key))
        for key in EMG_FLAGS:
            muscle[key] = row.get(key) in ("on", "true")
        doc["emg"].append(muscle)

    ncs = _generic(_prefixed(form, "ncs."), NCS)
    if ncs:
        doc["ncs"] = ncs

    doc["labs"] = [_generic(row, LAB_PANEL) for row in _rows(form, "labs") if any(row.values())]

    genetics: dict[str, Any] = {"variants": []}
    for row in _rows(form, "genetics.variants"):
        if row.get("gene") or row.get("classification"):
            genetics["variants"].append({"gene": row.get("gene", ""), "classification": row.get("classification", "")})
    _optional(genetics, "c9orf72_repeat_expansion", _tristate(_one(form, "genetics.c9orf72_repeat_expansion")))
    _optional(genetics, "ar_cag_repeats", _number(_one(form, "genetics.ar_cag_repeats")))
    doc["genetics"] = genetics
    doc["imaging"] = _generic(_prefixed(form, "imaging."), IMAGING)

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
    doc["respiratory"] = [_generic(r, RESPIRATORY) for r in _rows(form, "respiratory") if any(r.values())]
    doc["weight"] = [_generic(r, WEIGHT) for r in _rows(form, "weight") if any(r.values())]

    doc["medications"] = []
    for row in _rows(form, "medications"):
        if not row.get("name"):
            continue
        med: dict[str, Any] = {"name": row["name"], "start_date": row.get("start_date", "")}
        _optional(med, "stop_date", row.get("stop_date"))
        doc["medications"].append(med)
    doc["investigations"] = [_generic(r, INVESTIGATION) for r in _rows(form, "investigations") if any(r.values())]
    return doc


def form_view(doc: Mapping[str, Any]) -> dict[str, Any]:
    """What the template needs to pre-fill the form from a (possibly invalid) case document."""
    emg = [dict(m) for m in doc.get("emg") or []]
    table = muscle_table()
    for m in emg:
        known = table.get(str(m.get("muscle")))
        roots = m.get("roots")
        # table muscles with a fixed level need no roots in the form; paraspinals and others show theirs
        text = " ".join(roots) if isinstance(roots, list) else roots if isinstance(roots, str) else ""
        m["roots_text"] = "" if known and known.roots else text
        m["custom"] = known is None

    def rows(key: str, blank: int = 1) -> list[Any]:
        return [*list(doc.get(key) or []), *([{}] * blank)]

    return {
        "doc": doc,
        "exam": doc.get("exam") or {},
        "history": doc.get("history") or {},
        "emg": emg + [{}] * BLANK_ROWS["emg"],
        "labs": rows("labs", BLANK_ROWS["labs"]),
        "variants": [*list((doc.get("genetics") or {}).get("variants") or []), {}],
        "genetics": doc.get("genetics") or {},
        "imaging": doc.get("imaging") or {},
        "ncs": doc.get("ncs") or {},
        "alsfrs_r": rows("alsfrs_r"),
        "fvc": rows("fvc", BLANK_ROWS["fvc"]),
        "respiratory": rows("respiratory", BLANK_ROWS["respiratory"]),
        "weight": rows("weight", BLANK_ROWS["weight"]),
        "medications": rows("medications", BLANK_ROWS["medications"]),
        "investigations": rows("investigations", BLANK_ROWS["investigations"]),
    }


def new_case_doc(reference: str, today: str) -> dict[str, Any]:
    """A blank form's defaults for a patient's first visit."""
    return {
        "id": reference,
        "assessment_date": today,
        "course": "progressive",
        "normal_motor_function_before_onset": True,
    }
