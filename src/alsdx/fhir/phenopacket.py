"""Case ⇄ GA4GH Phenopacket v2, with the maintained ``phenopackets`` package (protobuf classes).

Findings become ``phenotypicFeatures`` typed with the HPO terms of :mod:`alsdx.fhir.vocab` (region as a
modifier), negatives become ``excluded: true`` features (no sensory loss → excluded HP:0003474); codes
without an HPO term use alsdx CURIEs (``ALSDX:``, declared in ``metaData.resources``). Labs, FVC and
ALSFRS-R are ``measurements`` (LOINC assays, UCUM units), medications are ``medicalActions``, the
suspected disease is ALS (SNOMED CT 86044005) with its onset, and the course is HPO "Progressive"
(HP:0003676; excluded when not progressive, absent when unknown). Import reverses all of this and
reports what it cannot read.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import phenopackets as pp
from google.protobuf.json_format import MessageToJson, Parse, ParseError
from google.protobuf.timestamp_pb2 import Timestamp

from alsdx.errors import CaseValidationError
from alsdx.fhir import vocab
from alsdx.fhir.errors import FhirInputError, NoMndCondition
from alsdx.fhir.to_case import ImportResult, Unmapped
from alsdx.model.case import Case
from alsdx.model.load import case_from_dict
from alsdx.model.vocab import REGIONS, UMN_SIGNS

PROGRESSIVE = vocab.PROGRESSIVE
ALS_DISEASE = "SNOMEDCT:86044005"
PREFIX = {vocab.HPO: "", vocab.LOINC: "LOINC:", vocab.SNOMED: "SNOMEDCT:"}
SEX = {"male": pp.MALE, "female": pp.FEMALE, "other": pp.OTHER_SEX, "unknown": pp.UNKNOWN_SEX}


def _curie(code: vocab.Code) -> str:
    if code.system.startswith(vocab.ALSDX_BASE):
        return f"ALSDX:{code.code}"
    return PREFIX.get(code.system, "") + code.code


def _oc(code: vocab.Code) -> pp.OntologyClass:
    return pp.OntologyClass(id=_curie(code), label=code.display)


def _ts(d: date) -> Timestamp:
    t = Timestamp()
    t.FromDatetime(datetime(d.year, d.month, d.day, tzinfo=UTC))
    return t


def _date(t: Timestamp) -> date:
    return t.ToDatetime().date()


def _mod(kind: str, value: str) -> pp.OntologyClass:
    return pp.OntologyClass(id=f"ALSDX:{kind}:{value}", label=f"{kind} {value}")


def case_to_phenopacket(case: Case) -> pp.Phenopacket:
    subject = pp.Individual(
        id=case.id,
        sex=SEX[case.sex],
        time_at_last_encounter=pp.TimeElement(timestamp=_ts(case.assessment_date)),
    )
    if case.birth_date is not None:
        subject.date_of_birth.CopyFrom(_ts(case.birth_date))
    feats: list[pp.PhenotypicFeature] = []
    for region in REGIONS:
        signs = case.exam.region(region)
        for sign in [*signs.umn, *signs.lmn]:
            feats.append(pp.PhenotypicFeature(type=_oc(vocab.SIGNS[sign]), modifiers=[_mod("region", region)]))
    for path, code in vocab.FINDINGS.items():
        value: Any = case
        for part in path.split("."):
            value = None if value is None else getattr(value, part)
        if value is not None:
            feats.append(pp.PhenotypicFeature(type=_oc(code), excluded=not value))
    for symptom in case.exam.bulbar_symptoms:
        feats.append(pp.PhenotypicFeature(type=_oc(vocab.BULBAR_SYMPTOMS[symptom])))
    if case.course != "unknown":
        feats.append(pp.PhenotypicFeature(type=_oc(PROGRESSIVE), excluded=case.course == "not_progressive"))
    feats.append(pp.PhenotypicFeature(type=_oc(vocab.ONSET_REGION), modifiers=[_mod("region", case.onset_region)]))
    if case.family_history_als:
        feats.append(
            pp.PhenotypicFeature(type=pp.OntologyClass(id="ALSDX:family-history-als", label="Family history of ALS"))
        )
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
    for code, result in (
        (vocab.CERVICAL_MRI, case.imaging.cervical_spine_mri),
        (vocab.BRAIN_MRI, case.imaging.brain_mri),
    ):
        if result != "not_done":
            feats.append(pp.PhenotypicFeature(type=_oc(code), modifiers=[_mod("result", result)]))

    measurements: list[pp.Measurement] = []

    def measure(code: vocab.Code, value: float, unit: str, when: date, description: str = "") -> None:
        q = pp.Quantity(unit=pp.OntologyClass(id=f"UCUM:{unit}", label=unit), value=value)
        measurements.append(
            pp.Measurement(
                assay=_oc(code),
                value=pp.Value(quantity=q),
                description=description,
                time_observed=pp.TimeElement(timestamp=_ts(when)),
            )
        )

    for panel in case.labs:
        for fld, (code, unit) in vocab.LABS.items():
            if getattr(panel, fld) is not None:
                uln = panel.alt_uln_u_per_l if fld == "alt_u_per_l" else None
                measure(code, getattr(panel, fld), unit, panel.date, f"uln={uln:g}" if uln else "")
        if panel.anti_gm1_igm is not None:
            value_code = vocab.POSITIVE if panel.anti_gm1_igm == "positive" else vocab.NEGATIVE
            measurements.append(
                pp.Measurement(
                    assay=_oc(vocab.ANTI_GM1_IGM),
                    value=pp.Value(ontology_class=_oc(value_code)),
                    time_observed=pp.TimeElement(timestamp=_ts(panel.date)),
                )
            )
    for f in case.fvc:
        measure(vocab.FVC_PERCENT, f.percent_predicted, "%", f.date, f.position)
    for visit in case.alsfrs_r:
        items = visit.items.model_dump()
        measure(
            vocab.ALSFRS_TOTAL,
            sum(items.values()),
            "{score}",
            visit.date,
            "gastrostomy" if visit.gastrostomy else "",
        )
        for name, score in items.items():
            measure(vocab.ALSFRS_ITEMS[name], score, "{score}", visit.date)
    if case.genetics.ar_cag_repeats is not None:
        measure(vocab.AR_CAG_REPEATS, case.genetics.ar_cag_repeats, "{repeats}", case.assessment_date)
    if case.age_at_onset is not None:
        measure(vocab.AGE_AT_ONSET, case.age_at_onset, "a", case.symptom_onset)

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

    created = Timestamp()
    created.FromDatetime(datetime.now(UTC).replace(microsecond=0))
    meta = pp.MetaData(
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
    disease = pp.Disease(
        term=pp.OntologyClass(id=ALS_DISEASE, label=vocab.ALS.display),
        onset=pp.TimeElement(timestamp=_ts(case.symptom_onset)),
    )
    return pp.Phenopacket(
        id=case.id,
        subject=subject,
        phenotypic_features=feats,
        measurements=measurements,
        diseases=[disease],
        medical_actions=actions,
        meta_data=meta,
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


def phenopacket_to_case(packet: pp.Phenopacket, *, assessment_date: date | None = None) -> ImportResult:
    unmapped: list[Unmapped] = []
    signs, findings, symptoms = _by_id(vocab.SIGNS), _by_id(vocab.FINDINGS), _by_id(vocab.BULBAR_SYMPTOMS)
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
    exam: dict[str, Any] = {r: {"umn": [], "lmn": []} for r in REGIONS}
    exam["weakness"], exam["bulbar_symptoms"] = {}, []
    ncs: dict[str, bool] = {}
    genetics: dict[str, Any] = {"variants": []}
    imaging: dict[str, str] = {}
    emg: list[dict[str, Any]] = []
    for i, f in enumerate(packet.phenotypic_features):
        fid = f.type.id
        mods: dict[str, list[str]] = {}
        for m in f.modifiers:
            parts = m.id.split(":", 2)
            if len(parts) == 3 and parts[0] == "ALSDX":
                mods.setdefault(parts[1], []).append(parts[2])
        region: str | None = (mods.get("region") or [None])[0]  # type: ignore[list-item]
        if fid in signs and not f.excluded and region in REGIONS:
            sign = signs[fid]
            exam[region]["umn" if sign in UMN_SIGNS else "lmn"].append(sign)
        elif fid in findings:
            path = findings[fid].split(".")
            value = not f.excluded
            if path[0] == "exam" and len(path) == 3:
                exam["weakness"][path[2]] = value
            elif path[0] == "exam":
                exam[path[1]] = value
            elif path[0] == "ncs":
                ncs[path[1]] = value
            elif path[0] == "genetics":
                genetics[path[1]] = value
            else:
                doc[path[0]] = value
        elif fid in symptoms and not f.excluded:
            exam["bulbar_symptoms"].append(symptoms[fid])
        elif fid == PROGRESSIVE.code:
            doc["course"] = "not_progressive" if f.excluded else "progressive"
        elif fid == _curie(vocab.ONSET_REGION) and region:
            doc["onset_region"] = region
        elif fid == "ALSDX:family-history-als":
            doc["family_history_als"] = not f.excluded
        elif fid == _curie(vocab.EMG_MUSCLE) and mods.get("muscle") and mods.get("side"):
            entry: dict[str, Any] = {"muscle": mods["muscle"][0], "side": mods["side"][0]}
            if mods.get("roots"):
                entry["roots"] = mods["roots"][0].split(",")
            for k in ("region", "nerve"):
                if mods.get(k):
                    entry[k] = mods[k][0]
            for k in vocab.EMG_COMPONENTS:
                entry[k] = k in mods.get("emg", [])
            emg.append(entry)
        elif fid == _curie(vocab.GENE_VARIANT) and mods.get("gene") and mods.get("classification"):
            genetics["variants"].append({"gene": mods["gene"][0], "classification": mods["classification"][0]})
        elif fid in (_curie(vocab.CERVICAL_MRI), _curie(vocab.BRAIN_MRI)) and mods.get("result"):
            key = "cervical_spine_mri" if fid == _curie(vocab.CERVICAL_MRI) else "brain_mri"
            imaging[key] = mods["result"][0]
        else:
            unmapped.append(Unmapped(f"phenotypicFeatures[{i}] {fid}", "feature not used by alsdx (or no region)"))
    labs: dict[date, dict[str, Any]] = {}
    labs_by_id = {_curie(c): k for k, (c, _) in vocab.LABS.items()}
    items_by_id = _by_id(vocab.ALSFRS_ITEMS)
    fvc: list[dict[str, Any]] = []
    visits: dict[date, dict[str, Any]] = {}
    for i, m in enumerate(packet.measurements):
        aid, when = m.assay.id, _date(m.time_observed.timestamp)
        q = m.value.quantity.value
        if aid in labs_by_id:
            labs.setdefault(when, {})[labs_by_id[aid]] = q
            if m.description.startswith("uln="):
                labs[when]["alt_uln_u_per_l"] = float(m.description.removeprefix("uln="))
        elif aid == _curie(vocab.ANTI_GM1_IGM):
            labs.setdefault(when, {})["anti_gm1_igm"] = (
                "positive" if m.value.ontology_class.id == _curie(vocab.POSITIVE) else "negative"
            )
        elif aid == _curie(vocab.FVC_PERCENT):
            fvc.append(
                {
                    "date": when.isoformat(),
                    "percent_predicted": q,
                    "position": "supine" if m.description == "supine" else "upright",
                }
            )
        elif aid == _curie(vocab.ALSFRS_TOTAL):
            visits.setdefault(when, {"items": {}})["gastrostomy"] = m.description == "gastrostomy"
        elif aid in items_by_id:
            visits.setdefault(when, {"items": {}})["items"][items_by_id[aid]] = int(q)
        elif aid == _curie(vocab.AR_CAG_REPEATS):
            genetics["ar_cag_repeats"] = int(q)
        elif aid == _curie(vocab.AGE_AT_ONSET):
            doc["age_at_onset"] = q
        else:
            unmapped.append(Unmapped(f"measurements[{i}] {aid}", "assay not used by alsdx"))
    meds_by_id = _by_id(vocab.MEDICATIONS)
    meds = []
    for i, a in enumerate(packet.medical_actions):
        agent = a.treatment.agent.id
        intervals = list(a.treatment.dose_intervals)
        if agent not in meds_by_id or not intervals:
            unmapped.append(Unmapped(f"medicalActions[{i}] {agent}", "treatment not tracked by alsdx or undated"))
            continue
        iv = intervals[0].interval
        meds.append(
            {
                "name": meds_by_id[agent],
                "start_date": _date(iv.start).isoformat(),
                "stop_date": _date(iv.end).isoformat() if iv.HasField("end") else None,
            }
        )
    doc.update(
        exam=exam,
        genetics=genetics,
        imaging=imaging,
        emg=emg,
        medications=meds,
        labs=[{"date": d.isoformat(), **v} for d, v in sorted(labs.items())],
        fvc=fvc,
        alsfrs_r=[
            {"date": d.isoformat(), "gastrostomy": v.get("gastrostomy", False), "items": v["items"]}
            for d, v in sorted(visits.items())
        ],
    )
    if ncs:
        doc["ncs"] = ncs
    try:
        return ImportResult(case_from_dict(doc, source="phenopacket"), unmapped)
    except CaseValidationError as exc:
        raise FhirInputError(str(exc)) from None
