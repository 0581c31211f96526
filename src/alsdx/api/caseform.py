"""The case-entry web form <-> the case document.

Every input is named by its case-file path (``exam.cervical.umn``, ``emg[2].side``,
``alsfrs_r[0].items.speech``), so a validation error's field path names the input to highlight.
The exam-by-region grid, EMG, genetics, ALSFRS-R, FVC and medications have their own layout; every
other part of the case (history, extra exam findings, NCS, labs, imaging, respiratory tests,
investigations) is laid out from the Case model's own field types, so a field added to the contract
appears in the form and survives an edit without touching this module.
Parsing keeps what it cannot convert (``"abc"`` in a number box) so that the Case model reports it
against the right field instead of the form silently dropping it. Empty repeated rows are skipped.

Safe entry (issue 17): each exam region has an ``exam.<region>.examined`` control. A region is written to
the case only when it is marked examined or has a sign ticked; otherwise it is left out, which the case
contract reads as "not examined" (contract 1). A follow-up visit's form copies the previous findings
marked ``copied``: they are not part of the new visit until the clinician confirms them
(:func:`entry_checks`). Tongue fasciculations are entered once (the bulbar row's select; "present" also
ticks the bulbar LMN sign). A dated row left without a date (ALSFRS-R, FVC, labs, respiratory, weight)
takes the assessment date.
"""

from __future__ import annotations

import re
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from alsdx.errors import FieldError
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
from alsdx.rules.course.alsfrs_r import DOMAINS as ALSFRS_DOMAINS

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
EMG_FINDINGS: tuple[tuple[str, str], ...] = (
    ("", "none of these"),
    ("fibrillations_psw+chronic_neurogenic", "fibs/PSW + chronic neurogenic"),
    ("fasciculation_potentials+chronic_neurogenic", "fasciculation potentials + chronic neurogenic"),
    (
        "fibrillations_psw+fasciculation_potentials+chronic_neurogenic",
        "fibs/PSW + fasciculation potentials + chronic neurogenic",
    ),
    ("chronic_neurogenic", "chronic neurogenic only"),
    ("fibrillations_psw", "fibs/PSW only"),
    ("fasciculation_potentials", "fasciculation potentials only"),
    ("fibrillations_psw+fasciculation_potentials", "fibs/PSW + fasciculation potentials"),
)
"""An EMG row's findings as one choice (the eight combinations of the three muscle findings, as EMG reports
word them); the case keeps the three booleans."""
TONGUE = (
    ("fasciculations", "fasciculations"),
    ("wasting", "wasting"),
    ("fasciculations_and_wasting", "fasciculations and wasting"),
    ("none", "neither fasciculations nor wasting"),
    ("symmetric_movements_only", "symmetric movements only (not fasciculations)"),
)
"""The bulbar row's one tongue control: fasciculations set ``tongue_fasciculations: present`` and the bulbar
LMN sign; wasting sets the bulbar LMN atrophy sign (the tongue is the bulbar muscle examined for it)."""
MEDICATIONS = ("riluzole", "edaravone_iv", "edaravone_oral", "tofersen", "dextromethorphan_quinidine", "other")
DATED_ROWS = ("alsfrs_r", "fvc", "svc", "labs", "respiratory", "weight")
"""Repeated rows whose date defaults to the assessment date when left empty."""
EXAMINED, COPIED = "yes", "copied"
CONFIRM_COPIED = "confirm.copied"
CONFIRM_NOT_EXAMINED = "confirm.not_examined"
DEFAULT_EMG_SIDE = "right"
DEFAULT_FVC_POSITION = "upright"
TONGUE_CHOICES = ("present", "absent", "symmetric_movements_only")
BLANK_ROWS = {
    "emg": 4,
    "labs": 1,
    "fvc": 1,
    "svc": 1,
    "medications": 1,
    "respiratory": 1,
    "weight": 1,
    "investigations": 1,
}
EXAM_LAYOUT = (*REGIONS, "weakness", "bulbar_symptoms", "tongue_fasciculations")
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


def nerve_names() -> list[str]:
    """The nerve names the muscle table accepts (suggested in the EMG rows' nerve field)."""
    return sorted({m.nerve for m in muscle_table().values()})


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
    tongue_choice = _one(form, "exam.tongue")
    tongue = {
        "fasciculations": "present",
        "fasciculations_and_wasting": "present",
        "none": "absent",
        "symmetric_movements_only": "symmetric_movements_only",
    }.get(tongue_choice) or _one(form, "exam.tongue_fasciculations")
    if tongue:
        exam["tongue_fasciculations"] = tongue
    for region in REGIONS:
        signs = {
            "umn": [v for v in form.get(f"exam.{region}.umn", []) if v],
            "lmn": [v for v in form.get(f"exam.{region}.lmn", []) if v],
        }
        if region == "bulbar":  # one place for the tongue: its signs are bulbar LMN signs
            if tongue == "present" and "fasciculations" not in signs["lmn"]:
                signs["lmn"].append("fasciculations")
            if tongue_choice in ("wasting", "fasciculations_and_wasting") and "atrophy" not in signs["lmn"]:
                signs["lmn"].append("atrophy")
        state = _one(form, f"exam.{region}.examined")
        confirmed = state == COPIED and _flag(form, CONFIRM_COPIED)
        if state == EXAMINED or confirmed or (state != COPIED and (signs["umn"] or signs["lmn"])):
            exam[region] = signs  # omitted = not examined (contract 1)
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
        _optional(muscle, "region", row.get("region"))
        _optional(muscle, "nerve", row.get("nerve"))  # read through the vocabulary ("deep peroneal", "fibular")
        findings = set(row.get("findings", "").split("+"))
        for key in EMG_FLAGS:
            muscle[key] = row.get(key) in ("on", "true") or key in findings
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
        quick = quick_scores(row.get("quick", ""))
        if quick is not None:
            items = dict(zip(ALSFRS_ITEMS, quick, strict=True))
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
        if not (row.get("date") or row.get("percent_predicted")):
            continue  # the position alone (a default) is not a measurement
        entry: dict[str, Any] = {"date": row.get("date", ""), "position": row.get("position", "")}
        entry["percent_predicted"] = _number(row.get("percent_predicted", ""))
        doc["fvc"].append(entry)
    doc["svc"] = [
        {"date": row.get("date", ""), "percent_predicted": _number(row.get("percent_predicted", ""))}
        for row in _rows(form, "svc")
        if row.get("date") or row.get("percent_predicted")
    ]
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
    if doc.get("assessment_date"):
        for key in DATED_ROWS:
            for row in doc[key]:
                if not row.get("date"):
                    row["date"] = doc["assessment_date"]
    return doc


def quick_scores(text: str) -> list[int] | None:
    """'3 3 3 2 3 3 4 3 3 4 4 4' or '333233433444' -> the 12 item scores in item order; None unless exactly 12."""
    if not re.fullmatch(r"[\s,;0-4]*", text):
        return None
    digits = [int(c) for c in text if c.isdigit()]
    return digits if len(digits) == len(ALSFRS_ITEMS) else None


def form_errors(form: Form) -> list[FieldError]:
    """Errors of form-only inputs (the case model never sees them)."""
    out = []
    for i, row in enumerate(_rows(form, "alsfrs_r")):
        text = row.get("quick", "")
        if text and quick_scores(text) is None:
            out.append(
                FieldError(
                    f"alsfrs_r[{i}].quick",
                    "Enter 12 scores from 0 to 4 in item order (e.g. 4 4 4 3 3 4 4 4 4 4 4 4), or use the items below.",
                )
            )
    return out


def form_view(doc: Mapping[str, Any], *, form: Form | None = None, copied_from: str | None = None) -> dict[str, Any]:
    """What the template needs to pre-fill the form from a (possibly invalid) case document.

    ``form`` (a submitted form shown again) keeps each region's state and ticked signs as entered, even for a
    region the document leaves out; ``copied_from`` (a follow-up's date of origin) marks the previous visit's
    exam regions and EMG rows as copied until confirmed."""
    if form is not None:
        copied_from = _one(form, "copied_from") or None
    table = muscle_table()
    emg = [dict(m) for m in doc.get("emg") or []]
    raw_emg = _rows(form, "emg") if form is not None else []
    raw_emg = [r for r in raw_emg if r.get("muscle")]
    for k, m in enumerate(emg):
        known = table.get(str(m.get("muscle")))
        roots = m.get("roots")
        # table muscles with a fixed level need no roots in the form; paraspinals and others show theirs
        text = " ".join(roots) if isinstance(roots, list) else roots if isinstance(roots, str) else ""
        m["roots_text"] = "" if known and known.roots else text
        m["custom"] = known is None
        m["findings"] = "+".join(k for k in EMG_FLAGS if m.get(k) is True)
        m["copied"] = (raw_emg[k].get("copied") == EXAMINED) if k < len(raw_emg) else copied_from is not None

    exam = dict(doc.get("exam") or {})
    states: dict[str, str] = {}
    for region in REGIONS:
        if form is not None:
            states[region] = _one(form, f"exam.{region}.examined")
            exam[region] = {
                "umn": [v for v in form.get(f"exam.{region}.umn", []) if v],
                "lmn": [v for v in form.get(f"exam.{region}.lmn", []) if v],
            }
        elif exam.get(region) is not None and exam[region].get("examined") is not False:  # a dumped case says false
            states[region] = COPIED if copied_from else EXAMINED
        else:
            states[region] = ""

    def rows(key: str, blank: int = 1) -> list[Any]:
        return [*list(doc.get(key) or []), *([{}] * blank)]

    tongue = {"present": "fasciculations", "absent": "none", "symmetric_movements_only": "symmetric_movements_only"}
    if form is not None and _one(form, "exam.tongue"):
        exam["tongue"] = _one(form, "exam.tongue")
    else:
        exam["tongue"] = tongue.get(str(exam.get("tongue_fasciculations")), "")
    alsfrs = rows("alsfrs_r")
    return {
        "doc": doc,
        "exam": exam,
        "exam_state": states,
        "copied_from": copied_from,
        "age_now": age_at_assessment(doc),
        "history": doc.get("history") or {},
        "emg": emg + [{}] * BLANK_ROWS["emg"],
        "labs": rows("labs", BLANK_ROWS["labs"]),
        "variants": [*list((doc.get("genetics") or {}).get("variants") or []), {}],
        "genetics": doc.get("genetics") or {},
        "imaging": doc.get("imaging") or {},
        "ncs": doc.get("ncs") or {},
        "alsfrs_r": alsfrs,
        "alsfrs_totals": [alsfrs_total(entry.get("items") or {}) for entry in alsfrs],
        "fvc": rows("fvc", BLANK_ROWS["fvc"]),
        "svc": rows("svc", BLANK_ROWS["svc"]),
        "respiratory": rows("respiratory", BLANK_ROWS["respiratory"]),
        "weight": rows("weight", BLANK_ROWS["weight"]),
        "medications": rows("medications", BLANK_ROWS["medications"]),
        "investigations": rows("investigations", BLANK_ROWS["investigations"]),
    }


def alsfrs_total(items: Mapping[str, Any]) -> dict[str, Any]:
    """Total and the four domain subscores of the items given (the course engine's domains), for the
    running total shown beside the form; ``complete`` is False until all 12 items are scored."""
    scores = {k: v for k, v in items.items() if isinstance(v, int) and not isinstance(v, bool)}
    out: dict[str, Any] = {d: sum(scores.get(i, 0) for i in its) for d, its in ALSFRS_DOMAINS.items()}
    out["total"] = sum(scores.values())
    out["scored"] = len(scores)
    out["complete"] = len(scores) == len(ALSFRS_ITEMS)
    return out


def age_at_assessment(doc: Mapping[str, Any]) -> int | None:
    """Whole years at the assessment date, from the birth date or from the age at onset (shown, not stored)."""
    try:
        seen = date.fromisoformat(str(doc.get("assessment_date")))
        if doc.get("birth_date"):
            born = date.fromisoformat(str(doc["birth_date"]))
            return seen.year - born.year - ((seen.month, seen.day) < (born.month, born.day))
        onset_age = doc.get("age_at_onset")
        if isinstance(onset_age, int | float) and doc.get("symptom_onset"):
            onset = date.fromisoformat(str(doc["symptom_onset"]))
            return int(onset_age + (seen - onset).days / 365.25)
    except ValueError:
        return None
    return None


@dataclass(frozen=True)
class Confirmation:
    """A question the clinician must answer before a visit is saved (ticking ``name`` answers it)."""

    name: str
    message: str
    answer: str


def entry_checks(form: Form, doc: Mapping[str, Any]) -> list[Confirmation]:
    """What to confirm before saving: findings copied from the previous visit, and an empty examination."""
    out = []
    copied = [r for r in REGIONS if _one(form, f"exam.{r}.examined") == COPIED]
    copied_emg = [r["muscle"].replace("_", " ") for r in _rows(form, "emg") if r.get("muscle") and r.get("copied")]
    if (copied or copied_emg) and not _flag(form, CONFIRM_COPIED):
        what = [f"exam of the {', '.join(copied)} region{'s' if len(copied) > 1 else ''}"] if copied else []
        what += [f"EMG of {', '.join(copied_emg)}"] if copied_emg else []
        origin = _one(form, "copied_from") or "the previous visit"
        out.append(
            Confirmation(
                CONFIRM_COPIED,
                f"Findings copied from the visit of {origin} are not confirmed for this visit: {'; '.join(what)}. "
                "Mark each region examined (or not examined) and untick what no longer applies.",
                "Keep the copied findings as findings of this visit",
            )
        )
    exam = doc.get("exam") or {}
    if not any(exam.get(r) is not None for r in REGIONS) and not copied and not _flag(form, CONFIRM_NOT_EXAMINED):
        out.append(
            Confirmation(
                CONFIRM_NOT_EXAMINED,
                'No region is marked examined and no sign is ticked. Mark the regions you examined ("examined" '
                "with no sign means examined and normal), or save the visit with the examination recorded as "
                "not examined.",
                "Save with the examination recorded as not examined",
            )
        )
    return out


def new_case_doc(reference: str, today: str) -> dict[str, Any]:
    """A blank form's defaults for a patient's first visit."""
    return {
        "id": reference,
        "assessment_date": today,
        "course": "progressive",
        "normal_motor_function_before_onset": True,
    }
