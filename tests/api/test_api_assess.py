"""Stateless /v1/assess and /v1/assess:batch: same answers as the engine, problem+json errors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from service_helpers import EXAMPLE_NAMES, example

from alsdx.api import Settings, create_app
from alsdx.api.examples import EXAMPLE_CASE
from alsdx.engine.assess import assess
from alsdx.model.case import Case
from alsdx.model.load import case_from_dict
from alsdx.store import accounts

PROBLEM = "application/problem+json"


@pytest.fixture
def open_client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path}/a.db", open_assess=True))) as c:
        yield c


@pytest.fixture
def closed_client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path}/a.db"))) as c:
        yield c


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_assess_returns_the_engines_assessment(open_client: TestClient, name: str) -> None:
    doc = example(name)
    r = open_client.post("/v1/assess", json=doc)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json() == assess(case_from_dict(doc)).model_dump(mode="json")


def test_assess_needs_a_token_unless_open(closed_client: TestClient) -> None:
    r = closed_client.post("/v1/assess", json=EXAMPLE_CASE)
    assert r.status_code == 401 and r.headers["content-type"] == PROBLEM
    assert r.headers["www-authenticate"] == "Bearer"
    bad = closed_client.post("/v1/assess", json=EXAMPLE_CASE, headers={"Authorization": "Bearer alsdx_nope"})
    assert bad.status_code == 401
    with closed_client.app.state.sessions.begin() as s:  # type: ignore[attr-defined]
        user = accounts.create_user(s, "ana", "password-123", "clinician", "North")
        secret, _ = accounts.issue_token(s, user, lifetime=timedelta(days=1))
    ok = closed_client.post("/v1/assess", json=EXAMPLE_CASE, headers={"Authorization": f"Bearer {secret}"})
    assert ok.status_code == 200 and ok.json()["id"] == "demo-001"


def test_settings_read_open_assess_from_the_environment() -> None:
    assert Settings.from_env({"ALSDX_OPEN_ASSESS": "1", "HOME": "/h"}).open_assess
    assert not Settings.from_env({"ALSDX_OPEN_ASSESS": "true", "HOME": "/h"}).open_assess
    assert not Settings.from_env({"HOME": "/h"}).open_assess


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"exam": {"bulbar": {"umn": ["babinski"]}}}, "exam.bulbar.umn[0]"),
        (
            {"fvc": [{"date": "2026-01-15", "percent_predicted": 900, "position": "upright"}]},
            "fvc[0].percent_predicted",
        ),
        ({"colour": "blue"}, "colour"),
        ({"other_causes_excluded": "yes"}, "other_causes_excluded"),
        ({"emg": [{"muscle": "biceps_brachii", "side": "up"}]}, "emg[0].side"),
    ],
)
def test_invalid_case_is_a_problem_naming_the_field(open_client: TestClient, change: dict, field: str) -> None:
    r = open_client.post("/v1/assess", json={**EXAMPLE_CASE, **change})
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["status"] == 422 and body["title"] == "Unprocessable Entity"
    assert field in [e["field"] for e in body["errors"]]


def test_case_level_rule_errors_are_reported(open_client: TestClient) -> None:
    r = open_client.post("/v1/assess", json={**EXAMPLE_CASE, "symptom_onset": "2026-02-01"})
    assert r.status_code == 422
    assert any("after assessment_date" in e["message"] for e in r.json()["errors"])


def test_integral_float_is_accepted_for_an_integer_field(open_client: TestClient) -> None:
    doc = {**EXAMPLE_CASE, "alsfrs_r": [dict(EXAMPLE_CASE["alsfrs_r"][0])]}
    doc["alsfrs_r"][0]["items"] = {**doc["alsfrs_r"][0]["items"], "speech": 3.0}
    assert open_client.post("/v1/assess", json=doc).status_code == 200
    doc["alsfrs_r"][0]["items"]["speech"] = 3.5
    assert open_client.post("/v1/assess", json=doc).status_code == 422


def test_malformed_json_is_400(open_client: TestClient) -> None:
    r = open_client.post("/v1/assess", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.headers["content-type"] == PROBLEM


def test_batch_keeps_order_and_reports_errors_per_case(open_client: TestClient) -> None:
    docs = [example("limb-onset-emg"), {**EXAMPLE_CASE, "course": "sometimes"}, example("bulbar-onset")]
    r = open_client.post("/v1/assess:batch", json={"cases": docs})
    assert r.status_code == 200
    results = r.json()["results"]
    assert [x["index"] for x in results] == [0, 1, 2] and [x["ok"] for x in results] == [True, False, True]
    assert results[0]["assessment"] == assess(case_from_dict(docs[0])).model_dump(mode="json")
    assert results[2]["assessment"]["id"] == "example-bulbar-onset"
    assert [e["field"] for e in results[1]["errors"]] == ["course"] and "assessment" not in results[1]


def test_batch_is_limited_to_1000_cases(open_client: TestClient) -> None:
    assert open_client.post("/v1/assess:batch", json={"cases": [EXAMPLE_CASE] * 1000}).status_code == 200
    r = open_client.post("/v1/assess:batch", json={"cases": [EXAMPLE_CASE] * 1001})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "cases"


def test_openapi_documents_routes_examples_and_problems(open_client: TestClient) -> None:
    spec = open_client.get("/openapi.json").json()
    for path in ("/v1/assess", "/v1/assess:batch", "/v1/patients", "/v1/patients/{patient_id}/assessment"):
        assert path in spec["paths"]
    post = spec["paths"]["/v1/assess"]["post"]
    examples = post["requestBody"]["content"]["application/json"]["examples"]
    for ex in examples.values():
        Case.model_validate(ex["value"])
    assert post["responses"]["422"]["content"][PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}
    assert "Problem" in spec["components"]["schemas"] and "Case" in spec["components"]["schemas"]


def test_openapi_documents_the_413_and_503_problems_where_they_can_occur(open_client: TestClient) -> None:
    spec = open_client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            answers = op["responses"]
            assert ("413" in answers) == ("requestBody" in op), (method, path)  # api/limits.py, before the body
            if path.startswith("/v1/"):
                assert answers["503"]["content"][PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}
                assert "Retry-After" in answers["503"]["headers"], (method, path)


def test_cds_hooks_are_served_beside_the_api_and_closed_by_default(open_client: TestClient) -> None:
    assert "/cds-services" in open_client.get("/openapi.json").json()["paths"]
    assert open_client.get("/cds-services").status_code == 401  # no EHR issuer trusted until configured


def test_concurrent_assess_requests_each_get_their_own_cases_assessment(tmp_path: Path) -> None:
    """Issue 20: concurrent requests are assessed in shared batches (alsdx.engine.batcher); every answer is still
    exactly its own case's assessment, and an invalid case among them gets its own 422."""
    import asyncio

    import httpx

    docs = [example(name) | {"id": f"{name}-{i}"} for i in range(4) for name in EXAMPLE_NAMES]
    bad = example(EXAMPLE_NAMES[0]) | {"id": "bad", "course": "sideways"}
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/a.db", open_assess=True))

    async def post_all() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await asyncio.gather(*(client.post("/v1/assess", json=d) for d in [*docs, bad]))

    *answers, refused = asyncio.run(post_all())
    assert refused.status_code == 422
    for doc, r in zip(docs, answers, strict=True):
        assert r.status_code == 200
        assert r.text == assess(case_from_dict(doc)).model_dump_json(), doc["id"]
