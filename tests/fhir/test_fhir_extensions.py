"""The course and mimics extensions of the case file (docs/case-format.md "Extensions") in FHIR R4 and
Phenopackets: a case with every new field set comes back unchanged, the export uses the standard codes named
in vocab.py, and EHR-style input of these fields is read or reported, never dropped."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fhir_bundles import assert_fhir_round_trip, reasons, searchset

from alsdx.engine.assess import assess
from alsdx.fhir import vocab
from alsdx.fhir.from_case import case_to_bundle
from alsdx.fhir.phenopacket import case_to_phenopacket_json, phenopacket_json_to_case
from alsdx.fhir.to_case import bundle_to_case
from alsdx.model.case import Case

LOINC, HPO, SCT = vocab.LOINC, vocab.HPO, vocab.SNOMED

FULL = {
    "id": "full_extensions.1",  # '_' is not allowed in a FHIR id: the case id travels in Patient.identifier
    "sex": "male",
    "birth_date": "1961-02-03",
    "symptom_onset": "2024-03-01",
    "diagnosis_date": "2024-11-20",
    "assessment_date": "2025-09-15",
    "onset_region": "cervical",
    "course": "progressive",
    "exam": {
        "bulbar": {"umn": ["jaw_jerk"], "lmn": ["fasciculations"]},
        "cervical": {"umn": ["hoffmann"], "lmn": ["weakness", "atrophy"]},
        "sensory_loss": True,
        "dorsal_column_sensory_loss": True,
        "fatigable_weakness": True,
        "weakness_fluctuating": True,
        "ptosis_or_diplopia": True,
        "perioral_fasciculations": True,
        "tremor": True,
        "split_hand": True,
        "head_drop": True,
        "tongue_fasciculations": "symmetric_movements_only",
        "severe_pain_at_onset": True,
        "myalgia": True,
        "ataxia": True,
        "asymmetric_lower_cranial_nerve_signs": True,
        "bulbar_symptoms": ["dysphagia", "dysarthria"],  # not in vocabulary order: order is kept
    },
    "history": {
        "prior_paralytic_polio": True,
        "gastric_surgery_or_zinc_excess": True,
        "lead_exposure": True,
        "endemic_htlv1_origin": True,
        "ashkenazi_ancestry": True,
        "known_malignancy": True,
        "testicular_atrophy_or_reduced_fertility": True,
        "subacute_onset": True,
        "family_history_spastic_paraplegia": True,
    },
    "ncs": {
        "motor_conduction_block": False,
        "sensory_abnormal": True,
        "slowed_conduction_demyelinating": True,
        "rns_decrement": False,
    },
    "labs": [
        {
            "date": "2025-09-01",
            "ck_u_per_l": 720,
            "ck_uln_u_per_l": 200,
            "ast_u_per_l": 30,
            "anc_10e9_per_l": 3.2,
            "anti_gm1_igm": "negative",
            "tsh_mu_per_l": 1.8,
            "calcium_mmol_per_l": 2.35,
            "b12_pmol_per_l": 410,
            "copper_umol_per_l": 15.0,
            "csf_protein_g_per_l": 0.4,
            "csf_oligoclonal_bands": "negative",
            "paraprotein": "absent",
            "hiv": "negative",
            "htlv1": "positive",
            "achr_antibodies": "negative",
            "musk_antibodies": "negative",
            "onconeural_antibodies": "negative",
            "hexa_activity": "low",
            "blood_lead": "raised",
        },
        {"date": "2025-09-01", "ck_u_per_l": 650},  # a second panel on the same date stays a second panel
        {"date": "2025-06-01", "alt_uln_u_per_l": 40},  # a limit without its value
        {"date": "2025-05-01"},  # a dated panel that records nothing
    ],
    "imaging": {"lumbosacral_spine_mri": "compressive_lesion"},
    "investigations": [
        {"test": "muscle_biopsy", "date": "2025-08-01", "result": "abnormal"},
        {"test": "vlcfa", "date": "2025-07-01", "result": "normal"},
    ],
    "fvc": [
        {"date": "2025-09-15", "percent_predicted": 71, "position": "supine"},
        {"date": "2025-09-15", "percent_predicted": 80, "position": "upright"},
    ],
    "respiratory": [
        {"date": "2025-09-15", "snip_cm_h2o": 38, "mip_cm_h2o": -55, "nocturnal_oximetry_abnormal": True},
        {"date": "2025-03-01", "snip_cm_h2o": 61.5},
        {"date": "2025-01-01"},
    ],
}


def full_case() -> Case:
    return Case.model_validate(FULL)


def test_every_extension_field_is_set_in_the_full_case():
    case = full_case()
    exam_fields = list(type(case.exam).model_fields)
    extensions = exam_fields[exam_fields.index("fatigable_weakness") :]
    assert [f for f in extensions if getattr(case.exam, f) in (False, None)] == []
    assert all(case.history.model_dump().values())
    assert [f for f, v in case.labs[0].model_dump().items() if v is None] == ["alt_u_per_l", "alt_uln_u_per_l"]
    assert case.diagnosis_date and case.respiratory and case.investigations
    assert case.imaging.lumbosacral_spine_mri != "not_done" and case.ncs and case.ncs.rns_decrement is False


def test_fhir_round_trip_of_every_extension_field():
    case = full_case()
    assert_fhir_round_trip(case)


def test_phenopacket_round_trip_of_every_extension_field():
    case = full_case()
    result = phenopacket_json_to_case(case_to_phenopacket_json(case))
    assert result.unmapped == []
    assert result.case == case
    assert assess(result.case).model_dump(mode="json") == assess(case).model_dump(mode="json")


def _resources(bundle, rtype):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == rtype]


def _by_code(bundle, system, code):
    return [
        r
        for r in _resources(bundle, "Observation")
        if any(c["system"] == system and c["code"] == code for c in r["code"]["coding"])
    ]


def test_fhir_export_uses_standard_codes_and_structures():
    bundle = case_to_bundle(full_case())
    patient = _resources(bundle, "Patient")[0]
    assert patient["id"] == "full-extensions.1"
    assert patient["identifier"] == [{"system": vocab.CASE_ID_SYSTEM, "value": "full_extensions.1"}]
    (condition,) = _resources(bundle, "Condition")
    assert condition["extension"] == [{"url": vocab.ASSERTED_DATE_EXT, "valueDateTime": "2024-11-20"}]
    assert "recordedDate" not in condition
    reports = _resources(bundle, "DiagnosticReport")
    assert [r["effectiveDateTime"] for r in reports] == ["2025-09-01", "2025-09-01", "2025-06-01", "2025-05-01"]
    assert [len(r.get("result", [])) for r in reports] == [
        18,
        1,
        1,
        0,
    ]  # 8 quantities (CK with its limit), 10 categorical
    (tsh,) = _by_code(bundle, LOINC, "3016-3")
    assert tsh["valueQuantity"]["code"] == "m[IU]/L"
    ck = _by_code(bundle, LOINC, "2157-6")
    assert ck[0]["referenceRange"] == [{"high": {"value": 200, "unit": "U/L", "system": vocab.UCUM, "code": "U/L"}}]
    (alt_limit,) = _by_code(bundle, LOINC, "1742-6")
    assert "valueQuantity" not in alt_limit and alt_limit["dataAbsentReason"]["coding"][0]["code"] == "unknown"
    (lead,) = _by_code(bundle, LOINC, "5671-3")
    assert lead["interpretation"][0]["coding"][0]["code"] == "H"
    for code in ("14685-2", "14665-4", "2880-3"):
        assert len(_by_code(bundle, LOINC, code)) == 1
    (rns,) = _by_code(bundle, HPO, "HP:0003403")
    assert rns["valueCodeableConcept"]["coding"][0]["code"] == vocab.ABSENT.code
    (tongue,) = _by_code(bundle, HPO, "HP:0001308")
    assert [c["code"] for c in tongue["valueCodeableConcept"]["coding"]] == ["2667000", "symmetric_movements_only"]
    hsp = [
        f
        for f in _resources(bundle, "FamilyMemberHistory")
        if f["condition"][0]["code"]["coding"][0]["code"] == "HP:0001258"
    ]
    assert len(hsp) == 1


def test_phenopacket_export_uses_reference_ranges_and_a_diagnosis_feature():
    packet = json.loads(case_to_phenopacket_json(full_case()))
    ck = [m for m in packet["measurements"] if m["assay"]["id"] == "LOINC:2157-6"]
    assert ck[0]["value"]["quantity"]["referenceRange"]["high"] == 200
    assert [m["description"] for m in ck] == ["labs[0]", "labs[1]"]
    features = {f["type"]["id"]: f for f in packet["phenotypicFeatures"]}
    assert features["ALSDX:clinical-diagnosis"]["onset"]["timestamp"].startswith("2024-11-20")
    assert features["HP:0003473"].get("excluded") is None  # fatigable weakness present
    assert features["HP:0003403"]["excluded"] is True  # RNS done, no decrement


# --- EHR-style input ------------------------------------------------------------------------------


def obs(oid, code, system=HPO, when="2026-03-01", **kw):
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "code": {"coding": [{"system": system, "code": code}]},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": when,
        **kw,
    }


def bundle(*resources, condition_extra=None):
    condition = {
        "resourceType": "Condition",
        "id": "c1",
        "subject": {"reference": "Patient/p1"},
        "code": {"coding": [{"system": SCT, "code": "86044005"}]},
        "onsetDateTime": "2025-06-01",
        **(condition_extra or {}),
    }
    base = [{"resourceType": "Patient", "id": "p1", "gender": "male"}, condition]
    return searchset(base + list(resources))


PRESENT = {"valueCodeableConcept": {"coding": [{"system": SCT, "code": "52101004"}]}}
ABSENT = {"valueCodeableConcept": {"coding": [{"system": SCT, "code": "2667000"}]}}


@pytest.mark.parametrize(
    ("asserted", "expected", "reason"),
    [
        ("2025-10-02", date(2025, 10, 2), None),
        ("2025-01-01", None, "before the symptom onset"),
        ("2027-01-01", None, "after the assessment date"),
        ("2025-10", None, "not a full date"),
    ],
)
def test_diagnosis_date_is_the_condition_asserted_date(asserted, expected, reason):
    ext = {"extension": [{"url": vocab.ASSERTED_DATE_EXT, "valueDateTime": asserted}], "recordedDate": "2025-12-24"}
    result = bundle_to_case(bundle(condition_extra=ext), assessment_date=date(2026, 3, 1))
    assert result.case.diagnosis_date == expected
    if reason:
        assert reason in reasons(result)["Condition/c1"]
    else:
        assert result.unmapped == []


def test_disjunctive_fields_are_set_by_either_half_but_never_cleared_by_one():
    result = bundle_to_case(
        bundle(
            obs("ptosis", "HP:0000508", **PRESENT),
            obs("diplopia", "HP:0000651", **ABSENT),
            obs("testes", "HP:0000029", **ABSENT),
            obs("chin", "HP:0032507", valueBoolean=True),
        )
    )
    case = result.case
    assert case.exam.ptosis_or_diplopia is True
    assert case.exam.perioral_fasciculations is True
    assert case.history.testicular_atrophy_or_reduced_fertility is False  # the default: nothing said it
    why = reasons(result)
    assert set(why) == {"Observation/diplopia", "Observation/testes"}
    assert "only its presence sets history.testicular_atrophy_or_reduced_fertility" in why["Observation/testes"]


def test_lab_reports_group_results_and_loose_results_group_by_date():
    report = {
        "resourceType": "DiagnosticReport",
        "id": "r1",
        "status": "final",
        "category": [{"coding": [{"system": vocab.DIAGNOSTIC_SERVICE, "code": "LAB"}]}],
        "code": {"text": "Neuromuscular screen"},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": "2026-02-01",
        "result": [{"reference": "Observation/tsh"}, {"reference": "Observation/chol"}],
    }
    radiology = {**report, "id": "r2", "category": [{"text": "RAD"}], "code": {"text": "MRI"}, "result": []}
    only_unused = {**report, "id": "r3", "result": [{"reference": "Observation/chol"}]}
    result = bundle_to_case(
        bundle(
            obs("ck", "2157-6", LOINC, when="2026-02-01", valueQuantity={"value": 300, "code": "U/L"}),
            report,
            radiology,
            only_unused,
            obs("tsh", "3016-3", LOINC, when="2026-02-01", valueQuantity={"value": 2.1, "code": "uIU/mL"}),
            obs("chol", "2093-3", LOINC, when="2026-02-01", valueQuantity={"value": 5, "code": "mmol/L"}),
            obs("csf", "2880-3", LOINC, when="2026-02-03", valueQuantity={"value": 45, "code": "mg/dL"}),
            obs("b12", "14685-2", LOINC, when="2026-02-03", valueQuantity={"value": 300, "code": "pg/mL"}),
            obs(
                "lead",
                "5671-3",
                LOINC,
                when="2026-02-03",
                interpretation=[{"coding": [{"system": vocab.OBS_INTERPRETATION, "code": "N"}]}],
            ),
            obs("lead2", "5671-3", LOINC, when="2026-02-03", valueQuantity={"value": 3, "code": "ug/dL"}),
        )
    )
    labs = [p.model_dump(exclude_none=True) for p in result.case.labs]
    assert labs == [
        {"date": date(2026, 2, 1), "tsh_mu_per_l": 2.1},  # the report's panel, read first
        {"date": date(2026, 2, 1), "ck_u_per_l": 300.0},
        {"date": date(2026, 2, 3), "csf_protein_g_per_l": pytest.approx(0.45), "blood_lead": "normal"},
    ]
    why = reasons(result)
    assert "not a laboratory report" in why["DiagnosticReport/r2"]
    assert "none of its results" in why["DiagnosticReport/r3"]
    assert "unit 'pg/mL'" in why["Observation/b12"]
    assert "blood_lead without a raised / normal value" in why["Observation/lead2"]
    assert "not used by alsdx (http://loinc.org|2093-3)" in why["Observation/chol"]


def test_a_limit_alone_is_read_and_a_value_less_lab_is_reported():
    absent = {"dataAbsentReason": {"coding": [{"system": vocab.DATA_ABSENT_REASON, "code": "unknown"}]}}
    result = bundle_to_case(
        bundle(
            obs("ck", "2157-6", LOINC, referenceRange=[{"high": {"value": 190, "code": "U/L"}}], **absent),
            obs("alt", "1742-6", LOINC, **absent),
        )
    )
    assert result.case.labs[0].ck_uln_u_per_l == 190 and result.case.labs[0].ck_u_per_l is None
    assert "alt_u_per_l without a numeric value" in reasons(result)["Observation/alt"]


def test_tongue_family_history_and_investigations_from_ehr_resources():
    symmetric = {"coding": [{"system": SCT, "code": "2667000"}, vocab.VALUES["symmetric_movements_only"].coding()]}
    result = bundle_to_case(
        bundle(
            obs("t1", "HP:0001308", when="2026-01-01", **PRESENT),
            obs("t2", "HP:0001308", when="2026-02-01", valueCodeableConcept=symmetric),
            obs(
                "inv",
                "muscle_biopsy",
                vocab.ALSDX_INVESTIGATION,
                interpretation=[{"coding": [{"system": vocab.OBS_INTERPRETATION, "code": "A"}]}],
            ),
            obs("inv2", "vlcfa", vocab.ALSDX_INVESTIGATION),
            {
                "resourceType": "FamilyMemberHistory",
                "id": "f1",
                "status": "completed",
                "patient": {"reference": "Patient/p1"},
                "relationship": {"text": "brother"},
                "condition": [{"code": {"coding": [{"system": HPO, "code": "HP:0001258"}]}}],
            },
        )
    )
    case = result.case
    assert case.exam.tongue_fasciculations == "symmetric_movements_only"  # the later statement
    assert case.history.family_history_spastic_paraplegia is True and case.family_history_als is False
    assert [(i.test, i.result) for i in case.investigations] == [("muscle_biopsy", "abnormal")]
    assert "investigation vlcfa without a normal / abnormal result" in reasons(result)["Observation/inv2"]


def test_phenopacket_import_reports_unreadable_extension_items():
    packet = json.loads(case_to_phenopacket_json(full_case()))
    packet["phenotypicFeatures"].append({"type": {"id": "HP:0000508", "label": "Ptosis"}, "excluded": True})
    tsh = next(m for m in packet["measurements"] if m["assay"]["id"] == "LOINC:3016-3")
    tsh["value"]["quantity"]["unit"] = {"id": "UCUM:ng/dL", "label": "ng/dL"}
    undated = {**tsh, "assay": {"id": "LOINC:14665-4", "label": "copper"}}
    del undated["timeObserved"]
    packet["measurements"].append(undated)
    result = phenopacket_json_to_case(json.dumps(packet))
    reasons_ = {u.resource: u.reason for u in result.unmapped}
    assert any("its absence is not used" in r for r in reasons_.values())
    assert any(k.endswith("LOINC:3016-3") and "unit" in r for k, r in reasons_.items())
    assert any("without a timeObserved" in r for r in reasons_.values())
    assert result.case.labs[0].tsh_mu_per_l is None
    assert result.case.exam.ptosis_or_diplopia is True
