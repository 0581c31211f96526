"""Acceptance with data nobody on the team wrote (issue 16, "Done when"): HL7's official FHIR R4 example resources
(tests/data/hl7_r4_examples) assembled as an EHR sends them, and CDS Hooks requests built from the CDS Hooks 2.0.1
specification's own examples (tests/data/cds_hooks_spec), signed with the specification's example key.

What is checked: no error and no warning; every resource either used or reported with a reason; HL7's body weight
185 [lb_av] read as 83.91 kg; the official laboratory report's ALT read with its upper limit; cards valid under the
2.0.1 field tables; a record without an ALS/MND problem gets no cards (the specification's "no decision support");
the ALS record without coded examination findings gets "cannot be assessed from the coded record", never "not met"."""

from __future__ import annotations

import copy
import json
import sys
import time
import uuid
import warnings
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import jwt
import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator

sys.path.insert(0, str(Path(__file__).parent))
from cds_helpers import BASE, settings

from alsdx.api.cds import PATIENT_VIEW_ID, create_cds_app
from alsdx.api.cds.cards import NO_FINDINGS
from alsdx.api.cds.prefetch import PATIENT_VIEW_PREFETCH
from alsdx.fhir.errors import NoMndCondition
from alsdx.fhir.to_case import bundle_to_case

DATA = Path(__file__).resolve().parents[1] / "data"
PV = f"/cds-services/{PATIENT_VIEW_ID}"
TODAY = date(2026, 11, 23)
SCT = "http://snomed.info/sct"


def r4(name: str) -> dict[str, Any]:
    return json.loads((DATA / "hl7_r4_examples" / name).read_text(encoding="utf-8"))


def spec(name: str) -> dict[str, Any]:
    return json.loads((DATA / "cds_hooks_spec" / name).read_text(encoding="utf-8"))


VITAL_SIGNS = [
    "observation-example-bloodpressure.json",
    "observation-example-heart-rate.json",
    "observation-example-body-height.json",
    "observation-example-bmi.json",
    "observation-example-respiratory-rate.json",
    "observation-example-body-temperature.json",
    "observation-example-satO2.json",
    "observation-example-vitals-panel.json",
]
CONDITIONS = ["condition-example.json", "condition-example2.json", "condition-example-stroke.json"]


def official_record() -> list[dict[str, Any]]:
    """Everything HL7 publishes for Patient/example that alsdx might be sent: demographics, the body weight in
    pounds, the vital signs, an examination finding (abdominal tenderness) and three problems (burn, asthma, stroke)."""
    names = ["patient-example.json", "observation-example.json", *VITAL_SIGNS, "observation-example-abdo-tender.json"]
    return [r4(n) for n in [*names, *CONDITIONS]]


def als_condition() -> dict[str, Any]:
    """An ALS problem written the way HL7's condition-example.json writes a problem (same elements and code
    systems), coded SNOMED CT 86044005 and ICD-10-CM G12.21; no body site, no exam findings anywhere."""
    cond = copy.deepcopy(r4("condition-example.json"))
    for element in ("text", "severity", "bodySite"):
        cond.pop(element)
    cond["id"] = "als"
    cond["category"] = copy.deepcopy(r4("condition-example2.json")["category"])  # problem-list-item
    cond["code"] = {
        "coding": [
            {"system": SCT, "code": "86044005", "display": "Amyotrophic lateral sclerosis (disorder)"},
            {
                "system": "http://hl7.org/fhir/sid/icd-10-cm",
                "code": "G12.21",
                "display": "Amyotrophic lateral sclerosis",
            },
        ],
        "text": "ALS",
    }
    cond["onsetDateTime"] = "2025-09-01"
    return cond


def searchset(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "entry": [
            {
                "fullUrl": f"https://ehr.example.org/fhir/{r['resourceType']}/{r['id']}",
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in resources
        ],
    }


def name(resource: dict[str, Any]) -> str:
    return f"{resource['resourceType']}/{resource['id']}"


# -- the EHR: answers alsdx's prefetch templates from the record as a conformant FHIR server would ---------------


def ehr_answer(template: str, record: list[dict[str, Any]], patient_id: str) -> Any:
    """A prefetch template filled with the patient's id and answered from the record: a read returns the resource,
    a search the resources of that type of the patient whose code matches the ``code`` filter (``system|code`` or
    ``system|``). CDS Hooks 2.0.1: prefetched data "MUST be equivalent to" the answer of the FHIR server."""
    query = template.replace("{{context.patientId}}", patient_id)
    path, _, params = query.partition("?")
    if not params:
        rtype, rid = path.split("/")
        return next(r for r in record if r["resourceType"] == rtype and r["id"] == rid)
    args = dict(p.split("=", 1) for p in params.split("&"))
    tokens = {unquote(t) for t in args["code"].split(",")} if "code" in args else None

    def wanted(r: dict[str, Any]) -> bool:
        subject = (r.get("subject") or r.get("patient") or {}).get("reference")
        if r["resourceType"] != path or subject != f"Patient/{patient_id}":
            return False
        codings = r.get("code", {}).get("coding", [])
        return tokens is None or any({f"{c['system']}|{c['code']}", f"{c['system']}|"} & tokens for c in codings)

    return searchset([r for r in record if wanted(r)])


def prefetch(record: list[dict[str, Any]], patient_id: str = "example") -> dict[str, Any]:
    return {key: ehr_answer(template, record, patient_id) for key, template in PATIENT_VIEW_PREFETCH.items()}


# -- the CDS client: the specification's request, signed with the specification's example key ------------------


def spec_request(patient_id: str, body_prefetch: dict[str, Any]) -> dict[str, Any]:
    """The specification's patient-view request with this patient's id and alsdx's prefetch keys (same fields,
    same shape; a fresh hookInstance, since alsdx refuses a replayed call)."""
    body = spec("patient-view-request.json")
    body["hookInstance"] = str(uuid.uuid4())
    body["context"] = {**body["context"], "patientId": patient_id, "encounterId": "example"}
    body["prefetch"] = body_prefetch
    return body


def spec_signed_headers(path: str) -> dict[str, str]:
    """A JWT with the specification's example header and payload (ES384, kid, jku, iss, tenant) for this endpoint
    (``aud``) and now (``exp``, ``iat``, a new ``jti``), signed with the specification's example private key."""
    header = spec("jwt-header.json")
    key = jwt.algorithms.ECAlgorithm.from_jwk(json.dumps(spec("jwk-private.json")))
    now = int(time.time())
    claims = spec("jwt-payload.json") | {"aud": f"{BASE}{path}", "iat": now, "exp": now + 120, "jti": str(uuid.uuid4())}
    token = jwt.encode(claims, key, algorithm=header["alg"], headers={k: header[k] for k in ("kid", "typ", "jku")})
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def client(monkeypatch) -> TestClient:
    return spec_client(monkeypatch)


def spec_client(monkeypatch: pytest.MonkeyPatch, **service: Any) -> TestClient:
    """The CDS service trusting the specification's example EHR: its ``iss`` with the JWK Set at its ``jku``. The
    JWK Set is served from the specification's example (no network): alsdx's own JWKS fetch is what runs.
    ``service``: further arguments of ``create_cds_app`` (``trials``)."""
    header, payload, jwks = spec("jwt-header.json"), spec("jwt-payload.json"), spec("jwks-public.json")
    fetched: list[str] = []

    def ehr(request: httpx.Request) -> httpx.Response:
        fetched.append(str(request.url))
        if str(request.url) == header["jku"]:
            return httpx.Response(200, json=jwks)
        return httpx.Response(404)

    monkeypatch.setattr(httpx, "AsyncClient", partial(httpx.AsyncClient, transport=httpx.MockTransport(ehr)))
    cfg = settings(issuers={payload["iss"]: {"jwks_url": header["jku"]}})
    test_client = TestClient(create_cds_app(cfg, today=lambda: TODAY, **service))
    test_client.fetched = fetched  # type: ignore[attr-defined]
    return test_client


def call(client: TestClient, body: dict[str, Any]) -> httpx.Response:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning of any kind while alsdx answers
        return client.post(PV, json=body, headers=spec_signed_headers(PV))


# -- CDS Hooks 2.0.1 as a JSON Schema, transcribed from the specification's field tables -----------------------
# The specification publishes no schema (tests/data/cds_hooks_spec/README.md); each constraint below is a row of
# its tables: "HTTP Request", "fhirAuthorization", patient-view "Context" (hook library 1.0.1), "HTTP Response",
# "Card Attributes", "Source", "Suggestion", "Action", "Link", "Coding". `extension` is reserved for implementations.

_CODING = {"type": "object", "required": ["code", "system"], "properties": {"code": {"type": "string"}}}
_ACTION = {
    "type": "object",
    "required": ["type", "description"],
    "properties": {
        "type": {"enum": ["create", "update", "delete"]},
        "description": {"type": "string"},
        "resource": {"type": "object", "required": ["resourceType"]},
        "resourceId": {"type": "string"},
    },
}
CDS_REQUEST = {
    "type": "object",
    "required": ["hook", "hookInstance", "context"],
    "dependentRequired": {"fhirAuthorization": ["fhirServer"]},
    "additionalProperties": False,
    "properties": {
        "hook": {"type": "string"},
        "hookInstance": {"type": "string", "minLength": 1},
        "fhirServer": {"type": "string", "format": "uri"},
        "fhirAuthorization": {
            "type": "object",
            "required": ["access_token", "token_type", "expires_in", "scope", "subject"],
            "properties": {
                "access_token": {"type": "string"},
                "token_type": {"const": "Bearer"},
                "expires_in": {"type": "integer"},
                "scope": {"type": "string"},
                "subject": {"type": "string"},
                "patient": {"type": "string"},
            },
        },
        "context": {
            "type": "object",
            "required": ["userId", "patientId"],
            "properties": {
                "userId": {"type": "string", "pattern": "^(Practitioner|PractitionerRole|Patient|RelatedPerson)/.+"},
                "patientId": {"type": "string"},
                "encounterId": {"type": "string"},
            },
        },
        "prefetch": {"type": "object", "additionalProperties": {"type": ["object", "null"]}},
        "extension": {"type": "object"},
    },
}
CDS_RESPONSE = {
    "type": "object",
    "required": ["cards"],
    "additionalProperties": False,
    "properties": {
        "cards": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["summary", "indicator", "source"],
                "dependentRequired": {"suggestions": ["selectionBehavior"]},
                "additionalProperties": False,
                "properties": {
                    "uuid": {"type": "string"},
                    "summary": {"type": "string", "minLength": 1, "maxLength": 139},
                    "detail": {"type": "string"},
                    "indicator": {"enum": ["info", "warning", "critical"]},
                    "source": {
                        "type": "object",
                        "required": ["label"],
                        "properties": {
                            "label": {"type": "string", "minLength": 1},
                            "url": {"type": "string", "format": "uri"},
                            "icon": {"type": "string", "format": "uri"},
                            "topic": _CODING,
                        },
                    },
                    "suggestions": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["label"],
                            "properties": {
                                "label": {"type": "string"},
                                "uuid": {"type": "string"},
                                "isRecommended": {"type": "boolean"},
                                "actions": {"type": "array", "items": _ACTION},
                            },
                        },
                    },
                    "selectionBehavior": {"enum": ["at-most-one", "any"]},
                    "overrideReasons": {
                        "type": "array",
                        "items": _CODING | {"required": ["code", "system", "display"]},
                    },
                    "links": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["label", "url", "type"],
                            "properties": {
                                "label": {"type": "string"},
                                "url": {"type": "string", "format": "uri"},
                                "type": {"enum": ["absolute", "smart"]},
                                "appContext": {"type": "string"},
                                "autolaunchable": {"type": "boolean"},
                            },
                        },
                    },
                    "extension": {"type": "object"},
                },
            },
        },
        "systemActions": {"type": "array", "items": _ACTION},
        "extension": {"type": "object"},
    },
}


def errors(schema: dict[str, Any], instance: Any) -> list[str]:
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]


def test_the_transcribed_schema_accepts_the_specifications_own_examples_and_catches_violations():
    assert errors(CDS_REQUEST, spec("patient-view-request.json")) == []
    assert errors(CDS_REQUEST, {**spec("patient-view-request.json"), **spec("fhir-authorization.json")}) == []
    assert errors(CDS_RESPONSE, spec("response-example.json")) == []
    # The specification's own autolaunchable example omits `indicator`, which its Card table makes REQUIRED:
    assert errors(CDS_RESPONSE, spec("response-autolaunchable.json")) == ["cards/0: 'indicator' is a required property"]
    card = spec("response-example.json")["cards"][1]
    assert errors(CDS_RESPONSE, {"cards": [card | {"summary": "x" * 140}]})  # "<140-character summary"
    assert errors(CDS_RESPONSE, {"cards": [card | {"indicator": "hard-stop"}]})
    assert errors(CDS_RESPONSE, {"cards": [card | {"suggestions": [{"label": "do"}]}]})  # no selectionBehavior
    assert errors(CDS_REQUEST, {k: v for k, v in spec("patient-view-request.json").items() if k != "fhirServer"})


# -- import: every official resource used or reported ---------------------------------------------------------


def test_the_official_record_of_patient_example_is_read_and_every_unused_resource_is_reported_with_a_reason():
    record = [*official_record(), als_condition()]
    bundle_example = r4("bundle-example.json")  # a searchset of another patient (347) with an _include
    for given in (TODAY, None):
        result = bundle_to_case(
            searchset(record) | {"entry": [*searchset(record)["entry"], *bundle_example["entry"]]},
            assessment_date=given,
        )
        why = {u.resource: u.reason for u in result.unmapped}
        used = {"Patient/example", "Observation/example", "Condition/als"}
        every = {name(r) for r in record} | {name(e["resource"]) for e in bundle_example["entry"]}
        assert set(why) == every - used  # each unused resource named once, nothing dropped without a word
        assert all(not reason.startswith("not a valid R4") for reason in why.values())  # HL7's examples are valid
        assert why["Observation/blood-pressure"] == "observation code not used by alsdx (http://loinc.org|85354-9)"
        assert why["Observation/abdo-tender"] == "observation code not used by alsdx (http://snomed.info/sct|43478001)"
        assert why["Condition/example2"].startswith("condition is not ALS/MND")
        assert why["MedicationRequest/3123"] == "refers to another patient (Patient/347)"
        assert why["Medication/example"].startswith("Medication not referred to by any")
        case = result.case
        assert case.sex == "male" and case.birth_date == date(1974, 12, 25)
        assert case.symptom_onset == date(2025, 9, 1)
        # HL7's body weight: 185 [lb_av] x 0.45359237 kg (UCUM, exact) = 83.91 kg
        assert [(w.date, round(w.weight_kg, 2)) for w in case.weight] == [(date(2016, 3, 28), 83.91)]
        assert result.regions_examined == [] and case.emg == []
        assert [m.input for m in result.missing] == ["examination findings"]


def test_without_an_als_or_mnd_problem_the_import_says_so():
    with pytest.raises(NoMndCondition, match="no ALS/MND Condition"):
        bundle_to_case(searchset(official_record()), assessment_date=TODAY)


def test_hl7s_laboratory_report_is_read_with_its_results_dated_by_the_report_and_its_panels():
    """diagnosticreport-example-ghp: the results (ALT 1742-6 54 U/L, upper limit 45; AST; neutrophils) carry no date
    of their own; the report and the panels listing them (``hasMember``) are dated 2015-08-16."""
    report = r4("diagnosticreport-example-ghp.json")
    als = als_condition() | {"subject": {"reference": "Patient/pat2"}, "onsetDateTime": "2015-03-01"}
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r4("patient-example-b.json")}, {"resource": als}, *report["entry"]],
    }
    result = bundle_to_case(bundle, assessment_date=date(2015, 9, 1))
    (panel,) = result.case.labs
    assert panel.date == date(2015, 8, 16)
    assert (panel.alt_u_per_l, panel.alt_uln_u_per_l, panel.ast_u_per_l, panel.anc_10e9_per_l) == (54, 45, 30, 0.9)
    why = {u.resource: u.reason for u in result.unmapped}
    assert why["Specimen/rtt"] == "resource type Specimen is not used by alsdx"
    assert why["DiagnosticReport/ghp"].startswith("not a laboratory report")
    assert "Observation/o14" not in why and not any("effective date" in r for r in why.values())
    assert any(
        "dated by the report or panel listing them: Observation/p1 (2015-08-16)" in a for a in result.assumptions
    )
    used = {"Patient/pat2", "Condition/als", "Observation/o14", "Observation/o15", "Observation/r9"}
    assert set(why) == {name(e["resource"]) for e in report["entry"]} - used


# -- CDS Hooks: the specification's request with the official record ------------------------------------------


def test_the_spec_request_for_the_als_record_gets_valid_cards_that_say_the_criteria_cannot_be_assessed(client):
    body = spec_request("example", prefetch([*official_record(), als_condition()]))
    assert errors(CDS_REQUEST, body) == []
    r = call(client, body)
    assert r.status_code == 200, r.text
    assert errors(CDS_RESPONSE, r.json()) == []
    assert client.fetched == [spec("jwt-header.json")["jku"]]  # the JWK Set at jku, and nothing else (no FHIR read)
    cards = r.json()["cards"]
    criteria = next(c for c in cards if c["source"]["label"].startswith("ALS criteria"))
    assert NO_FINDINGS in criteria["summary"] and "cannot be assessed from the coded record" in criteria["summary"]
    assert all("not met" not in c["summary"] + c.get("detail", "") for c in cards)
    assert criteria["extension"]["alsdx.assessable"] == "none"


def test_the_spec_request_for_the_record_without_an_mnd_problem_gets_no_cards(client):
    """The conformant EHR's prefetch holds no Condition (the template filters by ALS/MND codes): no guidance,
    the specification's empty array of cards."""
    body = spec_request("example", prefetch(official_record()))
    assert body["prefetch"]["conditions"]["entry"] == []
    r = call(client, body)
    assert r.status_code == 200 and r.json() == {"cards": []}


def test_an_ehr_that_ignores_the_code_filters_changes_nothing_but_what_is_reported(client):
    """Every official resource sent under every Observation key and all three problems under ``conditions``."""
    record = [*official_record(), als_condition()]
    body = spec_request("example", prefetch(record))
    observations = [r for r in record if r["resourceType"] == "Observation"]
    body["prefetch"] |= {"observations": searchset(observations), "measurements": searchset(observations)}
    body["prefetch"]["conditions"] = searchset([r for r in record if r["resourceType"] == "Condition"])
    r = call(client, body)
    assert r.status_code == 200 and errors(CDS_RESPONSE, r.json()) == []
    criteria = next(c for c in r.json()["cards"] if c["source"]["label"].startswith("ALS criteria"))
    assert NO_FINDINGS in criteria["summary"]
    assert "FHIR item(s) not used by alsdx" in criteria["detail"]


def test_the_spec_request_verbatim_is_412_it_carries_only_the_patient_and_names_a_server_alsdx_may_not_use(client):
    """The example request as published: patient 1288992, prefetch ``patientToGreet`` only, fhirServer
    http://hooks.smarthealthit.org:9080. alsdx needs the problems and observations, may not send the access token
    to a server off its allow-list, and so answers 412 as the specification requires."""
    body = spec("patient-view-request.json") | {"hookInstance": str(uuid.uuid4())}
    assert errors(CDS_REQUEST, body) == []
    r = call(client, body)
    assert r.status_code == 412
    assert "allow-list" in r.json()["detail"]
    assert client.fetched == [spec("jwt-header.json")["jku"]]  # nothing sent to hooks.smarthealthit.org
