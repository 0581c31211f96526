"""Case → FHIR R4 Bundle of findings (the inverse of :mod:`alsdx.fhir.to_case`).

Every field of the case is written, so ``bundle_to_case(case_to_bundle(case))`` gives back the same
case (tests/fhir/test_roundtrip.py). Codes come from :mod:`alsdx.fhir.vocab`. The Bundle is checked
with fhir.resources' R4B models before it is returned (docs/fhir.md explains why R4B).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from alsdx.fhir import vocab
from alsdx.fhir.narrative import narrate_bundle
from alsdx.model.case import Case
from alsdx.model.vocab import REGIONS

Resource = dict[str, Any]
_NS = uuid.UUID("5b0e7a8e-3c1f-4d6a-9a51-1f0a2c3d4e5f")


def urn(*parts: str) -> str:
    """A stable ``urn:uuid`` for one resource of one case, so exports are reproducible."""
    return f"urn:uuid:{uuid.uuid5(_NS, '/'.join(parts))}"


def category(code: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": vocab.OBS_CATEGORY, "code": code}]}]


def presence(present: bool) -> dict[str, Any]:
    return (vocab.PRESENT if present else vocab.ABSENT).concept()


class _Writer:
    def __init__(self, case: Case) -> None:
        self.case = case
        self.patient_ref = urn(case.id, "Patient")
        self.entries: list[dict[str, Any]] = []

    def add(self, resource: Resource, *key: str) -> str:
        full_url = urn(self.case.id, resource["resourceType"], *key)
        resource.setdefault("id", full_url.removeprefix("urn:uuid:"))
        self.entries.append({"fullUrl": full_url, "resource": resource})
        return full_url

    def observation(self, key: tuple[str, ...], code: vocab.Code, when: date, cat: str, **fields: Any) -> str:
        obs: Resource = {
            "resourceType": "Observation",
            "status": "final",
            "category": category(cat),
            "code": code.concept(),
            "subject": {"reference": self.patient_ref},
            "effectiveDateTime": when.isoformat(),
        }
        obs.update(fields)
        return self.add(obs, *key)


def case_to_bundle(case: Case) -> dict[str, Any]:
    """All findings of ``case`` as a FHIR R4 ``collection`` Bundle (JSON-ready dict)."""
    w = _Writer(case)
    today = case.assessment_date
    patient: Resource = {
        "resourceType": "Patient",
        "id": fhir_id(case.id),
        "identifier": [{"system": vocab.CASE_ID_SYSTEM, "value": case.id}],
        "gender": case.sex,
    }
    if case.birth_date is not None:
        patient["birthDate"] = case.birth_date.isoformat()
    w.entries.append({"fullUrl": w.patient_ref, "resource": patient})

    condition: Resource = {
        "resourceType": "Condition",
        "clinicalStatus": {"coding": [{"system": vocab.CONDITION_CLINICAL, "code": "active"}]},
        # alsdx supports a clinician's decision; it never confirms a diagnosis.
        "verificationStatus": {"coding": [{"system": vocab.CONDITION_VERIFICATION, "code": "provisional"}]},
        "code": vocab.ALS.concept(),
        "subject": {"reference": w.patient_ref},
        "onsetDateTime": case.symptom_onset.isoformat(),
    }
    if case.diagnosis_date is not None:
        # The clinician's diagnosis date: the date the condition was first asserted (docs/fhir.md).
        condition["extension"] = [{"url": vocab.ASSERTED_DATE_EXT, "valueDateTime": case.diagnosis_date.isoformat()}]
    w.add(condition, "condition")
    w.observation(
        ("onset-region",),
        vocab.ONSET_REGION,
        case.symptom_onset,
        "exam",
        valueCodeableConcept=vocab.REGION_CODES[case.onset_region].concept(),
    )
    w.observation(("course",), vocab.COURSE, today, "exam", valueCodeableConcept=vocab.VALUES[case.course].concept())
    if case.age_at_onset is not None:
        w.observation(
            ("age-at-onset",),
            vocab.AGE_AT_ONSET,
            case.symptom_onset,
            "exam",
            valueQuantity={"value": case.age_at_onset, "unit": "a", "system": vocab.UCUM, "code": "a"},
        )

    _exam(w, case)
    _emg(w, case)
    _labs(w, case)
    _genetics_and_imaging(w, case)
    _investigations(w, case)
    _alsfrs(w, case)
    for i, m in enumerate(case.fvc):
        position = vocab.SITTING if m.position == "upright" else vocab.SUPINE
        w.observation(
            ("fvc", str(i)),
            vocab.FVC_PERCENT,
            m.date,
            "exam",
            valueQuantity={"value": m.percent_predicted, "unit": "%", "system": vocab.UCUM, "code": "%"},
            extension=[{"url": vocab.BODY_POSITION_EXT, "valueCodeableConcept": position.concept()}],
        )
    for i, svc in enumerate(case.svc):
        w.observation(
            ("svc", str(i)),
            vocab.SVC_PERCENT,
            svc.date,
            "exam",
            valueQuantity={"value": svc.percent_predicted, "unit": "%", "system": vocab.UCUM, "code": "%"},
        )
    _respiratory(w, case)
    for i, weight in enumerate(case.weight):
        w.observation(
            ("weight", str(i)),
            vocab.BODY_WEIGHT,
            weight.date,
            "vital-signs",
            valueQuantity={"value": weight.weight_kg, "unit": "kg", "system": vocab.UCUM, "code": vocab.WEIGHT_UNIT},
        )
    for i, med in enumerate(case.medications):
        concept = vocab.MEDICATIONS[med.name].concept(text=vocab.MEDICATIONS[med.name].display)
        if med.name == "riluzole":
            concept["coding"].append(vocab.RILUZOLE_ATC.coding())
        period = {"start": med.start_date.isoformat()}
        if med.stop_date is not None:
            period["end"] = med.stop_date.isoformat()
        w.add(
            {
                "resourceType": "MedicationStatement",
                "status": "completed" if med.stop_date is not None else "active",
                "medicationCodeableConcept": concept,
                "subject": {"reference": w.patient_ref},
                "effectivePeriod": period,
            },
            "medication",
            str(i),
        )
    for present, code, key in (
        (case.family_history_als, vocab.ALS, "family-history"),
        (case.history.family_history_spastic_paraplegia, vocab.SPASTIC_PARAPLEGIA, "family-history-hsp"),
    ):
        if present:
            w.add(
                {
                    "resourceType": "FamilyMemberHistory",
                    "status": "completed",
                    "patient": {"reference": w.patient_ref},
                    "relationship": {
                        "coding": [{"system": vocab.FAMILY_RELATIONSHIP, "code": "FAMMEMB", "display": "family member"}]
                    },
                    "condition": [{"code": code.concept()}],
                },
                key,
            )
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": f"{today.isoformat()}T00:00:00Z",
        "entry": w.entries,
    }
    narrate_bundle(bundle)
    Bundle.model_validate(bundle)
    return bundle


def _exam(w: _Writer, case: Case) -> None:
    today = case.assessment_date
    for region in REGIONS:
        signs = case.exam.region(region)
        site = {"coding": [vocab.REGION_CODES[region].coding(), vocab.REGION_SITES[region].coding()]}
        for sign in [*signs.umn, *signs.lmn]:
            w.observation(
                ("sign", region, sign),
                vocab.SIGNS[sign],
                today,
                "exam",
                valueCodeableConcept=presence(True),
                bodySite=site,
            )
        if getattr(signs, "examined", True) and not (signs.umn or signs.lmn):
            w.observation(("examined", region), vocab.REGION_EXAMINED, today, "exam", valueBoolean=True, bodySite=site)
    for path, code in vocab.FINDINGS.items():
        value = _get(case, path)
        if value is None:  # ncs not done, C9orf72 not tested
            continue
        w.observation(
            ("finding", path),
            code,
            today,
            _finding_category(path),
            valueCodeableConcept=presence(bool(value)),
        )
    for symptom in case.exam.bulbar_symptoms:
        w.observation(
            ("bulbar-symptom", symptom),
            vocab.BULBAR_SYMPTOMS[symptom],
            today,
            "exam",
            valueCodeableConcept=presence(True),
        )
    tongue = case.exam.tongue_fasciculations
    if tongue is not None:
        value = presence(tongue == "present")
        if tongue == "symmetric_movements_only":  # not fasciculations (seed note): absent, and what was seen
            value["coding"].append(vocab.VALUES[tongue].coding())
        w.observation(
            ("tongue-fasciculations",), vocab.TONGUE_FASCICULATIONS, today, "exam", valueCodeableConcept=value
        )


def _finding_category(path: str) -> str:
    if path.startswith("ncs."):
        return "procedure"
    if path.startswith("genetics."):
        return "laboratory"
    if path.startswith("history."):
        return "social-history"
    return "exam"


def fhir_id(case_id: str) -> str:
    """A FHIR id for the Patient (``[A-Za-z0-9.-]``); the case id itself travels in Patient.identifier."""
    return case_id.replace("_", "-")


def _get(case: Case, path: str) -> Any:
    value: Any = case
    for part in path.split("."):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def _emg(w: _Writer, case: Case) -> None:
    for i, m in enumerate(case.emg):
        assert m.region is not None and m.roots is not None and m.nerve is not None
        components = [
            {"code": vocab.EMG_SIDE.concept(), "valueCodeableConcept": vocab.SIDES[m.side].concept()},
            {
                "code": vocab.EMG_REGION.concept(),
                "valueCodeableConcept": vocab.REGION_CODES[m.region].concept(),
            },
            {"code": vocab.EMG_ROOTS.concept(), "valueString": ",".join(m.roots)},
            {"code": vocab.EMG_NERVE.concept(), "valueString": m.nerve},
        ]
        for field, code in vocab.EMG_COMPONENTS.items():
            components.append({"code": code.concept(), "valueBoolean": bool(getattr(m, field))})
        w.observation(
            ("emg", str(i)),
            vocab.EMG_MUSCLE,
            case.assessment_date,
            "procedure",
            bodySite={
                "coding": [{"system": vocab.ALSDX_MUSCLE, "code": m.muscle, "display": m.muscle.replace("_", " ")}]
            },
            component=components,
        )


def _quantity(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": vocab.UCUM, "code": unit}


def _labs(w: _Writer, case: Case) -> None:
    """One DiagnosticReport per dated panel, its results one Observation per analyte (so panels sharing a
    date, and a panel with no value, come back as they were)."""
    for i, panel in enumerate(case.labs):
        report: Resource = {
            "resourceType": "DiagnosticReport",
            "status": "final",
            "category": [{"coding": [{"system": vocab.DIAGNOSTIC_SERVICE, "code": "LAB"}]}],
            "code": vocab.LAB_REPORT.concept(),
            "subject": {"reference": w.patient_ref},
            "effectiveDateTime": panel.date.isoformat(),
        }
        w.add(report, "lab-report", str(i))  # before its results; "result" is filled in below
        results: list[str] = []
        for field, (code, unit) in vocab.LABS.items():
            value = getattr(panel, field)
            uln = getattr(panel, vocab.ULN_OF[field]) if field in vocab.ULN_OF else None
            if value is None and uln is None:
                continue
            extra: dict[str, Any] = {}
            if value is None:  # a limit without its value: the analyte, value unknown, with its range
                extra["dataAbsentReason"] = {"coding": [{"system": vocab.DATA_ABSENT_REASON, "code": "unknown"}]}
            else:
                extra["valueQuantity"] = _quantity(value, unit)
            if uln is not None:
                extra["referenceRange"] = [{"high": _quantity(uln, unit)}]
            results.append(w.observation(("lab", str(i), field), code, panel.date, "laboratory", **extra))
        for field, (code, values) in vocab.CATEGORICAL_LABS.items():
            value = getattr(panel, field)
            if value is None:
                continue
            value_code = values[value]
            if value_code.system == vocab.OBS_INTERPRETATION:
                extra = {"interpretation": [value_code.concept()]}
            else:
                extra = {"valueCodeableConcept": value_code.concept()}
            results.append(w.observation(("lab", str(i), field), code, panel.date, "laboratory", **extra))
        if results:
            report["result"] = [{"reference": r} for r in results]


def _genetics_and_imaging(w: _Writer, case: Case) -> None:
    today = case.assessment_date
    for i, v in enumerate(case.genetics.variants):
        w.observation(
            ("variant", str(i)),
            vocab.GENE_VARIANT,
            today,
            "laboratory",
            component=[
                {"code": vocab.VARIANT_GENE.concept(), "valueString": v.gene},
                {
                    "code": vocab.VARIANT_CLASSIFICATION.concept(),
                    "valueCodeableConcept": vocab.VALUES[v.classification].concept(),
                },
            ],
        )
    if case.genetics.ar_cag_repeats is not None:
        w.observation(("ar-cag",), vocab.AR_CAG_REPEATS, today, "laboratory", valueInteger=case.genetics.ar_cag_repeats)
    for field, code in vocab.IMAGING.items():
        value = getattr(case.imaging, field)
        if value != "not_done":
            w.observation((field,), code, today, "imaging", valueCodeableConcept=vocab.VALUES[value].concept())


def _investigations(w: _Writer, case: Case) -> None:
    for i, inv in enumerate(case.investigations):
        w.observation(
            ("investigation", str(i)),
            vocab.INVESTIGATIONS[inv.test],
            inv.date,
            "procedure",
            valueCodeableConcept=vocab.VALUES[inv.result].concept(),
        )


def _respiratory(w: _Writer, case: Case) -> None:
    for i, m in enumerate(case.respiratory):
        components: list[dict[str, Any]] = []
        for field, code in vocab.RESPIRATORY.items():
            value = getattr(m, field)
            if value is None:
                continue
            if isinstance(value, bool):
                components.append({"code": code.concept(), "valueBoolean": value})
            else:
                components.append({"code": code.concept(), "valueQuantity": _quantity(value, vocab.RESPIRATORY_UNIT)})
        w.observation(
            ("respiratory", str(i)),
            vocab.RESPIRATORY_PANEL,
            m.date,
            "exam",
            **({"component": components} if components else {}),
        )


def _alsfrs(w: _Writer, case: Case) -> None:
    for i, visit in enumerate(case.alsfrs_r):
        items = visit.items.model_dump()
        members: dict[str, Any] = {}
        if None not in items.values():  # a visit loaded with unanswered items has no total
            total_url = w.observation(
                ("alsfrs-total", str(i)),
                vocab.ALSFRS_TOTAL,
                visit.date,
                "survey",
                valueInteger=sum(items.values()),
            )
            members["hasMember"] = [{"reference": total_url}]
        components: list[dict[str, Any]] = [
            {"code": vocab.ALSFRS_ITEMS[name].concept(), "valueInteger": score}
            for name, score in items.items()
            if score is not None
        ]
        components.append({"code": vocab.GASTROSTOMY.concept(), "valueBoolean": visit.gastrostomy})
        w.observation(("alsfrs", str(i)), vocab.ALSFRS_PANEL, visit.date, "survey", component=components, **members)
