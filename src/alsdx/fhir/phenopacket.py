"""Case ⇄ GA4GH Phenopacket v2, with the maintained ``phenopackets`` package (protobuf classes).

Findings become ``phenotypicFeatures`` typed with the HPO terms of :mod:`alsdx.fhir.vocab` (region as a
modifier), negatives become ``excluded: true`` features (no sensory loss → excluded HP:0003474); codes
without an HPO term use alsdx CURIEs (``ALSDX:``, declared in ``metaData.resources``). Labs, FVC, respiratory
tests, investigations and ALSFRS-R are ``measurements`` (LOINC or alsdx assays, UCUM units; an analyte's upper
reference limit is its quantity's ``referenceRange.high``), medications are ``medicalActions``, the suspected
disease is ALS (SNOMED CT 86044005) with its onset, and the course is HPO "Progressive" (HP:0003676; excluded
when not progressive, absent when unknown). Phenopacket v2 has no diagnosis date: it is the onset of an alsdx
"clinical diagnosis" feature. Measurements have no grouping either, so those of one dated lab panel,
respiratory entry or ALSFRS-R visit carry its position in their description (``labs[2]``). Import reverses
all of this and reports what it cannot read.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import phenopackets as pp
from google.protobuf.json_format import MessageToJson, Parse, ParseError
from google.protobuf.timestamp_pb2 import Timestamp

from alsdx.errors import CaseValidationError
from alsdx.fhir import vocab
from alsdx.fhir.errors import FhirInputError, NoMndCondition
from alsdx.fhir.to_case import ImportResult, Unmapped, convert_lab
from alsdx.model.case import Case
from alsdx.model.load import case_from_dict
from alsdx.model.vocab import REGIONS, UMN_SIGNS

PROGRESSIVE = vocab.PROGRESSIVE
ALS_DISEASE = "SNOMEDCT:86044005"
PREFIX = {vocab.HPO: "", vocab.LOINC: "LOINC:", vocab.SNOMED: "SNOMEDCT:"}
SEX = {"male": pp.MALE, "female": pp.FEMALE, "other": pp.OTHER_SEX, "unknown": pp.UNKNOWN_SEX}
FAMILY_HISTORY = {
    "family_history_als": pp.OntologyClass(id="ALSDX:family-history-als", label="Family history of ALS"),
    "family_history_spastic_paraplegia": pp.OntologyClass(
        id="ALSDX:family-history-spastic-paraplegia", label="Family history of spastic paraplegia"
    ),
}
_POSITION = re.compile(r"^(labs|respiratory|alsfrs_r)\[(\d+)\]$")


def _curie(code: vocab.Code) -> str:
    if code.system.startswith(vocab.ALSDX_BASE):
        return f"ALSDX:{code.code}"
    return PREFIX.get(code.system, "") + code.code


def _oc(code: vocab.Code) -> pp.OntologyClass:
    return pp.OntologyClass(id=_curie(code), label=code.display)


def _value_code(field: str, value: str) -> vocab.Code:
    """A categorical lab value as written in a Phenopacket (levels, HL7 interpretations in FHIR, as alsdx values)."""
    code = vocab.CATEGORICAL_LABS[field][1][value]
    return vocab.VALUES[value] if code.system == vocab.OBS_INTERPRETATION else code


def _ts(d: date) -> Timestamp:
    t = Timestamp()
    t.FromDatetime(datetime(d.year, d.month, d.day, tzinfo=UTC))
    return t


def _when(d: date) -> pp.TimeElement:
    return pp.TimeElement(timestamp=_ts(d))


def _date(t: Timestamp) -> date:
    return t.ToDatetime().date()


def _mod(kind: str, value: str) -> pp.OntologyClass:
    return pp.OntologyClass(id=f"ALSDX:{kind}:{value}", label=f"{kind} {value}")


def _get(case: Case, path: str) -> Any:
    value: Any = case
    for part in path.split("."):
        value = None if value is None else getattr(value, part)
    return value


def case_to_phenopacket(case: Case) -> pp.Phenopacket:
    subject = pp.Individual(id=case.id, sex=SEX[case.sex], time_at_last_encounter=_when(case.assessment_date))
    if case.birth_date is not None:
        subject.date_of_birth.CopyFrom(_ts(case.birth_date))
    disease = pp.Disease(
        term=pp.OntologyClass(id=ALS_DISEASE, label=vocab.ALS.display), onset=_when(case.symptom_onset)
    )
    return pp.Phenopacket(
        id=case.id,
        subject=subject,
        phenotypic_features=_features(case),
        measurements=_measurements(case),
        diseases=[disease],
        medical_actions=_actions(case),
        meta_data=_meta(),
    )


def _features(case: Case) -> list[pp.PhenotypicFeature]:
    feats: list[pp.PhenotypicFeature] = []
    for region in REGIONS:
        signs = case.exam.region(region)
        if signs.examined:  # examined, even without signs (a region not examined writes nothing)
            feats.append(pp.PhenotypicFeature(type=_oc(vocab.REGION_EXAMINED), modifiers=[_mod("region", region)]))
        for sign in [*signs.umn, *signs.lmn]:
            feats.append(pp.PhenotypicFeature(type=_oc(vocab.SIGNS[sign]), modifiers=[_mod("region", region)]))
    for path, code in vocab.FINDINGS.items():
        value = _get(case, path)
        if value is not None:
            feats.append(pp.PhenotypicFeature(type=_oc(code), excluded=not value))
    for symptom in case.exam.bulbar_symptoms:
        feats.append(pp.PhenotypicFeature(type=_oc(vocab.BULBAR_SYMPTOMS[symptom])))
    tongue = case.exam.tongue_fasciculations
    if tongue is not None:
        feature = pp.PhenotypicFeature(type=_oc(vocab.TONGUE_FASCICULATIONS), excluded=tongue != "present")
        if tongue == "symmetric_movements_only":
            feature.modifiers.append(_mod("observed", tongue))
        feats.append(feature)
    if case.course != "unknown":
        feats.append(pp.PhenotypicFeature(type=_oc(PROGRESSIVE), excluded=case.course == "not_progressive"))
    feats.append(pp.PhenotypicFeature(type=_oc(vocab.ONSET_REGION), modifiers=[_mod("region", case.onset_region)]))
    if case.diagnosis_date is not None:
        feats.append(pp.PhenotypicFeature(type=_oc(vocab.CLINICAL_DIAGNOSIS), onset=_when(case.diagnosis_date)))
    for present, oc in (
        (case.family_history_als, FAMILY_HISTORY["family_history_als"]),
        (case.history.family_history_spastic_paraplegia, FAMILY_HISTORY["family_history_spastic_paraplegia"]),
    ):
        if present:
            feats.append(pp.PhenotypicFeature(type=oc))
    for m in case.emg:
        assert m.roots is not None and m.region is not None and m.nerve is not None
        mods = [
            _mod("muscle", m.muscle),
            _mod("side", m.side),
            _mod("region", m.region),
            _mod("roots", ",".join(m.roots)),
            _mod("nerve", m.nerve),
        ]
        mods += [_mod("emg", k) for k in vocab.EMG_COMPONENTS if getattr(m, k)]
        feats.append(pp.PhenotypicFeature(type=_oc(vocab.EMG_MUSCLE), modifiers=mods))
    for v in case.genetics.variants:
        feats.append(
            pp.PhenotypicFeature(
                type=_oc(vocab.GENE_VARIANT),
                modifiers=[_mod("gene", v.gene), _mod("classification", v.classification)],
            )
        )
    for field, code in vocab.IMAGING.items():
        result = getattr(case.imaging, field)
        if result != "not_done":
            feats.append(pp.PhenotypicFeature(type=_oc(code), modifiers=[_mod("result", result)]))
    return feats


def _quantity(value: float, unit: str, uln: float | None = None) -> pp.Value:
    q = pp.Quantity(unit=pp.OntologyClass(id=f"UCUM:{unit}", label=unit), value=value)
    if uln is not None:
        q.reference_range.CopyFrom(pp.ReferenceRange(unit=q.unit, high=uln))
    return pp.Value(quantity=q)


def _measurements(case: Case) -> list[pp.Measurement]:
    out: list[pp.Measurement] = []

    def add(code: vocab.Code, value: pp.Value, when: date, description: str = "") -> None:
        out.append(pp.Measurement(assay=_oc(code), value=value, description=description, time_observed=_when(when)))

    def nothing(code: vocab.Code, when: date, where: str) -> None:
        add(code, pp.Value(ontology_class=_oc(vocab.NOTHING_RECORDED)), when, where)

    for i, panel in enumerate(case.labs):
        where, before = f"labs[{i}]", len(out)
        for field, (code, unit) in vocab.LABS.items():
            value = getattr(panel, field)
            uln = getattr(panel, vocab.ULN_OF[field]) if field in vocab.ULN_OF else None
            if value is not None:
                add(code, _quantity(value, unit, uln), panel.date, where)
            elif uln is not None:
                add(vocab.ULN_ONLY[vocab.ULN_OF[field]], _quantity(uln, unit), panel.date, where)
        for field, (code, _) in vocab.CATEGORICAL_LABS.items():
            value = getattr(panel, field)
            if value is not None:
                add(code, pp.Value(ontology_class=_oc(_value_code(field, value))), panel.date, where)
        if len(out) == before:
            nothing(vocab.LAB_REPORT, panel.date, where)
    for f in case.fvc:
        add(vocab.FVC_PERCENT, _quantity(f.percent_predicted, "%"), f.date, f.position)
    for s in case.svc:
        add(vocab.SVC_PERCENT, _quantity(s.percent_predicted, "%"), s.date, "svc")
    for weight in case.weight:
        add(vocab.BODY_WEIGHT, _quantity(weight.weight_kg, vocab.WEIGHT_UNIT), weight.date, "weight")
    for i, r in enumerate(case.respiratory):
        where, before = f"respiratory[{i}]", len(out)
        for field, code in vocab.RESPIRATORY.items():
            value = getattr(r, field)
            if isinstance(value, bool):
                add(code, pp.Value(ontology_class=_oc(vocab.VALUES["abnormal" if value else "normal"])), r.date, where)
            elif value is not None:
                add(code, _quantity(value, vocab.RESPIRATORY_UNIT), r.date, where)
        if len(out) == before:
            nothing(vocab.RESPIRATORY_PANEL, r.date, where)
    for i, visit in enumerate(case.alsfrs_r):
        where = f"alsfrs_r[{i}]"
        items = visit.items.model_dump()
        if None not in items.values():
            total = sum(items.values())
            flags = f"{where} gastrostomy" if visit.gastrostomy else where
            add(vocab.ALSFRS_TOTAL, _quantity(total, "{score}"), visit.date, flags)
        for name, score in items.items():
            if score is not None:
                add(vocab.ALSFRS_ITEMS[name], _quantity(score, "{score}"), visit.date, where)
    for inv in case.investigations:
        add(vocab.INVESTIGATIONS[inv.test], pp.Value(ontology_class=_oc(vocab.VALUES[inv.result])), inv.date)
    if case.genetics.ar_cag_repeats is not None:
        add(vocab.AR_CAG_REPEATS, _quantity(case.genetics.ar_cag_repeats, "{repeats}"), case.assessment_date)
    if case.age_at_onset is not None:
        add(vocab.AGE_AT_ONSET, _quantity(case.age_at_onset, "a"), case.symptom_onset)
    return out


def _actions(case: Case) -> list[pp.MedicalAction]:
    actions = []
    for med in case.medications:
        interval = pp.TimeInterval(start=_ts(med.start_date))
        if med.stop_date is not None:
            interval.end.CopyFrom(_ts(med.stop_date))
        actions.append(
            pp.MedicalAction(
                treatment=pp.Treatment(
                    agent=_oc(vocab.MEDICATIONS[med.name]),
                    dose_intervals=[pp.DoseInterval(interval=interval)],
                )
            )
        )
    return actions


def _meta() -> pp.MetaData:
    created = Timestamp()
    created.FromDatetime(datetime.now(UTC).replace(microsecond=0))
    return pp.MetaData(
        created=created,
        created_by="alsdx",
        phenopacket_schema_version="2.0",
        resources=[
            pp.Resource(
                id="hp",
                name="human phenotype ontology",
                url="http://purl.obolibrary.org/obo/hp.owl",
                version=vocab.HPO_RELEASE,
                namespace_prefix="HP",
                iri_prefix="http://purl.obolibrary.org/obo/HP_",
            ),
            pp.Resource(
                id="loinc",
                name="LOINC",
                url="https://loinc.org",
                version="-",
                namespace_prefix="LOINC",
                iri_prefix="https://loinc.org/",
            ),
            pp.Resource(
                id="snomedct",
                name="SNOMED CT",
                url="http://snomed.info/sct",
                version="-",
                namespace_prefix="SNOMEDCT",
                iri_prefix="http://snomed.info/id/",
            ),
            pp.Resource(
                id="ucum",
                name="UCUM",
                url="http://unitsofmeasure.org",
                version="2.1",
                namespace_prefix="UCUM",
                iri_prefix="https://ucum.org/",
            ),
            pp.Resource(
                id="alsdx",
                name="alsdx codes (no standard code verified offline)",
                url=vocab.ALSDX_BASE,
                version="1",
                namespace_prefix="ALSDX",
                iri_prefix=f"{vocab.ALSDX_BASE}:",
            ),
        ],
    )


def case_to_phenopacket_json(case: Case) -> str:
    return MessageToJson(case_to_phenopacket(case))


def phenopacket_json_to_case(text: str, *, assessment_date: date | None = None) -> ImportResult:
    try:
        packet = Parse(text, pp.Phenopacket())
    except ParseError as exc:
        raise FhirInputError(f"(document): not a Phenopacket v2: {exc}") from None
    return phenopacket_to_case(packet, assessment_date=assessment_date)


def _by_id(table: dict[str, vocab.Code]) -> dict[str, str]:
    return {_curie(c): k for k, c in table.items()}


def _number(m: pp.Measurement, unit: str) -> float | None:
    """The quantity of a measurement when it is in ``unit`` (UCUM), else None."""
    q = m.value.quantity
    if not m.value.HasField("quantity") or q.unit.id.removeprefix("UCUM:") != unit:
        return None
    return q.value


def _lab_number(m: pp.Measurement, field: str, value: float | None = None) -> float | None:
    """A lab quantity (or its reference limit) in the case's unit, converted like FHIR input; None if the
    unit is not one alsdx converts."""
    if not m.value.HasField("quantity"):
        return None
    q = m.value.quantity
    raw = q.value if value is None else value
    return convert_lab(field, Decimal(repr(raw)), q.unit.id.removeprefix("UCUM:"))


def phenopacket_to_case(packet: pp.Phenopacket, *, assessment_date: date | None = None) -> ImportResult:
    onset = [
        _date(d.onset.timestamp)
        for d in packet.diseases
        if d.term.id == ALS_DISEASE and not d.excluded and d.onset.HasField("timestamp")
    ]
    if not onset:
        raise NoMndCondition(f"symptom_onset: no disease {ALS_DISEASE} with an onset timestamp")
    subject = packet.subject
    if assessment_date is None:
        if not subject.time_at_last_encounter.HasField("timestamp"):
            raise FhirInputError("assessment_date: subject.timeAtLastEncounter has no timestamp; give the date")
        assessment_date = _date(subject.time_at_last_encounter.timestamp)
    sex = {v: k for k, v in SEX.items()}.get(subject.sex, "unknown")
    doc: dict[str, Any] = {
        "id": packet.id or subject.id,
        "sex": sex,
        "symptom_onset": min(onset).isoformat(),
        "assessment_date": assessment_date.isoformat(),
        "course": "unknown",
    }
    if subject.HasField("date_of_birth"):
        doc["birth_date"] = _date(subject.date_of_birth).isoformat()
    reader = _PacketReader(doc)
    for i, f in enumerate(packet.phenotypic_features):
        reader.feature(i, f)
    for i, m in enumerate(packet.measurements):
        reader.measurement(i, m)
    for i, a in enumerate(packet.medical_actions):
        reader.action(i, a)
    try:
        return ImportResult(case_from_dict(reader.document(), source="phenopacket"), reader.unmapped)
    except CaseValidationError as exc:
        raise FhirInputError(str(exc)) from None


class _PacketReader:
    """Collects the case fields of one Phenopacket."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.unmapped: list[Unmapped] = []
        self.exam: dict[str, Any] = {r: {"umn": [], "lmn": []} for r in REGIONS}
        self.exam.update(weakness={}, bulbar_symptoms=[])
        self.examined: set[str] = set()
        """Regions with a region-examined feature or any sign feature; the others are left out (not examined)."""
        self.ncs: dict[str, bool] = {}
        self.history: dict[str, bool] = {}
        self.genetics: dict[str, Any] = {"variants": []}
        self.imaging: dict[str, str] = {}
        self.emg: list[dict[str, Any]] = []
        self.labs: dict[tuple[str, Any], dict[str, Any]] = {}  # group (position or date) -> panel
        self.respiratory: dict[tuple[str, Any], dict[str, Any]] = {}
        self.visits: dict[tuple[str, Any], dict[str, Any]] = {}
        self.fvc: list[dict[str, Any]] = []
        self.svc: list[dict[str, Any]] = []
        self.weight: list[dict[str, Any]] = []
        self.investigations: list[dict[str, Any]] = []
        self.meds: list[dict[str, Any]] = []

    # -- phenotypic features -------------------------------------------------------------------------
    def feature(self, i: int, f: pp.PhenotypicFeature) -> None:
        fid = f.type.id
        mods: dict[str, list[str]] = {}
        for m in f.modifiers:
            parts = m.id.split(":", 2)
            if len(parts) == 3 and parts[0] == "ALSDX":
                mods.setdefault(parts[1], []).append(parts[2])
        region = mods["region"][0] if mods.get("region") else None
        if fid == _curie(vocab.REGION_EXAMINED) and region in REGIONS:
            self.examined.add(region)
        elif fid in _SIGNS and region in REGIONS and f.excluded:
            self.examined.add(region)  # a sign recorded absent: the region was examined
        elif fid in _SIGNS and not f.excluded and region in REGIONS:
            self.examined.add(region)
            sign = _SIGNS[fid]
            self.exam[region]["umn" if sign in UMN_SIGNS else "lmn"].append(sign)
        elif fid in _FINDINGS:
            self._finding(_FINDINGS[fid], not f.excluded)
        elif fid in _PRESENT_ONLY and not f.excluded:
            self._finding(_PRESENT_ONLY[fid], True)
        elif fid in _SYMPTOMS and not f.excluded:
            self.exam["bulbar_symptoms"].append(_SYMPTOMS[fid])
        elif fid == _curie(vocab.TONGUE_FASCICULATIONS):
            observed = mods.get("observed", [])
            self.exam["tongue_fasciculations"] = (
                "symmetric_movements_only" if "symmetric_movements_only" in observed
                else "absent" if f.excluded
                else "present"
            )  # fmt: skip
        elif fid == PROGRESSIVE.code:
            self.doc["course"] = "not_progressive" if f.excluded else "progressive"
        elif fid == _curie(vocab.ONSET_REGION) and region:
            self.doc["onset_region"] = region
        elif fid == _curie(vocab.CLINICAL_DIAGNOSIS) and not f.excluded and f.onset.HasField("timestamp"):
            self.doc["diagnosis_date"] = _date(f.onset.timestamp).isoformat()
        elif fid in _FAMILY:
            target = self.history if _FAMILY[fid] == "family_history_spastic_paraplegia" else self.doc
            target[_FAMILY[fid]] = not f.excluded
        elif fid == _curie(vocab.EMG_MUSCLE) and mods.get("muscle") and mods.get("side"):
            entry: dict[str, Any] = {"muscle": mods["muscle"][0], "side": mods["side"][0]}
            if mods.get("roots"):
                entry["roots"] = mods["roots"][0].split(",")
            for k in ("region", "nerve"):
                if mods.get(k):
                    entry[k] = mods[k][0]
            for k in vocab.EMG_COMPONENTS:
                entry[k] = k in mods.get("emg", [])
            self.emg.append(entry)
        elif fid == _curie(vocab.GENE_VARIANT) and mods.get("gene") and mods.get("classification"):
            self.genetics["variants"].append({"gene": mods["gene"][0], "classification": mods["classification"][0]})
        elif fid in _IMAGING and mods.get("result"):
            self.imaging[_IMAGING[fid]] = mods["result"][0]
        else:
            reason = "feature not used by alsdx (or no region)"
            if fid in _PRESENT_ONLY:
                reason = f"excluded {fid} is one half of {_PRESENT_ONLY[fid]}: its absence is not used"
            self.unmapped.append(Unmapped(f"phenotypicFeatures[{i}] {fid}", reason))

    def _finding(self, path: str, value: bool) -> None:
        parts = path.split(".")
        if parts[0] == "exam" and len(parts) == 3:
            self.exam["weakness"][parts[2]] = value
        elif parts[0] == "exam":
            self.exam[parts[1]] = value
        elif parts[0] in ("ncs", "history", "genetics"):
            getattr(self, parts[0])[parts[1]] = value
        else:
            self.doc[path] = value

    # -- measurements ---------------------------------------------------------------------------------
    def measurement(self, i: int, m: pp.Measurement) -> None:
        aid = m.assay.id
        if not m.time_observed.HasField("timestamp"):
            self.unmapped.append(Unmapped(f"measurements[{i}] {aid}", "measurement without a timeObserved date"))
            return
        when = _date(m.time_observed.timestamp)
        words = m.description.split()
        position = _POSITION.match(words[0]) if words else None
        group: tuple[str, Any] = ("position", int(position.group(2))) if position else ("date", when)
        value_id = m.value.ontology_class.id if m.value.HasField("ontology_class") else None
        if not self._read(aid, m, when, group, words, value_id):
            self.unmapped.append(Unmapped(f"measurements[{i}] {aid}", "assay, value or unit not used by alsdx"))

    def _read(
        self, aid: str, m: pp.Measurement, when: date, group: tuple[str, Any], words: list[str], value_id: str | None
    ) -> bool:
        """One measurement into the case; False when it cannot be read (reported by the caller)."""
        day = when.isoformat()
        if aid in _LABS or aid in _ULN_ONLY:
            field = _LABS.get(aid) or _ULN_ONLY[aid]
            analyte = _LABS.get(aid) or next(k for k, v in vocab.ULN_OF.items() if v == field)
            value = _lab_number(m, analyte)
            if value is None:
                return False
            panel = self.labs.setdefault(group, {"date": day})
            panel[field] = value
            q = m.value.quantity
            if field in vocab.ULN_OF and q.HasField("reference_range"):
                panel[vocab.ULN_OF[field]] = _lab_number(m, analyte, q.reference_range.high)
            return True
        if aid in _CATEGORICAL and value_id in _CATEGORICAL[aid][1]:
            field, values = _CATEGORICAL[aid]
            self.labs.setdefault(group, {"date": day})[field] = values[value_id]
            return True
        if aid == _curie(vocab.LAB_REPORT) and value_id == _curie(vocab.NOTHING_RECORDED):
            self.labs.setdefault(group, {"date": day})
            return True
        if aid == _curie(vocab.RESPIRATORY_PANEL) and value_id == _curie(vocab.NOTHING_RECORDED):
            self.respiratory.setdefault(group, {"date": day})
            return True
        if aid in _RESPIRATORY:
            test = _RESPIRATORY[aid]
            if test == "nocturnal_oximetry_abnormal":
                if value_id not in _NORMAL_ABNORMAL:
                    return False
                result: Any = _NORMAL_ABNORMAL[value_id] == "abnormal"
            else:
                result = _number(m, vocab.RESPIRATORY_UNIT)
                if result is None:
                    return False
            self.respiratory.setdefault(group, {"date": day})[test] = result
            return True
        if aid in _INVESTIGATIONS and value_id in _NORMAL_ABNORMAL:
            self.investigations.append(
                {"test": _INVESTIGATIONS[aid], "date": day, "result": _NORMAL_ABNORMAL[value_id]}
            )
            return True
        number = _number(m, _UNITS[aid]) if aid in _UNITS else None
        if number is None:
            return False
        if aid == _curie(vocab.FVC_PERCENT):
            position = "supine" if "supine" in words else "upright"
            self.fvc.append({"date": day, "percent_predicted": number, "position": position})
        elif aid == _curie(vocab.SVC_PERCENT):
            self.svc.append({"date": day, "percent_predicted": number})
        elif aid == _curie(vocab.BODY_WEIGHT):
            self.weight.append({"date": day, "weight_kg": number})
        elif aid == _curie(vocab.ALSFRS_TOTAL):
            self.visits.setdefault(group, {"date": day, "items": {}})["gastrostomy"] = "gastrostomy" in words
        elif aid in _ALSFRS_ITEMS:
            self.visits.setdefault(group, {"date": day, "items": {}})["items"][_ALSFRS_ITEMS[aid]] = int(number)
        elif aid == _curie(vocab.AR_CAG_REPEATS):
            self.genetics["ar_cag_repeats"] = int(number)
        else:  # the last assay of _UNITS
            self.doc["age_at_onset"] = number
        return True

    def action(self, i: int, a: pp.MedicalAction) -> None:
        agent = a.treatment.agent.id
        intervals = list(a.treatment.dose_intervals)
        if agent not in _MEDICATIONS or not intervals:
            self.unmapped.append(Unmapped(f"medicalActions[{i}] {agent}", "treatment not tracked by alsdx or undated"))
            return
        iv = intervals[0].interval
        self.meds.append(
            {
                "name": _MEDICATIONS[agent],
                "start_date": _date(iv.start).isoformat(),
                "stop_date": _date(iv.end).isoformat() if iv.HasField("end") else None,
            }
        )

    def document(self) -> dict[str, Any]:
        self.doc.update(
            exam={k: v for k, v in self.exam.items() if k not in REGIONS or k in self.examined},
            history=self.history,
            genetics=self.genetics,
            imaging=self.imaging,
            emg=self.emg,
            medications=self.meds,
            labs=list(self.labs.values()),
            fvc=self.fvc,
            svc=self.svc,
            weight=self.weight,
            respiratory=list(self.respiratory.values()),
            investigations=self.investigations,
            alsfrs_r=[
                {"date": v["date"], "gastrostomy": v.get("gastrostomy", False), "items": v["items"]}
                for v in self.visits.values()
            ],
        )
        if self.ncs:
            self.doc["ncs"] = self.ncs
        return self.doc


_SIGNS = _by_id(vocab.SIGNS)
_FINDINGS = _by_id(vocab.FINDINGS)
_PRESENT_ONLY = {_curie(c): path for path, codes in vocab.FINDING_PRESENT_ONLY.items() for c in codes}
_SYMPTOMS = _by_id(vocab.BULBAR_SYMPTOMS)
_FAMILY = {oc.id: k for k, oc in FAMILY_HISTORY.items()}
_IMAGING = _by_id(vocab.IMAGING)
_LABS = {_curie(c): k for k, (c, _) in vocab.LABS.items()}
_ULN_ONLY = _by_id(vocab.ULN_ONLY)
_CATEGORICAL = {
    _curie(code): (field, {_curie(_value_code(field, v)): v for v in values})
    for field, (code, values) in vocab.CATEGORICAL_LABS.items()
}
_RESPIRATORY = _by_id(vocab.RESPIRATORY)
_ALSFRS_ITEMS = _by_id(vocab.ALSFRS_ITEMS)
_INVESTIGATIONS = _by_id(vocab.INVESTIGATIONS)
_NORMAL_ABNORMAL = {_curie(vocab.VALUES[v]): v for v in ("normal", "abnormal")}
_MEDICATIONS = _by_id(vocab.MEDICATIONS)
_UNITS = {
    _curie(vocab.FVC_PERCENT): "%",
    _curie(vocab.SVC_PERCENT): "%",
    _curie(vocab.BODY_WEIGHT): vocab.WEIGHT_UNIT,
    _curie(vocab.ALSFRS_TOTAL): "{score}",
    **dict.fromkeys(_ALSFRS_ITEMS, "{score}"),
    _curie(vocab.AR_CAG_REPEATS): "{repeats}",
    _curie(vocab.AGE_AT_ONSET): "a",
}
