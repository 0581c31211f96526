"""Assessment → FHIR: valid under the R4B models, one Observation per criteria set carrying the category,
plan/prognosis rendered when the assessment has them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from alsdx.engine.assess import assess
from alsdx.fhir import vocab
from alsdx.fhir.from_assessment import assessment_to_bundle
from alsdx.model.load import load_case

EXAMPLES = sorted(Path(__file__).resolve().parents[2].joinpath("examples", "cases").glob("*.yaml"))


def _by_type(bundle, rtype):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == rtype]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_criteria_observations_carry_each_category(path):
    a = assess(load_case(path))
    bundle = assessment_to_bundle(a)
    Bundle.model_validate(bundle)
    observations = {o["code"]["coding"][0]["code"]: o for o in _by_type(bundle, "Observation")}
    for name in ("el_escorial_1994", "revised_el_escorial", "awaji", "gold_coast"):
        value = observations[name]["valueCodeableConcept"]["coding"][0]
        assert value == vocab.category_code(name, getattr(a.criteria, name).category).coding()
    (impression,) = _by_type(bundle, "ClinicalImpression")
    assert impression["status"] == "completed"
    assert "not a diagnosis" in impression["description"]
    assert len(impression["finding"]) == 4 + 1 + len(a.mimics)  # criteria sets, PLS, one per raised mimic
    plan = a.model_dump(mode="json")["plan"]
    (care_plan,) = _by_type(bundle, "CarePlan")
    n_monitoring = sum(len(m["monitoring"]) for m in plan["medications"])
    expected = len(plan["referrals"]) + len(plan["medications"]) + n_monitoring + len(plan["follow_up"])
    assert len(care_plan["activity"]) == expected + len(plan["monitoring"])
    due = [r for r in _by_type(bundle, "ServiceRequest") if r.get("occurrenceDateTime") == plan["assessment_date"]]
    codes = {c["code"] for r in due for c in r["code"].get("coding", [])}
    assert ("pulmonary-function-tests" in codes) == bool(plan["monitoring"])  # the FVC-recency plan item
    assert len(_by_type(bundle, "DetectedIssue")) == len(plan["alerts"])
    assert not _by_type(bundle, "RiskAssessment")


def test_plan_and_prognosis_are_rendered_when_present():
    a = assess(load_case(EXAMPLES[0])).model_dump(mode="json")
    a["course"] = {"prognosis": {"risk_group": "intermediate", "median_survival_months": 32.5}}
    a["plan"] = {
        "referrals": [{"discipline": "respiratory", "reason": "FVC below 80 %"}],
        "medications": [
            {
                "name": "riluzole",
                "schedule": [{"date": "2026-01-20", "action": "start"}],
                "monitoring": [{"date": "2026-02-20", "test": "ALT"}],
            }
        ],
        "alerts": [{"id": "riluzole_stop_alt_5x_uln", "severity": "critical", "message": "ALT ≥ 5 × ULN"}],
    }
    a["mimics"] = [
        {
            "id": "mmn",
            "name": "Multifocal motor neuropathy",
            "level": "red_flag",
            "red_flags": ["conduction block"],
            "workup": ["anti-GM1"],
        }
    ]
    bundle = assessment_to_bundle(a)
    Bundle.model_validate(bundle)
    (risk,) = _by_type(bundle, "RiskAssessment")
    assert risk["prediction"][0]["qualitativeRisk"]["text"] == "intermediate"
    (plan,) = _by_type(bundle, "CarePlan")
    assert len(plan["activity"]) == 3
    (med,) = _by_type(bundle, "MedicationRequest")
    assert med["medicationCodeableConcept"]["coding"][0] == vocab.MEDICATIONS["riluzole"].coding()
    monitoring = [s for s in _by_type(bundle, "ServiceRequest") if s.get("occurrenceDateTime")]
    assert monitoring[0]["code"]["coding"][0]["code"] == "1742-6"
    (issue,) = _by_type(bundle, "DetectedIssue")
    assert issue["severity"] == "high"
    (impression,) = _by_type(bundle, "ClinicalImpression")
    assert any("Multifocal" in f.get("itemCodeableConcept", {}).get("text", "") for f in impression["finding"])
    assert "None" not in str(bundle)
