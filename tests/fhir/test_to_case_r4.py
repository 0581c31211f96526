"""Import of EHR-style R4 resources: codes from other systems, units, and a reason for every unused item."""

from __future__ import annotations

from datetime import date

import pytest
from fhir_bundles import reasons, searchset

from alsdx.fhir import vocab
from alsdx.fhir.errors import FhirInputError, NoMndCondition
from alsdx.fhir.to_case import NOT_MND, bundle_to_case
from alsdx.model.case import ALSFRS_ITEMS

HPO = "http://human-phenotype-ontology.org"
SCT = "http://snomed.info/sct"
POS = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "code": "POS"}]}


def obs(oid, code, system=HPO, when="2026-03-01", **kw):
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": kw.pop("status", "final"),
        "code": {"coding": [{"system": system, "code": code}]},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": when,
        **kw,
    }


def bundle(*resources):
    base = [
        {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1960-05-01"},
        {
            "resourceType": "Condition",
            "id": "c1",
            "subject": {"reference": "Patient/p1"},
            "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "G12.21"}]},
            "onsetDateTime": "2025-06-01T10:00:00Z",
            "bodySite": [{"coding": [{"system": SCT, "code": "15926001"}]}],
        },
    ]
    return searchset(base + list(resources))


def test_ehr_style_resources_map_and_everything_else_is_reported():
    items = [{"linkId": k, "answer": [{"valueInteger": 3}]} for k in ALSFRS_ITEMS]
    items.append({"linkId": "gastrostomy", "answer": [{"valueBoolean": False}]})
    result = bundle_to_case(
        bundle(
            obs(
                "o1",
                "HP:0002380",
                bodySite={"coding": [{"system": SCT, "code": "53120007"}]},
                interpretation=[POS],
            ),
            obs(
                "o2",
                "HP:0003487",
                system="http://purl.obolibrary.org/obo/hp.owl",
                bodySite={"coding": [{"system": SCT, "code": "60051002"}]},
                valueBoolean=True,
            ),
            obs(
                "o3",
                "HP:0003487",
                bodySite={"coding": [{"system": SCT, "code": "15926001"}]},
                valueBoolean=True,
            ),
            obs("o4", "HP:0001347", valueBoolean=True),
            obs("o5", "751-8", system="http://loinc.org", valueQuantity={"value": 2500, "code": "/uL"}),
            obs(
                "o6",
                "1742-6",
                system="http://loinc.org",
                valueQuantity={"value": 2, "code": "ukat/L"},
                referenceRange=[{"high": {"value": 0.7, "code": "ukat/L"}}],
            ),
            obs("o7", "8867-4", system="http://loinc.org", valueQuantity={"value": 70, "code": "/min"}),
            obs("o8", "HP:0003474", status="entered-in-error", valueBoolean=True),
            obs("o9", "19872-1", system="http://loinc.org", valueQuantity={"value": 64, "code": "%"}),
            obs(
                "o10",
                "HP:0002380",
                when="2027-01-01",
                valueBoolean=True,
                bodySite={"coding": [{"system": SCT, "code": "54785003"}]},
            ),
            {**obs("o11", "HP:0002380", valueBoolean=True), "subject": {"reference": "Patient/other"}},
            {"resourceType": "Observation", "id": "bad", "code": {"coding": [{"system": HPO, "code": "HP:0002380"}]}},
            {"resourceType": "Observation", "id": "bad-unused", "code": {"coding": [{"code": "8310-5"}]}},
            {
                "resourceType": "MedicationRequest",
                "id": "m1",
                "status": "active",
                "intent": "order",
                "subject": {"reference": "Patient/p1"},
                "authoredOn": "2025-09-01",
                "medicationCodeableConcept": {"text": "Rilutek 50 mg tablet"},
            },
            {
                "resourceType": "MedicationStatement",
                "id": "m2",
                "status": "active",
                "subject": {"reference": "Patient/p1"},
                "medicationCodeableConcept": {"text": "Baclofen 10 mg"},
                "effectiveDateTime": "2025-09-01",
            },
            {
                "resourceType": "FamilyMemberHistory",
                "id": "f1",
                "status": "completed",
                "patient": {"reference": "Patient/p1"},
                "relationship": {"text": "mother"},
                "condition": [{"code": {"coding": [{"system": SCT, "code": "86044005"}]}}],
            },
            {
                "resourceType": "QuestionnaireResponse",
                "id": "q1",
                "status": "completed",
                "authored": "2026-02-01",
                "subject": {"reference": "Patient/p1"},
                "item": items,
            },
        ),
        assessment_date=date(2026, 3, 1),
    )
    case = result.case
    assert case.sex == "female" and case.birth_date == date(1960, 5, 1)
    assert case.symptom_onset == date(2025, 6, 1) and case.onset_region == "bulbar"
    assert case.exam.cervical.lmn == ["fasciculations"]
    assert case.exam.lumbosacral.umn == ["babinski"]
    assert case.labs[0].anc_10e9_per_l == 2.5
    assert case.labs[0].alt_u_per_l == 120.0 and case.labs[0].alt_uln_u_per_l == pytest.approx(42.0)
    assert case.fvc[0].position == "upright"
    assert case.medications[0].name == "riluzole"
    assert case.family_history_als is True
    assert sum(case.alsfrs_r[0].items.model_dump().values()) == 36
    assert case.course == "unknown"
    why = reasons(result)
    assert "cannot be in the bulbar region" in why["Observation/o3"]
    assert "without a body site" in why["Observation/o4"]
    assert "not used by alsdx (http://loinc.org|8867-4)" in why["Observation/o7"]
    assert "entered-in-error" in why["Observation/o8"]
    assert "after the assessment date" in why["Observation/o10"]
    assert "another patient" in why["Observation/o11"]
    assert why["Observation/bad"] == "not a valid R4 Observation: status: Value for the field 'status' is required."
    assert why["Observation/bad-unused"] == "observation code not used by alsdx (None|8310-5)"
    assert "not one alsdx tracks" in why["MedicationStatement/m2"]
    assert len(why) == 9
    assert any("FVC without a body position" in a for a in result.assumptions)
    assert any("course 'unknown'" in a for a in result.assumptions)


def test_later_absent_replaces_earlier_present():
    site = {"coding": [{"system": SCT, "code": "54785003"}]}
    absent = {"coding": [{"system": SCT, "code": "2667000"}]}
    result = bundle_to_case(
        bundle(
            obs("a", "HP:0002380", when="2026-01-01", bodySite=site, valueBoolean=True),
            obs("b", "HP:0002380", when="2026-02-01", bodySite=site, valueCodeableConcept=absent),
        )
    )
    assert result.case.exam.cervical.lmn == []
    assert result.case.assessment_date == date(2026, 2, 1)


def test_unconvertible_unit_is_reported_not_guessed():
    result = bundle_to_case(
        bundle(obs("ck", "2157-6", system="http://loinc.org", valueQuantity={"value": 3, "code": "mg/dL"}))
    )
    assert result.case.labs == []
    assert "unit 'mg/dL'" in reasons(result)["Observation/ck"]


def test_body_weight_is_read_in_ucum_mass_units_and_another_unit_is_reported():
    """UCUM kg, g and [lb_av] (HL7's R4 example body weight is 185 [lb_av]); 1 [lb_av] = 0.45359237 kg exactly."""

    def weight(oid: str, when: str, value: float, unit: str, code: str) -> dict:
        quantity = {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": code}
        return obs(oid, "29463-7", system="http://loinc.org", when=when, valueQuantity=quantity)

    result = bundle_to_case(
        bundle(
            weight("w1", "2025-01-10", 81.5, "kg", "kg"),
            weight("w2", "2026-02-01", 185, "lbs", "[lb_av]"),
            weight("w3", "2026-02-02", 70500, "g", "g"),
            weight("w4", "2026-02-03", 11, "stone", "[stone_av]"),
        )
    )
    got = [(w.date, round(w.weight_kg, 6)) for w in result.case.weight]
    assert got == [(date(2025, 1, 10), 81.5), (date(2026, 2, 1), 83.914588), (date(2026, 2, 2), 70.5)]
    assert "'[stone_av]'" in reasons(result)["Observation/w4"] and "[lb_av]" in reasons(result)["Observation/w4"]


def test_no_mnd_condition_and_not_a_bundle_are_errors():
    with pytest.raises(NoMndCondition, match="symptom_onset"):
        bundle_to_case(
            {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": obs("x", "HP:0001347")}]}
        )
    with pytest.raises(FhirInputError, match="expected a FHIR Bundle"):
        bundle_to_case({"resourceType": "Patient"})
    with pytest.raises(FhirInputError, match="assessment_date"):
        bundle_to_case({"resourceType": "Bundle", "type": "collection", "entry": []})


MALFORMED_UNUSED = [
    # an Observation and a Condition whose codes alsdx does not use, another resource type: each malformed
    obs("bp", "85354-9", system="http://loinc.org", status=7, valueQuantity="high"),
    {
        "resourceType": "Condition",
        "id": "htn",
        "subject": {"reference": "Patient/p1"},
        "code": {"coding": [{"system": SCT, "code": "38341003"}]},
        "onsetDateTime": "not a date",
    },
    {"resourceType": "Encounter", "id": "e1", "status": "finished", "class": "not a Coding"},
]


def test_unused_resources_are_reported_as_unused_without_validation_when_the_date_is_given():
    """docs/fhir.md: with the assessment date given (CDS Hooks), what alsdx cannot use is recognised by
    resource type and code and reported as not used; it is not validated, so its faults do not matter."""
    result = bundle_to_case(bundle(*MALFORMED_UNUSED), assessment_date=date(2026, 3, 1))
    assert reasons(result) == {
        "Observation/bp": "observation code not used by alsdx (http://loinc.org|85354-9)",
        "Condition/htn": NOT_MND,
        "Encounter/e1": "resource type Encounter is not used by alsdx",
    }
    assert result.case.symptom_onset == date(2025, 6, 1)


def test_without_the_date_unused_observations_and_conditions_are_validated():
    """Their dates may set the assessment date, so each is validated; a malformed one says why."""
    why = reasons(bundle_to_case(bundle(*MALFORMED_UNUSED)))
    assert why["Observation/bp"].startswith("not a valid R4 Observation: status:")
    assert why["Condition/htn"].startswith("not a valid R4 Condition: onsetDateTime:")
    assert why["Encounter/e1"] == "resource type Encounter is not used by alsdx"
    later = obs("hr", "8867-4", system="http://loinc.org", when="2026-05-01", valueQuantity={"value": 70})
    result = bundle_to_case(bundle(later))
    assert result.case.assessment_date == date(2026, 5, 1)
    assert reasons(result)["Observation/hr"] == "observation code not used by alsdx (http://loinc.org|8867-4)"


@pytest.mark.parametrize("given", [date(2026, 3, 1), None])
@pytest.mark.parametrize(
    ("resource", "reason"),
    [
        # a used code: validated whole, the fault is named
        (
            obs("s1", "HP:0002380", valueBoolean="perhaps"),
            "not a valid R4 Observation: valueBoolean: Input should be a valid boolean",
        ),
        (
            {**obs("s2", "HP:0002380"), "status": "final", "note": [{"text": 5}]},
            "not a valid R4 Observation: note.0.text: Input should be a valid string",
        ),
        # a code too malformed to compare: validated, the fault is named
        (obs("s3", "x") | {"code": "HP:0002380"}, "not a valid R4 Observation: code: "),
        (
            obs("s4", "x") | {"code": {"coding": [{"system": HPO, "code": 2380}]}},
            "not a valid R4 Observation: code.coding.0.code: ",
        ),
        # not a FHIR resource type at all
        ({"resourceType": "Nonsense", "id": "n1"}, "not a valid R4 Nonsense: Nonsense is not a valid FHIR Model"),
    ],
)
def test_a_malformed_resource_alsdx_would_use_names_the_field(resource, reason, given):
    why = reasons(bundle_to_case(bundle(resource), assessment_date=given))
    name = f"{resource['resourceType']}/{resource['id']}"
    assert why[name].startswith(reason)


def test_screening_by_code_gives_the_reason_full_validation_gives_for_every_alsdx_code():
    """Every code alsdx defines (HPO under each accepted system URI), as an Observation: screened (date
    given) and validated (date not given, the same date by default), the import has the same outcome —
    the same reason for the resource, none when a reader uses it, or the same case error. So screening
    never drops what a reader would read."""

    def outcome(assessment_date: date | None) -> str | None:
        try:
            result = bundle_to_case(bundle(o), assessment_date=assessment_date)
        except FhirInputError as exc:  # e.g. a finding that needs another field of the case
            return str(exc)
        assert result.case.assessment_date == date(2026, 3, 1)
        return reasons(result).get("Observation/x")

    codes = [(c.system, c.code) for c in vocab.all_codes()]
    codes += [(system, c.code) for c in vocab.all_codes() if c.system == vocab.HPO for system in vocab.HPO_ALIASES]
    assert len(codes) > 200
    differ, used = [], 0
    site = {"coding": [{"system": SCT, "code": "53120007"}]}
    for system, code in codes:
        o = obs("x", code, system=system, valueBoolean=True, bodySite=site)
        screened = outcome(date(2026, 3, 1))
        used += screened is None
        if screened != outcome(None):
            differ.append(f"{system}|{code}")
    assert differ == []
    assert used > 50  # the readers do use many of them (signs, findings, labs, ...)


def test_a_result_without_its_own_date_is_dated_by_the_report_or_panel_listing_it():
    """R4: DiagnosticReport.effective[x] is the clinically relevant time of its results (HL7's GHP example dates only
    the report and its panels). Report -> panel without a date -> result: the report's date; a later one is reported."""
    report = {
        "resourceType": "DiagnosticReport",
        "id": "r",
        "status": "final",
        "code": {"text": "General Health Profile"},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": "2026-02-10T08:00:00Z",
        "result": [{"reference": "Observation/panel"}],
    }
    panel = {**obs("panel", "24323-8", system="http://loinc.org"), "hasMember": [{"reference": "Observation/alt"}]}
    del panel["effectiveDateTime"]
    alt = obs("alt", "1742-6", system="http://loinc.org", valueQuantity={"value": 54, "unit": "U/L"})
    del alt["effectiveDateTime"]
    undated = obs("ast", "1920-8", system="http://loinc.org", valueQuantity={"value": 30, "unit": "U/L"})
    del undated["effectiveDateTime"]
    result = bundle_to_case(bundle(report, panel, alt, undated), assessment_date=date(2026, 3, 1))
    assert [(p.date, p.alt_u_per_l) for p in result.case.labs] == [(date(2026, 2, 10), 54.0)]
    assert reasons(result)["Observation/ast"] == "observation without a full effective date"
    assert any("listing them: DiagnosticReport/r (2026-02-10)" in a for a in result.assumptions)
    late = bundle_to_case(bundle(report, panel, alt), assessment_date=date(2026, 2, 1))
    assert (
        reasons(late)["Observation/alt"]
        == "dated 2026-02-10 by DiagnosticReport/r, after the assessment date 2026-02-01"
    )


def test_a_medication_no_record_alsdx_read_refers_to_is_reported():
    request = {
        "resourceType": "MedicationRequest",
        "id": "mr",
        "status": "active",
        "intent": "order",
        "subject": {"reference": "Patient/p1"},
        "authoredOn": "2025-09-01",
        "medicationReference": {"reference": "Medication/rilu"},
    }
    riluzole = {"resourceType": "Medication", "id": "rilu", "code": {"text": "Riluzole 50 mg tablet"}}
    other = {"resourceType": "Medication", "id": "other", "code": {"text": "Paracetamol"}}
    result = bundle_to_case(bundle(request, riluzole, other), assessment_date=date(2026, 3, 1))
    assert result.case.medications[0].name == "riluzole"
    assert reasons(result) == {
        "Medication/other": "Medication not referred to by any MedicationRequest or MedicationStatement alsdx read"
    }
