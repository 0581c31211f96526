"""End to end, as an EHR would: a FHIR server stub and the CDS service both run as real uvicorn servers on
127.0.0.1; the hook is called without prefetch, so the service fetches (with paging) from the stub using the
fhirAuthorization bearer token, and the cards carry the categories of ``alsdx assess`` on the same case."""

from __future__ import annotations

import socket
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).parent))
from cds_helpers import auth, rest_references, settings

from alsdx.api.cds import PATIENT_VIEW_ID, create_cds_app
from alsdx.engine.assess import assess
from alsdx.fhir.from_case import case_to_bundle
from alsdx.model.load import load_case

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cases" / "bulbar-onset.yaml"
ACCESS_TOKEN = "opaque-token-" + uuid.uuid4().hex


def fhir_stub(bundle: dict, patient_id: str, seen: list[str]) -> Starlette:
    by_type: dict[str, list[dict]] = {}
    for e in bundle["entry"]:
        by_type.setdefault(e["resource"]["resourceType"], []).append(e["resource"])

    def authorized(request: Request) -> bool:
        seen.append(f"{request.url.path}?{request.url.query}")
        return request.headers.get("authorization") == f"Bearer {ACCESS_TOKEN}"

    async def read_patient(request: Request) -> JSONResponse:
        if not authorized(request):
            return JSONResponse({"resourceType": "OperationOutcome"}, status_code=401)
        if request.path_params["pid"] != patient_id:
            return JSONResponse({"resourceType": "OperationOutcome"}, status_code=404)
        return JSONResponse(by_type["Patient"][0], media_type="application/fhir+json")

    async def search(request: Request) -> JSONResponse:
        if not authorized(request):
            return JSONResponse({"resourceType": "OperationOutcome"}, status_code=401)
        rtype = request.path_params["rtype"]
        found = by_type.get(rtype, []) if request.query_params.get("patient") == patient_id else []
        if "code" in request.query_params:  # token search: any system|code of the list
            wanted = set(request.query_params["code"].split(","))
            found = [r for r in found if any(f"{c['system']}|{c['code']}" in wanted for c in r["code"]["coding"])]
        page = int(request.query_params.get("page", "1"))
        size = 20
        chunk = found[(page - 1) * size : page * size]
        out = {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": len(found),
            "entry": [
                {
                    "fullUrl": f"{request.base_url}fhir/{rtype}/{r['id']}",
                    "resource": r,
                    "search": {"mode": "match"},
                }
                for r in chunk
            ],
        }
        if page * size < len(found):
            out["link"] = [
                {
                    "relation": "next",
                    "url": str(request.url.include_query_params(page=page + 1)),
                }
            ]
        return JSONResponse(out, media_type="application/fhir+json")

    return Starlette(routes=[Route("/fhir/Patient/{pid}", read_patient), Route("/fhir/{rtype}", search)])


@contextmanager
def serve(app) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.mark.parametrize("token_ok", [True, False])
def test_ehr_calls_patient_view_without_prefetch(token_ok):
    case = load_case(EXAMPLE)
    seen: list[str] = []
    stub = fhir_stub(rest_references(case_to_bundle(case), case.id), case.id, seen)
    with serve(stub) as fhir_base:
        allowed = settings(base_url=None, dev_mode=True, fhir_servers=[f"{fhir_base}/fhir"], allow_http_fhir=True)
        with serve(create_cds_app(allowed, today=lambda: date(2026, 11, 23))) as cds_base:
            _call(fhir_base, cds_base, case, seen, token_ok)


def _call(fhir_base: str, cds_base: str, case, seen: list[str], token_ok: bool) -> None:
    path = f"/cds-services/{PATIENT_VIEW_ID}"
    body = {
        "hookInstance": str(uuid.uuid4()),
        "hook": "patient-view",
        "fhirServer": f"{fhir_base}/fhir",
        "fhirAuthorization": {
            "access_token": ACCESS_TOKEN if token_ok else "wrong",
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "patient/*.read",
            "subject": "alsdx",
        },
        "context": {"userId": "Practitioner/1", "patientId": case.id},
    }
    with httpx.Client() as ehr:
        discovery = ehr.get(f"{cds_base}/cds-services", headers=auth("/cds-services", aud=f"{cds_base}/cds-services"))
        assert discovery.status_code == 200
        r = ehr.post(f"{cds_base}{path}", json=body, headers=auth(path, aud=f"{cds_base}{path}"))
    if not token_ok:
        assert r.status_code == 412
        return
    assert r.status_code == 200, r.text
    cards = r.json()["cards"]
    expected = {k: v["category"] for k, v in assess(case).model_dump(mode="json")["criteria"].items()}
    assert cards[0]["extension"]["alsdx.criteria"] == expected
    assert any("page=2" in s for s in seen), "observations were fetched across pages"
    assert any(s.startswith(f"/fhir/Patient/{case.id}") for s in seen)
