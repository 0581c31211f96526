"""Random valid cases drawn from the Case model's own field types (a uniquely named helper, not a conftest).

Every field is drawn from its annotation - Literal codes, bools, ints and floats within their declared bounds
(the whole float range where only a lower bound is declared), dates, patterned strings, optionals, lists and
nested models - so a field added to the model is exercised by the round-trip properties without touching this
module. Only the model's cross-field rules are met by construction: every date lies between symptom onset and
the assessment date (birth date before onset), an EMG muscle agrees with the shipped muscle table (or gives its
own region, roots and nerve), dorsal-column sensory loss implies sensory loss, a region stated not examined lists no signs, a medication stops after it
starts, and age at onset agrees with the birth date. Lists of codes are drawn without repeats (the model keeps
region signs unique; a repeated bulbar symptom says nothing more).
"""

from __future__ import annotations

import types
from datetime import date, timedelta
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types as at
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from alsdx.model import vocabulary
from alsdx.model.case import AlsfrsItems, Case, EmgMuscle, Exam, Medication, RegionSigns
from alsdx.model.muscles import muscle_table

MAX_LIST = 3


def _constraints(metadata: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in metadata:
        if isinstance(m, FieldInfo):
            out.update(_constraints(list(m.metadata)))
        elif isinstance(m, at.Ge):
            out["min_value"] = m.ge
        elif isinstance(m, at.Gt):
            out["min_value"], out["exclude_min"] = m.gt, True
        elif isinstance(m, at.Le):
            out["max_value"] = m.le
        elif isinstance(m, at.Lt):
            out["max_value"], out["exclude_max"] = m.lt, True
        elif getattr(m, "pattern", None):
            out["pattern"] = m.pattern
    return out


class _Drawer:
    def __init__(self, draw: Any, onset: date, today: date) -> None:
        self.draw, self.onset, self.today = draw, onset, today

    def value(self, annotation: Any, metadata: list[Any], path: str) -> Any:
        origin, args = get_origin(annotation), get_args(annotation)
        if origin is Annotated:
            return self.value(args[0], [*metadata, *args[1:]], path)
        if origin in (Union, types.UnionType):
            options = [a for a in args if a is not type(None)]
            if len(options) < len(args) and self.draw(st.booleans()):
                return None
            return self.value(options[0], metadata, path)
        if origin is Literal:
            return self.draw(st.sampled_from(args))
        if origin is list:
            (item,) = args
            if get_origin(item) is Literal:
                return self.draw(st.lists(st.sampled_from(get_args(item)), unique=True, max_size=MAX_LIST))
            n = self.draw(st.integers(0, MAX_LIST))
            return [self.value(item, [], f"{path}[]") for _ in range(n)]
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return self.model(annotation, path)
        c = _constraints(metadata)
        if annotation is bool:
            return self.draw(st.booleans())
        if annotation is int:
            return self.draw(st.integers(c.get("min_value"), c.get("max_value")))
        if annotation is float:
            return self.draw(st.floats(allow_nan=False, allow_infinity=False, **c))
        if annotation is date:
            return self.draw(st.dates(self.onset, self.today)).isoformat()
        if annotation is str:
            return self.draw(st.from_regex(c["pattern"], fullmatch=True))
        raise TypeError(f"{path}: no strategy for {annotation!r}")

    def model(self, cls: type[BaseModel], path: str) -> dict[str, Any]:
        if cls is EmgMuscle:
            return self.emg_muscle()
        doc = {}
        for name, f in cls.model_fields.items():
            if cls is AlsfrsItems:  # every item answered (a missing item needs an explicit loader option)
                doc[name] = self.draw(st.integers(0, 4))
            elif f.is_required() or self.draw(st.integers(0, 3)):  # mostly set, sometimes left to the default
                doc[name] = self.value(f.annotation, list(f.metadata), f"{path}.{name}")
        if issubclass(cls, RegionSigns) and doc.get("examined") is False:  # not examined: no signs known
            doc.pop("umn", None)
            doc.pop("lmn", None)
        if cls is Exam and doc.get("dorsal_column_sensory_loss"):
            doc["sensory_loss"] = True
        if cls is Medication and doc.get("stop_date") is not None and doc["stop_date"] < doc["start_date"]:
            doc["start_date"], doc["stop_date"] = doc["stop_date"], doc["start_date"]
        return doc

    def emg_muscle(self) -> dict[str, Any]:
        table = muscle_table()
        flags = {
            k: self.draw(st.booleans()) for k in ("fibrillations_psw", "fasciculation_potentials", "chronic_neurogenic")
        }
        side = self.draw(st.sampled_from(["left", "right", "midline"]))
        if self.draw(st.integers(0, 4)):  # a muscle of the shipped table, with or without its table values
            name = self.draw(st.sampled_from(sorted(table)))
            known = table[name]
            doc: dict[str, Any] = {"muscle": name, "side": side, **flags}
            if not known.roots:  # a paraspinal muscle: a level of its own region
                doc["roots"] = [self.draw(st.sampled_from(sorted(vocabulary.REGION_ROOTS[known.region])))]
            elif self.draw(st.booleans()):
                doc["roots"] = self.draw(st.permutations(list(known.roots)))
            if self.draw(st.booleans()):
                doc["region"], doc["nerve"] = known.region, known.nerve
            return doc
        name = self.draw(st.from_regex(r"^[a-z][a-z0-9_]{1,20}$", fullmatch=True).filter(_outside_table))
        region = self.draw(st.sampled_from(["bulbar", "cervical", "thoracic", "lumbosacral"]))
        pool = sorted(vocabulary.REGION_ROOTS[region])  # roots lie in the muscle's region
        roots = self.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True))
        nerve = self.draw(st.sampled_from([n.name for n in vocabulary.NERVES]))
        return {"muscle": name, "side": side, "region": region, "roots": roots, "nerve": nerve, **flags}


def _outside_table(name: str) -> bool:
    """A name the vocabulary reads as itself, outside the muscle table (not an abbreviation, not a level)."""
    try:
        reading = vocabulary.muscle(name)
    except vocabulary.VocabularyError:
        return False
    return not reading.in_table and reading.name == name


@st.composite
def case_documents(draw: Any) -> dict[str, Any]:
    onset = draw(st.dates(date(1980, 1, 1), date.today()))
    today = min(onset + timedelta(days=draw(st.integers(0, 4000))), date.today())  # no assessment in the future
    drawer = _Drawer(draw, onset, today)
    doc = drawer.model(Case, "case")
    doc["symptom_onset"], doc["assessment_date"] = onset.isoformat(), today.isoformat()
    if doc.get("birth_date") is not None:
        oldest = 110 * 365 - (today - onset).days  # the model refuses ages above 110 at assessment
        birth = onset - timedelta(days=draw(st.integers(1, oldest)))
        doc["birth_date"] = birth.isoformat()
        if doc.get("age_at_onset") is not None:
            doc["age_at_onset"] = (onset - birth).days / 365.25
    return doc


def cases() -> st.SearchStrategy[Case]:
    """Valid cases; a document the model rejects fails loudly (a new cross-field rule to teach this module)."""
    return case_documents().map(Case.model_validate)
