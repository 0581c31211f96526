"""FHIR as hospitals send it (issue 16): SNOMED CT exam findings with a body site, ICD-10-CM/GM and ICD-11 problem
codes, ALT and FVC variants, UCUM units, ALSFRS-R totals as quantities, onset as a year/month/age, and a region
omitted when the record has no coded finding for it. Resources reproduce the facts of HL7's R4 examples where one
exists (named in each test)."""

from __future__ import annotations

from datetime import date

import pytest
from fhir_bundles import reasons, searchset

from alsdx.fhir import vocab
from alsdx.fhir.errors import NoMndCondition, NoOnsetDate
from alsdx.fhir.to_case import bundle_to_case, complete_partial_date

SCT = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UPPER_LIMB = {"coding": [{"system": SCT, "code": "53120007", "display": "Upper limb structure"}]}
LOWER_LIMB = {"coding": [{"system": SCT, "code": "61685007", "display": "Lower limb structure"}]}


def patient(**kw):
    # HL7 R4 patient-example facts: Patient/example, male, born 1974-12-25.
    return {"resourceType": "Patient", "id": "example", "gender": "male", "birthDate": "1974-12-25", **kw}


def condition(code="G12.21", system=vocab.ICD10CM, **onset):
    onset = onset or {"onsetDateTime": "2025-03-10"}
    return {
        "resourceType": "Condition",
        "id": "mnd",
        "clinicalStatus": {"coding": [{"system": vocab.CONDITION_CLINICAL, "code": "active"}]},
        "verificationStatus": {"coding": [{"system": vocab.CONDITION_VERIFICATION, "code": "confirmed"}]},
        "code": {"coding": [{"system": system, "code": code}]},
        "subject": {"reference": "Patient/example"},
        **onset,
    }


def obs(oid, code, system=SCT, when="2026-03-01", **kw):
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "code": {"coding": [{"system": system, "code": code}]},
        "subject": {"reference": "Patient/example"},
        "effectiveDateTime": when,
        **kw,
    }


def read(*resources, **kw):
    return bundle_to_case(searchset([patient(), *resources]), assessment_date=date(2026, 3, 2), **kw)


# --- exam findings in SNOMED CT -------------------------------------------------------------------------------


def test_snomed_exam_findings_with_a_limb_body_site_are_signs_of_that_region_and_other_regions_are_not_examined():
    result = read(
        condition(),
        obs("hr", "86854008", bodySite=UPPER_LIMB, valueBoolean=True),  # Hyperreflexia
        obs("ho", "299849001", bodySite=UPPER_LIMB, valueBoolean=True),  # Hoffmann's reflex positive
        obs("at", "88092000", bodySite=LOWER_LIMB, valueBoolean=True),  # Muscle atrophy (HL7's own example code)
        obs("wk", "26544005", bodySite=LOWER_LIMB, valueBoolean=False),  # Muscle weakness, absent
        obs("sp", "221360009", bodySite=LOWER_LIMB, valueBoolean=True),  # Spasticity
    )
    exam = result.case.exam
    assert set(exam.cervical.umn) == {"hyperreflexia", "hoffmann"}
    assert exam.lumbosacral.lmn == ["atrophy"] and exam.lumbosacral.umn == ["spasticity"]
    assert result.regions_examined == ["cervical", "lumbosacral"]
    assert result.missing == []


def test_snomed_fasciculation_extensor_plantar_and_clonus_are_read_by_body_site():
    """82470000 Muscle fasciculation (HL7 IPS problem value set), 246586009 Extensor plantar response (FHIR R4B
    disease-symptom-procedure), 36649002 Clonus (UMLS C0009024): signs of the region their body site names."""
    result = read(
        condition(),
        obs("fa", "82470000", bodySite=UPPER_LIMB, valueBoolean=True),
        obs("bb", "246586009", bodySite=LOWER_LIMB, valueBoolean=True),
        obs("cl", "36649002", bodySite=LOWER_LIMB, valueBoolean=True),
    )
    exam = result.case.exam
    assert exam.cervical.lmn == ["fasciculations"]
    assert set(exam.lumbosacral.umn) == {"babinski", "clonus"}


def test_a_fasciculation_coded_at_the_tongue_is_a_bulbar_lmn_sign():
    tongue = {"coding": [{"system": SCT, "code": "21974007"}]}  # Tongue structure
    result = read(condition(), obs("tf", "82470000", bodySite=tongue, valueBoolean=True))
    assert result.case.exam.bulbar.lmn == ["fasciculations"]
    assert result.regions_examined == ["bulbar"]


def test_codes_next_to_the_read_ones_are_reported_not_read_as_signs():
    """39575007 is 'Urine looks dark' in public code lists, not clonus; 246584007 is the flexor (normal) plantar
    response; 7379000 pseudobulbar palsy is not pseudobulbar affect."""
    result = read(
        condition(),
        obs("u", "39575007", bodySite=LOWER_LIMB, valueBoolean=True),
        obs("f", "246584007", bodySite=LOWER_LIMB, valueBoolean=True),
        obs("p", "7379000", valueBoolean=True),
    )
    assert result.regions_examined == []
    assert {"Observation/u", "Observation/f", "Observation/p"} <= set(reasons(result))


def test_a_region_whose_only_coded_finding_is_absent_counts_as_examined():
    result = read(condition(), obs("wk", "26544005", bodySite=UPPER_LIMB, valueBoolean=False))
    assert result.regions_examined == ["cervical"]
    assert result.case.exam.cervical.lmn == []


def test_no_coded_finding_at_all_is_reported_as_missing_examination_findings():
    result = read(condition())
    assert result.regions_examined == []
    assert [m.input for m in result.missing] == ["examination findings"]


def test_a_snomed_finding_without_a_body_site_is_reported_not_guessed():
    result = read(condition(), obs("hr", "86854008", valueBoolean=True))
    assert "without a body site" in reasons(result)["Observation/hr"]
    assert result.regions_examined == []


def test_snomed_bulbar_symptoms_are_read():
    result = read(
        condition(),
        obs("d1", "8011004", valueBoolean=True),  # Dysarthria
        obs("d2", "40739000"),  # Dysphagia, asserted without a value = present
        obs("d3", "53827007", valueBoolean=True),  # Excessive salivation
    )
    assert set(result.case.exam.bulbar_symptoms) == {"dysarthria", "dysphagia", "sialorrhea"}


# --- problem-list codes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("system", "code"),
    [
        (vocab.SNOMED, "86044005"),
        (vocab.SNOMED, "37340000"),  # Motor neuron disease (disorder)
        (vocab.SNOMED, "81211007"),  # Primary lateral sclerosis
        (vocab.SNOMED, "54304004"),  # Progressive bulbar palsy
        (vocab.ICD10CM, "G12.21"),
        (vocab.ICD10CM, "G12.23"),
        (vocab.ICD10CM, "G12.22"),
        (vocab.ICD10CM, "G12.20"),
        (vocab.ICD10CM, "G12.29"),
        (vocab.ICD10GM, "G12.2"),
        (vocab.ICD10, "G12.2"),
        (vocab.ICD11, "8B60.0"),
        (vocab.ICD11, "8B60"),
    ],
)
def test_mnd_problem_codes_of_every_terminology_are_read(system, code):
    assert read(condition(code, system)).case.symptom_onset == date(2025, 3, 10)


@pytest.mark.parametrize(
    ("system", "code"),
    [
        (vocab.ICD10CM, "G12.1"),
        (vocab.ICD10CM, "G12.9"),
        (vocab.ICD10, "G12.21"),
        (vocab.ICD11, "8B61"),
        (vocab.SNOMED, "7379000"),  # Pseudobulbar palsy: a syndrome, not a motor neuron disease
        (vocab.ICD10CM, "37340000"),  # the SNOMED CT id of MND, in the wrong system
    ],
)
def test_neighbouring_codes_and_a_code_in_the_wrong_system_are_not_mnd(system, code):
    with pytest.raises(NoMndCondition):
        read(condition(code, system))


# --- onset as registries and EHRs record it ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2023", date(2023, 7, 1)), ("2023-05", date(2023, 5, 15)), ("2023-12", date(2023, 12, 15))],
)
def test_partial_dates_follow_the_registry_convention(text, expected):
    assert complete_partial_date(text) == expected


@pytest.mark.parametrize("text", ["2023-13", "2023-00", "23", "May 2023", "2023-05-01", ""])
def test_text_that_is_not_a_year_or_a_month_is_not_completed(text):
    assert complete_partial_date(text) is None


def test_an_onset_year_is_used_as_1_july_and_marked_approximate():
    result = read(condition(onsetDateTime="2024"))
    assert result.case.symptom_onset == date(2024, 7, 1)
    assert result.approximate and "approximate" in result.approximate[0] and "'2024'" in result.approximate[0]


def test_an_onset_month_in_onset_string_is_used_as_the_15th():
    result = read(condition(onsetString="2024-11"))
    assert result.case.symptom_onset == date(2024, 11, 15)


def test_an_onset_age_is_read_from_the_birth_date_at_mid_year():
    # born 1974-12-25; onset at age 50 -> between 2024-12-25 and 2025-12-25, mid-year ~ 2025-06-25
    result = read(
        condition(onsetAge={"value": 50, "unit": "years", "system": "http://unitsofmeasure.org", "code": "a"})
    )
    assert date(2025, 6, 20) <= result.case.symptom_onset <= date(2025, 6, 30)
    assert "age 50" in result.approximate[0]


@pytest.mark.parametrize(
    "onset",
    [
        {"onsetString": "spring, after the flu"},
        {"onsetAge": {"value": 50, "code": "mo", "system": "http://unitsofmeasure.org"}},
        {"recordedDate": "2026-01-01"},
    ],
)
def test_an_mnd_problem_without_a_usable_onset_is_its_own_error_naming_what_to_record(onset):
    with pytest.raises(NoOnsetDate, match="onsetDateTime"):
        read(condition(**onset))


# --- laboratory, FVC, weight, ALSFRS-R -----------------------------------------------------------------------


@pytest.mark.parametrize("code", ["1742-6", "1743-4", "76625-3"])
def test_alt_loinc_variants_are_alt(code):
    result = read(
        condition(),
        obs("alt", code, LOINC, valueQuantity={"value": 140, "unit": "U/L", "system": vocab.UCUM, "code": "U/L"}),
    )
    assert result.case.labs[0].alt_u_per_l == 140


def _fvc_litres(**kw):
    return obs(
        "fvc",
        "19868-9",
        LOINC,
        valueQuantity={"value": 1.9, "unit": "L", "system": vocab.UCUM, "code": "L"},
        **kw,
    )


def test_fvc_in_litres_with_percent_predicted_as_a_component():
    pct = {"code": {"coding": [{"system": LOINC, "code": "19872-1"}]}, "valueQuantity": {"value": 46, "code": "%"}}
    result = read(condition(), _fvc_litres(component=[pct]))
    assert [(m.percent_predicted, m.position) for m in result.case.fvc] == [(46.0, "upright")]


def test_fvc_in_litres_with_the_predicted_volume_gives_the_percentage():
    pred = {"code": {"coding": [{"system": LOINC, "code": "19869-7"}]}, "valueQuantity": {"value": 3.8, "code": "L"}}
    result = read(condition(), _fvc_litres(component=[pred]))
    assert result.case.fvc[0].percent_predicted == 50.0


def test_fvc_in_litres_beside_a_separate_percent_observation_is_not_reported():
    pct = obs("pct", "19872-1", LOINC, valueQuantity={"value": 46, "unit": "%", "code": "%"})
    result = read(condition(), _fvc_litres(), pct)
    assert [m.percent_predicted for m in result.case.fvc] == [46.0]
    assert "Observation/fvc" not in reasons(result)


def test_fvc_in_litres_alone_is_reported_with_what_is_missing():
    result = read(condition(), _fvc_litres())
    assert result.case.fvc == []
    assert "without % predicted" in reasons(result)["Observation/fvc"]


def test_hl7_r4_example_body_weight_in_pounds_is_converted():
    # Facts of HL7's R4 observation-example: LOINC 29463-7 (+ SNOMED 27113001 and a local code), 185 [lb_av], 2016-03-28.
    weight = obs(
        "example",
        "29463-7",
        LOINC,
        when="2016-03-28",
        valueQuantity={"value": 185, "unit": "lbs", "system": vocab.UCUM, "code": "[lb_av]"},
    )
    weight["code"]["coding"] += [
        {"system": SCT, "code": "27113001", "display": "Body weight"},
        {"system": "http://acme.org/devices/clinical-codes", "code": "body-weight"},
    ]
    result = bundle_to_case(searchset([patient(), condition(onsetDateTime="2015-06-01"), weight]))
    assert round(result.case.weight[0].weight_kg, 4) == 83.9146


@pytest.mark.parametrize("quantity", [{"value": 40}, {"value": 40, "code": "{score}"}])
def test_alsfrs_total_as_a_quantity_is_read_as_the_integer_score(quantity):
    result = read(condition(), obs("t", "82953-1", LOINC, valueQuantity=quantity))
    assert "without its 12 items" in reasons(result)["Observation/t"]  # the integer was read; the items are needed


@pytest.mark.parametrize("quantity", [{"value": 40.5}, {"value": 40, "code": "kg"}])
def test_alsfrs_total_that_is_not_a_whole_score_is_reported_as_such(quantity):
    result = read(condition(), obs("t", "82953-1", LOINC, valueQuantity=quantity))
    assert "neither an integer nor a whole-number quantity" in reasons(result)["Observation/t"]


def test_an_exported_case_keeps_its_examined_regions_even_without_signs():
    from pathlib import Path

    from alsdx.fhir.from_case import case_to_bundle
    from alsdx.model.load import load_case

    case = load_case(Path(__file__).resolve().parents[2] / "examples" / "cases" / "limb-onset-emg.yaml")
    bundle = case_to_bundle(case)
    codings = [c for e in bundle["entry"] for c in (e["resource"].get("code") or {}).get("coding", [])]
    examined = [c for c in codings if vocab.REGION_EXAMINED.matches(c)]
    empty = [
        r
        for r in ("bulbar", "cervical", "thoracic", "lumbosacral")
        if case.exam.region(r).examined and not case.exam.region(r).umn + case.exam.region(r).lmn
    ]
    assert len(examined) == len(empty) == 1  # bulbar: examined, nothing found (thoracic: not examined)
    result = bundle_to_case(bundle)
    assert result.regions_examined == ["bulbar", "cervical", "lumbosacral"]


def test_a_region_recorded_as_not_examined_stays_out():
    site = {"coding": [vocab.REGION_CODES["thoracic"].coding()]}
    result = read(
        condition(), obs("x", vocab.REGION_EXAMINED.code, vocab.ALSDX_FINDING, bodySite=site, valueBoolean=False)
    )
    assert result.regions_examined == []
    assert "not examined" in reasons(result)["Observation/x"]


# --- EMG muscles as SNOMED CT body sites (DICOM PS3.16 CID 6116) ---------------------------------------------------


def _emg(oid, site, side="24028007"):
    return obs(
        oid,
        vocab.EMG_MUSCLE.code,
        vocab.ALSDX_FINDING,
        bodySite={"coding": [{"system": SCT, **site}]},
        component=[
            {
                "code": {"coding": [vocab.EMG_SIDE.coding()]},
                "valueCodeableConcept": {"coding": [{"system": SCT, "code": side}]},
            },
            {"code": {"coding": [vocab.EMG_COMPONENTS["fibrillations_psw"].coding()]}, "valueBoolean": True},
        ],
    )


@pytest.mark.parametrize(
    ("code", "muscle"),
    [
        ("35259002", "deltoid"),
        ("6423006", "supraspinatus"),
        ("72573008", "infraspinatus"),
        ("15665001", "latissimus_dorsi"),
        ("22823000", "sternocleidomastoid"),
        ("5798000", "diaphragm"),
        ("1403006", "vastus_lateralis"),
        ("115982000", "abductor_digiti_minimi"),  # of the hand; 10245000 is the foot's
        ("72226001", "rectus_femoris"),
        ("21974007", "genioglossus"),  # "Tongue": the EMG of the tongue samples genioglossus
    ],
)
def test_an_emg_muscle_coded_as_a_snomed_body_site_is_read_as_that_muscle(code, muscle):
    result = read(condition(), _emg("e1", {"code": code}))
    assert [(m.muscle, m.side, m.fibrillations_psw) for m in result.case.emg] == [(muscle, "right", True)]
    assert "Observation/e1" not in reasons(result)


def test_an_emg_muscle_with_an_unknown_snomed_site_is_reported_not_guessed():
    result = read(condition(), _emg("e1", {"code": "71616004"}))  # "Muscle" (DICOM CID 6116's parent): which one?
    assert result.case.emg == []
    assert "muscle alsdx reads" in reasons(result)["Observation/e1"]


def test_every_snomed_muscle_site_names_a_muscle_of_the_muscle_table():
    from alsdx.model.muscles import muscle_table

    assert set(vocab.MUSCLE_SITES) | set(vocab.MUSCLE_SITES_IMPORT_ONLY) <= set(muscle_table())
    codes = [c.code for c in (*vocab.MUSCLE_SITES.values(), *vocab.MUSCLE_SITES_IMPORT_ONLY.values())]
    assert len(codes) == len(set(codes))  # one muscle per code


# --- suggested orders: standard code first, alsdx code second ---------------------------------------------------


@pytest.mark.parametrize(
    ("service", "system", "code"),
    [
        ("mri_cervical_spine", LOINC, "24935-9"),
        ("mri_brain", LOINC, "24590-2"),  # DICOM PS3.16 CID 646 "Brain MRI"
        ("pft", SCT, "127783003"),  # Spirometry (procedure), MII lung-function IG
    ],
)
def test_an_exported_order_carries_the_standard_code_first_and_the_alsdx_code_second(service, system, code):
    from alsdx.api.cds.cards import CardContext, service_request

    order = service_request(CardContext("hook-1", "p1"), service, "reason")["actions"][0]["resource"]
    first, second = order["code"]["coding"]
    assert (first["system"], first["code"]) == (system, code)
    assert (second["system"], second["code"]) == (vocab.ALSDX_SERVICE, vocab.SERVICES[service].code)


@pytest.mark.parametrize("service", ["emg", "anti_gm1"])
def test_orders_without_a_confirmed_standard_code_keep_the_alsdx_code_alone(service):
    concept = vocab.service_concept(service)
    assert [c["system"] for c in concept["coding"]] == [vocab.ALSDX_SERVICE]


@pytest.mark.parametrize(
    ("site", "muscle"),
    [
        ({"text": "FDI"}, "first_dorsal_interosseous"),  # EMG-report abbreviation (alsdx.model.vocabulary)
        ({"text": "tib ant"}, "tibialis_anterior"),
        (
            {"coding": [{"system": "https://hospital.example.org/sites", "code": "X1", "display": "APB"}]},
            "abductor_pollicis_brevis",
        ),
    ],
)
def test_an_emg_muscle_written_only_in_words_is_read_with_the_clinical_vocabulary(site, muscle):
    emg = _emg("e1", {"code": "0"})
    emg["bodySite"] = site
    result = read(condition(), emg)
    assert [m.muscle for m in result.case.emg] == [muscle]


def test_an_emg_site_in_words_that_is_no_muscle_of_the_table_is_reported():
    emg = _emg("e1", {"code": "0"})
    emg["bodySite"] = {"text": "left forearm"}
    result = read(condition(), emg)
    assert result.case.emg == [] and "muscle alsdx reads" in reasons(result)["Observation/e1"]


def test_svc_percent_predicted_is_read_and_a_value_in_litres_is_reported():
    """Slow vital capacity % predicted (alsdx code; no LOINC code verified offline) feeds the svc list (issue 19)."""
    svc = vocab.SVC_PERCENT.coding()
    ok = obs("s1", svc["code"], system=svc["system"], valueQuantity={"value": 71, "unit": "%", "code": "%"})
    litres = obs("s2", svc["code"], system=svc["system"], valueQuantity={"value": 3.1, "unit": "L", "code": "L"})
    result = read(condition(), ok, litres)
    assert [(m.date, m.percent_predicted) for m in result.case.svc] == [(date(2026, 3, 1), 71.0)]
    assert "SVC % predicted without a value in %" in reasons(result)["Observation/s2"]
