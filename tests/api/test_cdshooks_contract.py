"""CDS Hooks 2.0 contract tests, built from the specification's own examples and rules."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))
from cds_helpers import auth, hook_request, prefetch_for, settings

from alsdx.api.cds import ORDER_SELECT_ID, PATIENT_VIEW_ID, create_cds_app
from alsdx.engine.assess import assess
from alsdx.model.load import load_case

EXAMPLES = sorted(Path(__file__).resolve().parents[2].joinpath("examples", "cases").glob("*.yaml"))
PV = f"/cds-services/{PATIENT_VIEW_ID}"
TODAY = date(2026, 11, 23)


@pytest.fixture
def client():
    return TestClient(create_cds_app(settings(), today=lambda: TODAY))


def post(client, path, body, **kw):
    return client.post(path, json=body, headers=auth(path, **kw))


def test_discovery_shape(client):
    r = client.get("/cds-services", headers=auth("/cds-services"))
    assert r.status_code == 200
    services = r.json()["services"]
    assert {s["hook"] for s in services} == {"patient-view", "order-select"}
    for s in services:
        assert set(s) <= {"hook", "title", "description", "id", "prefetch"}
        assert s["description"] and s["id"] and s["title"]
        for template in s["prefetch"].values():
            assert "{{context.patientId}}" in template


def check_card(card):
    assert set(card) <= {
        "uuid",
        "summary",
        "detail",
        "indicator",
        "source",
        "suggestions",
        "selectionBehavior",
        "overrideReasons",
        "links",
        "extension",
    }
    assert len(card["summary"]) < 140
    assert card["indicator"] in {"info", "warning", "critical"}
    assert card["source"]["label"]
    assert urlsplit(card["source"]["url"]).scheme == "https"
    assert len(card["uuid"]) == 36
    if "suggestions" in card:
        assert card["selectionBehavior"] in {"at-most-one", "any"}
        for s in card["suggestions"]:
            assert s["label"] and s["uuid"]
            for action in s["actions"]:
                assert action["type"] == "create" and action["description"]
                assert action["resource"]["resourceType"] == "ServiceRequest"
    for link in card.get("links", []):
        assert link["type"] in {"absolute", "smart"} and link["label"] and link["url"]
    for value in card.values():
        assert value not in (None, "", [], {})


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_patient_view_with_full_prefetch_gives_the_assess_categories(client, path):
    case = load_case(path)
    r = post(client, PV, hook_request(case))
    assert r.status_code == 200, r.text
    cards = r.json()["cards"]
    for card in cards:
        check_card(card)
    uuids = [c["uuid"] for c in cards]
    assert len(set(uuids)) == len(uuids)
    summary_card = cards[0]
    expected = assess(case).model_dump(mode="json")["criteria"]
    assert summary_card["extension"]["alsdx.criteria"] == {k: v["category"] for k, v in expected.items()}
    assert summary_card["links"][0]["url"] == f"https://alsdx.example.org/patients/{case.id}"


def test_workup_card_suggests_service_requests(client):
    case = load_case(EXAMPLES[1])  # limb-onset-emg: exclusion pending, no MRI, anti-GM1 recorded
    cards = post(client, PV, hook_request(case)).json()["cards"]
    (workup,) = [
        c for c in cards if c["indicator"] == "warning" and "suggestions" in c and "Mimics to rule out" in c["summary"]
    ]
    assert "Cervical myelopathy" in workup["summary"]  # raised: no bulbar signs with mixed UMN/LMN signs
    labels = {s["label"] for s in workup["suggestions"]}
    assert labels == {"Order MRI cervical spine"}
    pft = [c for c in cards if "FVC" in c["summary"]]
    assert pft
    codings = pft[0]["suggestions"][0]["actions"][0]["resource"]["code"]["coding"]
    assert [c["code"] for c in codings] == ["127783003", "pulmonary-function-tests"]  # SNOMED CT spirometry first


def test_no_prefetch_and_no_fhir_server_is_412(client):
    case = load_case(EXAMPLES[0])
    r = post(client, PV, hook_request(case, prefetch=None))
    assert r.status_code == 412


def test_missing_required_key_is_412_but_missing_optional_key_is_not(client):
    case = load_case(EXAMPLES[0])
    prefetch = prefetch_for(case)
    del prefetch["medicationStatements"]
    assert post(client, PV, hook_request(case, prefetch=prefetch)).status_code == 200
    del prefetch["observations"]
    assert post(client, PV, hook_request(case, prefetch=prefetch)).status_code == 412


def test_spec_example_request_with_a_fhir_server_not_on_the_allow_list_is_refused_with_412(client):
    # The specification's calling example: prefetch only the Patient, fhirServer over plain http.
    body = {
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "fhirServer": "http://hooks.smarthealthit.org:9080",
        "hook": "patient-view",
        "fhirAuthorization": {
            "access_token": "some-opaque-fhir-access-token",
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "patient/Patient.read patient/Observation.read",
            "subject": "cds-service4",
        },
        "context": {"userId": "Practitioner/example", "patientId": "1288992", "encounterId": "89284"},
        "prefetch": {
            "patient": {
                "resourceType": "Patient",
                "gender": "male",
                "birthDate": "1925-12-23",
                "id": "1288992",
                "active": True,
            }
        },
    }
    r = post(client, PV, body)
    assert r.status_code == 412 and "allow-list" in r.json()["detail"]


def test_null_prefetch_means_no_data_and_no_mnd_means_no_cards(client):
    body = hook_request(
        load_case(EXAMPLES[0]),
        prefetch={"patient": None, "conditions": None, "observations": None, "measurements": None},
    )
    r = post(client, PV, body)
    assert r.status_code == 200 and r.json() == {"cards": []}


def test_bad_requests_are_400_or_404(client):
    case = load_case(EXAMPLES[0])
    assert post(client, PV, hook_request(case, hook="order-select")).status_code == 400
    body = hook_request(case)
    del body["context"]["patientId"]
    assert post(client, PV, body).status_code == 400
    body = hook_request(case)
    del body["hookInstance"]
    assert post(client, PV, body).status_code == 400
    assert post(client, "/cds-services/nope", hook_request(case)).status_code == 404


def test_feedback_spec_examples(client):
    path = f"{PV}/feedback"
    accepted = {
        "feedback": [
            {
                "card": "4e0a3a1e-3283-4575-ab82-028d55fe2719",
                "outcome": "accepted",
                "acceptedSuggestions": [{"id": "e56e1945-20b3-4393-8503-a1a20fd73152"}],
                "outcomeTimestamp": "2020-12-11T00:00:00Z",
            }
        ]
    }
    overridden = {
        "feedback": [
            {
                "card": "9368d37b-283f-44a0-93ea-547cebab93ed",
                "outcome": "overridden",
                "overrideReason": {
                    "reason": {"code": "d7ecf885", "system": "https://example.com/cds-hooks/override"},
                    "userComment": "A comment entered by the clinician.",
                },
                "outcomeTimestamp": "2020-12-11T00:00:00Z",
            }
        ]
    }
    assert post(client, path, accepted).status_code == 200
    assert post(client, path, overridden).status_code == 200
    assert len(client.app.state.cds.feedback_log) == 2
    bad = {"feedback": [{"card": "x", "outcome": "accepted", "outcomeTimestamp": "2020-12-11T00:00:00Z"}]}
    assert post(client, path, bad).status_code == 400
    assert post(client, "/cds-services/nope/feedback", accepted).status_code == 404


def _order_body(alt, uln, drug_text="Riluzole 50 MG Oral Tablet"):
    order = {
        "resourceType": "MedicationRequest",
        "id": "rx1",
        "status": "draft",
        "intent": "order",
        "medicationCodeableConcept": {"text": drug_text},
        "subject": {"reference": "Patient/p1"},
    }
    obs = {
        "resourceType": "Observation",
        "id": "alt1",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "1742-6"}]},
        "effectiveDateTime": "2026-11-01",
        "valueQuantity": {"value": alt, "unit": "U/L"},
    }
    if uln is not None:
        obs["referenceRange"] = [{"high": {"value": uln, "unit": "U/L"}}]
    return {
        "hookInstance": "f1",
        "hook": "order-select",
        "context": {
            "userId": "Practitioner/1",
            "patientId": "p1",
            "selections": ["MedicationRequest/rx1"],
            "draftOrders": {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": order}]},
        },
        "prefetch": {"alt": {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": obs}]}},
    }


@pytest.mark.parametrize(
    ("alt", "uln", "indicator"),
    [
        (119.0, 40.0, None),
        (120.0, 40.0, None),  # 3.0 × ULN: the SmPC contraindicates "greater than 3 × ULN"
        (120.1, 40.0, "warning"),
        (199.0, 40.0, "warning"),
        (200.0, 40.0, "critical"),
        (80.0, None, "info"),
    ],
)
def test_order_select_riluzole_alt(client, alt, uln, indicator):
    path = f"/cds-services/{ORDER_SELECT_ID}"
    r = post(client, path, _order_body(alt, uln))
    assert r.status_code == 200, r.text
    cards = r.json()["cards"]
    assert [c["indicator"] for c in cards] == ([indicator] if indicator else [])
    for c in cards:
        check_card(c)


def test_order_select_ignores_other_drugs_and_needs_alt_data(client):
    path = f"/cds-services/{ORDER_SELECT_ID}"
    assert post(client, path, _order_body(300.0, 40.0, "Baclofen 10 MG")).json() == {"cards": []}
    body = _order_body(300.0, 40.0)
    del body["prefetch"]
    assert post(client, path, body).status_code == 412


def test_cors_is_configurable():
    app = create_cds_app(settings(cors_origins=("https://ehr.example.org",)), today=lambda: TODAY)
    r = TestClient(app).options(
        "/cds-services", headers={"Origin": "https://ehr.example.org", "Access-Control-Request-Method": "GET"}
    )
    assert r.headers["access-control-allow-origin"] == "https://ehr.example.org"
    r = TestClient(app).options(
        "/cds-services", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    )
    assert "access-control-allow-origin" not in r.headers
