"""Never silent (issue 16): what the rules could not get is on the cards in plain words; a failed prefetch is refetched
or answered with 412; paging follows ``next`` to the end or a documented cap, and a capped read is reported."""

from __future__ import annotations

import sys
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).parent))
from cds_helpers import auth, settings
from test_cdshooks_e2e import ACCESS_TOKEN, serve

from alsdx.api.cds import PATIENT_VIEW_ID, create_cds_app, fhir_client, hooks
from alsdx.api.cds.cards import NO_FINDINGS
from alsdx.fhir import vocab

PV = f"/cds-services/{PATIENT_VIEW_ID}"
TODAY = date(2026, 11, 23)
SCT = "http://snomed.info/sct"
UPPER_LIMB = {"coding": [{"system": SCT, "code": "53120007"}]}


def patient() -> dict[str, Any]:
    return {"resourceType": "Patient", "id": "p1", "gender": "male", "birthDate": "1962-04-02"}


def condition(**onset: Any) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": "als",
        "code": {"coding": [{"system": vocab.ICD10CM, "code": "G12.21"}]},
        "subject": {"reference": "Patient/p1"},
        **(onset if onset else {"onsetDateTime": "2025-09-01"}),
    }


def observation(oid: str, system: str, code: str, **kw: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "code": {"coding": [{"system": system, "code": code}]},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": kw.pop("when", "2026-11-01"),
        **kw,
    }


def searchset(*resources: dict[str, Any], next_url: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": r, "search": {"mode": "match"}} for r in resources],
    }
    if next_url:
        out["link"] = [{"relation": "next", "url": next_url}]
    return out


def prefetch(*observations: dict[str, Any], cond: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "patient": patient(),
        "conditions": searchset(cond or condition()),
        "observations": searchset(*observations),
        "measurements": searchset(),
    }


def call(body_prefetch: dict[str, Any] | None, client: TestClient | None = None, **extra: Any):
    client = client or TestClient(create_cds_app(settings(), today=lambda: TODAY))
    body = {
        "hookInstance": str(uuid.uuid4()),
        "hook": "patient-view",
        "context": {"userId": "Practitioner/1", "patientId": "p1"},
        **({"prefetch": body_prefetch} if body_prefetch is not None else {}),
        **extra,
    }
    return client.post(PV, json=body, headers=auth(PV))


def criteria_card(r) -> dict[str, Any]:
    assert r.status_code == 200, r.text
    return next(c for c in r.json()["cards"] if c["source"]["label"].startswith("ALS criteria"))


def test_no_coded_findings_say_the_criteria_cannot_be_assessed_never_not_met():
    card = criteria_card(call(prefetch()))
    assert NO_FINDINGS in card["summary"]
    assert "not met" not in card["summary"] + card.get("detail", "")
    assert "What would make it possible" in card["detail"] and "ALSDX_FHIR_CONCEPT_MAP" in card["detail"]
    assert card["extension"]["alsdx.assessable"] == "none" and "alsdx.criteria" not in card["extension"]


def test_findings_in_one_region_give_not_met_on_the_findings_recorded_and_name_the_regions_not_examined():
    hyperreflexia = observation("hr", SCT, "86854008", bodySite=UPPER_LIMB, valueBoolean=True)
    card = criteria_card(call(prefetch(hyperreflexia)))
    assert card["summary"].startswith("Criteria on the findings recorded")
    assert "| not met |" not in card["detail"]
    assert "not met on the findings recorded" in card["detail"]
    assert "Not examined (no coded finding in the record)**: bulbar, thoracic, lumbosacral." in card["detail"]
    assert card["extension"]["alsdx.assessable"] == "partial"


def test_an_mnd_problem_without_onset_gets_a_card_saying_so_not_an_empty_answer():
    r = call(prefetch(cond=condition(onsetString="some years ago")))
    (card,) = r.json()["cards"]
    assert "no symptom onset date" in card["summary"]
    assert "onsetDateTime" in card["detail"] and "a year or a month is enough" in card["detail"]


def test_an_onset_year_is_used_and_the_card_says_the_date_is_approximate():
    hyperreflexia = observation("hr", SCT, "86854008", bodySite=UPPER_LIMB, valueBoolean=True)
    card = criteria_card(call(prefetch(hyperreflexia, cond=condition(onsetDateTime="2025"))))
    assert "symptom_onset 2025-07-01 is approximate" in card["detail"]


def test_fvc_in_litres_with_percent_as_a_component_triggers_the_niv_card():
    pct = {
        "code": {"coding": [{"system": vocab.LOINC, "code": "19872-1"}]},
        "valueQuantity": {"value": 46, "code": "%"},
    }
    fvc = observation(
        "fvc", vocab.LOINC, "19868-9", valueQuantity={"value": 1.8, "unit": "L", "code": "L"}, component=[pct]
    )
    body = prefetch()
    body["measurements"] = searchset(fvc)
    cards = call(body).json()["cards"]
    assert any(c["summary"].startswith("NIV to be considered (FVC 46.0") for c in cards)
    assert not any("No FVC recorded" in c["summary"] for c in cards)


def test_an_operation_outcome_prefetch_without_a_fhir_server_is_412():
    body = prefetch()
    body["observations"] = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "timeout"}]}
    r = call(body)
    assert r.status_code == 412 and "OperationOutcome" in r.json()["detail"]


def test_an_operation_outcome_for_an_optional_key_is_reported_on_the_card():
    body = prefetch()
    body["familyHistory"] = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "timeout"}]}
    card = criteria_card(call(body))
    assert (
        "**Missing: familyHistory**: prefetch failed (OperationOutcome); no fhirServer with fhirAuthorization given."
        in card["detail"]
    )


def test_a_prefetch_cut_by_paging_without_a_fhir_server_is_reported():
    body = prefetch()
    body["observations"] = searchset(next_url="https://ehr.example.org/fhir/Observation?page=2")
    card = criteria_card(call(body))
    assert "data cut by paging" in card["detail"]


# --- with a FHIR server ---------------------------------------------------------------------------------------


def fhir_server(resources: list[dict[str, Any]], seen: list[str], page_size: int = 20, fail: bool = False) -> Starlette:
    """A FHIR server stub honouring the code filter and paging with ``next`` links."""

    async def read_patient(request: Request) -> JSONResponse:
        seen.append(request.url.path)
        return JSONResponse(patient())

    async def search(request: Request):
        seen.append(f"{request.url.path}?{request.url.query}")
        if request.headers.get("authorization") != f"Bearer {ACCESS_TOKEN}":
            return JSONResponse({"resourceType": "OperationOutcome"}, status_code=401)
        if fail:
            return PlainTextResponse("SECRET-BANNER internal host db-7.hospital.local", status_code=500)
        rtype = request.path_params["rtype"]
        found = [r for r in resources if r["resourceType"] == rtype]
        if "code" in request.query_params:
            wanted = set(request.query_params["code"].split(","))
            found = [
                r
                for r in found
                if any(
                    f"{c['system']}|{c['code']}" in wanted or f"{c['system']}|" in wanted for c in r["code"]["coding"]
                )
            ]
        page = int(request.query_params.get("page", "1"))
        chunk = found[(page - 1) * page_size : page * page_size]
        out = searchset(*chunk)
        if page * page_size < len(found):
            out["link"] = [{"relation": "next", "url": str(request.url.include_query_params(page=page + 1))}]
        return JSONResponse(out)

    return Starlette(routes=[Route("/fhir/Patient/{pid}", read_patient), Route("/fhir/{rtype}", search)])


def hook_with_server(fhir_base: str, body_prefetch: dict[str, Any] | None, allowed: list[str] | None = None):
    cfg = settings(fhir_servers=allowed if allowed is not None else [f"{fhir_base}/fhir"], allow_http_fhir=True)
    client = TestClient(create_cds_app(cfg, today=lambda: TODAY))
    authorization = {
        "access_token": ACCESS_TOKEN,
        "token_type": "Bearer",
        "expires_in": 300,
        "scope": "patient/*.read",
        "subject": "alsdx",
    }
    return call(body_prefetch, client, fhirServer=f"{fhir_base}/fhir", fhirAuthorization=authorization)


def _ehr_record(vital_signs: int) -> list[dict[str, Any]]:
    findings = [
        observation(f"s{i}", SCT, code, bodySite=site, valueBoolean=True)
        for i, (code, site) in enumerate(
            [
                ("86854008", UPPER_LIMB),
                ("88092000", UPPER_LIMB),
                ("221360009", {"coding": [{"system": SCT, "code": "61685007"}]}),
                ("88092000", {"coding": [{"system": SCT, "code": "61685007"}]}),
            ]
        )
    ]
    vitals = [
        observation(f"bp{i}", vocab.LOINC, "85354-9", when=f"2026-0{1 + i % 9}-{1 + i % 28:02d}")
        for i in range(vital_signs)
    ]
    return [condition(), *vitals, *findings]


def test_an_operation_outcome_prefetch_is_refetched_from_the_fhir_server():
    seen: list[str] = []
    with serve(fhir_server(_ehr_record(0), seen)) as base:
        body = prefetch()
        body["observations"] = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "timeout"}]}
        card = criteria_card(hook_with_server(base, body))
    assert any(s.startswith("/fhir/Observation?") and "86854008" in s for s in seen)
    assert card["extension"]["alsdx.assessable"] == "partial"  # the refetched findings were read


def test_1200_vital_signs_do_not_hide_the_findings_the_search_is_filtered_by_code():
    seen: list[str] = []
    with serve(fhir_server(_ehr_record(1200), seen)) as base:
        card = criteria_card(hook_with_server(base, None))
    assert card["extension"]["alsdx.assessable"] == "partial"
    assert "Not examined (no coded finding in the record)**: bulbar, thoracic." in card["detail"]
    assert all("85354-9" not in s for s in seen)


def test_a_search_beyond_the_page_cap_is_reported_on_the_card(monkeypatch):
    monkeypatch.setattr(fhir_client, "MAX_PAGES", 2)
    many = [observation(f"h{i}", SCT, "86854008", bodySite=UPPER_LIMB, valueBoolean=True) for i in range(60)]
    seen: list[str] = []
    with serve(fhir_server([condition(), *many], seen, page_size=20)) as base:
        card = criteria_card(hook_with_server(base, None))
    assert "**Missing: observations**: data cut by paging: more than 2 pages." in card["detail"]
    assert sum("page=" in s and "86854008" in s for s in seen) == 1  # the first page plus one next page


def test_the_412_detail_never_repeats_what_the_server_answered():
    seen: list[str] = []
    with serve(fhir_server([], seen, fail=True)) as base:
        r = hook_with_server(base, None)
    assert r.status_code == 412
    assert "SECRET" not in r.text and "db-7" not in r.text
    assert "HTTP 5xx" in r.json()["detail"]


def test_a_fhir_server_off_the_allow_list_gets_no_request_and_no_token():
    seen: list[str] = []
    with serve(fhir_server(_ehr_record(0), seen)) as base:
        r = hook_with_server(base, None, allowed=["https://other.example.org/fhir"])
    assert r.status_code == 412 and "allow-list" in r.json()["detail"]
    assert seen == []


@pytest.mark.parametrize("patient_id", ["../Observation", "a/b?c=d", "x#y"])
def test_context_values_are_percent_encoded_into_one_path_segment(patient_id):
    filled = fhir_client.fill_template("Patient/{{context.patientId}}", {"patientId": patient_id})
    assert filled.count("/") == 1 and "?" not in filled and "#" not in filled


def test_a_fully_examined_example_is_complete_and_shows_its_categories_plainly():
    from cds_helpers import prefetch_for

    from alsdx.model.load import load_case

    case = load_case(Path(__file__).resolve().parents[2] / "examples" / "cases" / "bulbar-onset.yaml")
    client = TestClient(create_cds_app(settings(), today=lambda: TODAY))
    body = {
        "hookInstance": str(uuid.uuid4()),
        "hook": "patient-view",
        "context": {"userId": "Practitioner/1", "patientId": case.id},
        "prefetch": prefetch_for(case),
    }
    card = criteria_card(client.post(PV, json=body, headers=auth(PV)))
    assert card["extension"]["alsdx.assessable"] == "complete"
    assert card["summary"].startswith("Criteria (alsdx): ") and "Not examined" not in card["detail"]


def test_the_assessments_own_completeness_is_used_when_it_has_one():
    """COMMON.md contract 1: Assessment.completeness (issue 14's case model) wins over the importer's view."""
    from types import SimpleNamespace

    from alsdx.api.cds.cards import CardContext
    from alsdx.fhir.to_case import MissingInput

    ctx = CardContext("h", "p1")
    own = {
        "assessable": "partial",
        "regions_not_examined": ["thoracic"],
        "emg_regions_not_studied": ["bulbar"],
        "missing": [{"input": "EMG", "reason": "no muscle studied in the bulbar region"}],
    }
    imported = SimpleNamespace(
        regions_examined=[], case=SimpleNamespace(emg=[]), missing=[MissingInput("onset date", "approximate")]
    )
    hooks.completeness(ctx, {"completeness": own}, imported)
    assert ctx.assessable == "partial" and ctx.regions_not_examined == ["thoracic"]
    assert ("EMG", "no muscle studied in the bulbar region") in ctx.missing
    assert ("onset date", "approximate") in ctx.missing


def test_a_complete_prefetch_needs_no_allow_listed_fhir_server():
    """EHRs always send fhirServer; with everything prefetched alsdx contacts nobody, so the allow-list is not asked."""
    hyperreflexia = observation("hr", SCT, "86854008", bodySite=UPPER_LIMB, valueBoolean=True)
    authorization = {"access_token": "t", "token_type": "Bearer", "expires_in": 300, "scope": "x", "subject": "s"}
    r = call(prefetch(hyperreflexia), fhirServer="https://ehr.example.org/fhir", fhirAuthorization=authorization)
    assert r.status_code == 200
    body = prefetch(hyperreflexia)
    del body["measurements"]
    r = call(body, fhirServer="https://ehr.example.org/fhir", fhirAuthorization=authorization)
    assert r.status_code == 412 and "allow-list" in r.json()["detail"]
