"""The CDS service behind a hospital's load balancer (issue 16): the JWT replay cache shared through the database by
two app instances (SQLite and PostgreSQL) and across a restart; CORS in ``alsdx serve``; JWKS fetched at most once per
interval for unknown kids; ``aud`` only from the configured base URL; bounded feedback; no 500 from a bad token."""

from __future__ import annotations

import json
import logging
import secrets
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).parent))
from cds_helpers import BASE, ISSUER, auth, jwks, settings, token
from test_cdshooks_e2e import serve

from alsdx.api.cds import PATIENT_VIEW_ID, CdsService, create_cds_app
from alsdx.api.cds.settings import CdsConfigError, CdsSettings
from alsdx.store import open_store

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
PV = f"/cds-services/{PATIENT_VIEW_ID}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/registry.db"
        return
    name = f"alsdx_cds_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_token_is_accepted_once_across_two_instances_and_a_restart(db_url):
    first = TestClient(create_cds_app(settings(), sessions=open_store(db_url)))
    second = TestClient(create_cds_app(settings(), sessions=open_store(db_url)))
    header = {"Authorization": f"Bearer {token('/cds-services')}"}
    assert first.get("/cds-services", headers=header).status_code == 200
    replay = second.get("/cds-services", headers=header)
    assert replay.status_code == 401 and "replay" in replay.json()["detail"]
    restarted = TestClient(create_cds_app(settings(), sessions=open_store(db_url)))
    assert restarted.get("/cds-services", headers=header).status_code == 401
    assert second.get("/cds-services", headers=auth("/cds-services")).status_code == 200  # a fresh token passes


def test_without_a_database_the_cache_is_per_process_as_documented():
    header = {"Authorization": f"Bearer {token('/cds-services')}"}
    assert TestClient(create_cds_app(settings())).get("/cds-services", headers=header).status_code == 200
    assert TestClient(create_cds_app(settings())).get("/cds-services", headers=header).status_code == 200


def test_alsdx_serve_honours_cds_cors_origins_on_the_cds_paths_only(monkeypatch, tmp_path: Path):
    from alsdx.api.app import create_app
    from alsdx.api.settings import Settings

    monkeypatch.setenv("ALSDX_CDS_CORS_ORIGINS", "https://ehr.example.org")
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/r.db"))
    client = TestClient(app)
    preflight = {
        "Origin": "https://ehr.example.org",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    r = client.options(PV, headers=preflight)
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://ehr.example.org"
    other = client.options(PV, headers={**preflight, "Origin": "https://evil.example.org"})
    assert "access-control-allow-origin" not in other.headers
    rest = client.options("/v1/assess", headers=preflight)
    assert "access-control-allow-origin" not in rest.headers


def test_unknown_kids_do_not_make_the_service_refetch_the_issuers_keys():
    fetches: list[int] = []
    keys = jwks()

    async def serve_jwks(request: Request) -> JSONResponse:
        fetches.append(1)
        return JSONResponse(keys)

    with serve(Starlette(routes=[Route("/jwks.json", serve_jwks)])) as base:
        cfg = settings(issuers={ISSUER: {"jwks_url": f"{base}/jwks.json"}})
        client = TestClient(create_cds_app(cfg))
        assert client.get("/cds-services", headers=auth("/cds-services")).status_code == 200
        for i in range(30):
            r = client.get("/cds-services", headers=auth("/cds-services", kid=f"forged-{i}"))
            assert r.status_code == 401
        assert len(fetches) == 1


def test_a_rotated_key_is_fetched_once_the_refetch_interval_has_passed():
    fetches: list[int] = []
    keys = {"keys": [k for k in jwks()["keys"] if k["kid"] == "ec-1"]}

    async def serve_jwks(request: Request) -> JSONResponse:
        fetches.append(1)
        return JSONResponse(keys)

    with serve(Starlette(routes=[Route("/jwks.json", serve_jwks)])) as base:
        cfg = settings(issuers={ISSUER: {"jwks_url": f"{base}/jwks.json"}}, jwks_refetch_seconds=0)
        client = TestClient(create_cds_app(cfg))
        assert client.get("/cds-services", headers=auth("/cds-services", alg="ES384", kid="ec-1")).status_code == 200
        keys["keys"] = jwks()["keys"]  # the EHR rotates in rsa-1
        assert client.get("/cds-services", headers=auth("/cds-services", kid="rsa-1")).status_code == 200
        assert len(fetches) == 2


def test_serving_without_a_public_base_url_is_refused_outside_development_mode():
    with pytest.raises(CdsConfigError, match="ALSDX_CDS_BASE_URL"):
        CdsService(settings(base_url=None))
    CdsService(settings(base_url=None, dev_mode=True))  # documented development mode
    CdsService(CdsSettings())  # no issuer trusted: every call is refused anyway
    env = {"ALSDX_CDS_ISSUERS": json.dumps({ISSUER: {"jwks": jwks()}}), "ALSDX_CDS_DEV": "1"}
    assert CdsSettings.from_env(env).dev_mode


def test_the_audience_is_the_configured_base_url_not_the_host_header():
    client = TestClient(create_cds_app(settings(base_url="https://alsdx.hospital.example")))
    forged_host = {"Host": "attacker.example", "X-Forwarded-Proto": "https"}
    r = client.get(
        "/cds-services", headers={**auth("/cds-services", aud="https://attacker.example/cds-services"), **forged_host}
    )
    assert r.status_code == 401
    good = auth("/cds-services", aud="https://alsdx.hospital.example/cds-services")
    assert client.get("/cds-services", headers=good).status_code == 200


def test_an_http_fhir_server_on_the_allow_list_needs_explicit_permission():
    with pytest.raises(CdsConfigError, match="ALSDX_CDS_ALLOW_HTTP_FHIR"):
        CdsService(settings(fhir_servers=["http://fhir.hospital.example/r4"]))
    CdsService(settings(fhir_servers=["http://fhir.hospital.example/r4"], allow_http_fhir=True))
    with pytest.raises(CdsConfigError, match="not an http"):
        CdsSettings.from_env({"ALSDX_CDS_FHIR_SERVERS": "ftp://x"})


def test_rs256_with_the_kid_of_an_ec_key_is_401_not_500():
    client = TestClient(create_cds_app(settings()), raise_server_exceptions=False)
    forged = token("/cds-services", alg="RS256", kid="ec-1")  # signed with RSA, labelled with the EC key's kid
    r = client.get("/cds-services", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401


@pytest.mark.parametrize("claims", [{"exp": "soon"}, {"iat": [1]}])
def test_malformed_claims_are_401(claims):
    import time

    import jwt
    from cds_helpers import RSA_KEY

    now = int(time.time())
    body = {"iss": ISSUER, "aud": f"{BASE}/cds-services", "exp": now + 60, "iat": now, "jti": str(uuid.uuid4())}
    forged = jwt.encode({**body, **claims}, RSA_KEY, algorithm="RS384", headers={"kid": "rsa-1"})
    client = TestClient(create_cds_app(settings()), raise_server_exceptions=False)
    assert client.get("/cds-services", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def _feedback(n: int, card: str = "", comment: str = "") -> dict:
    item = {
        "card": card or str(uuid.uuid4()),
        "outcome": "overridden",
        "overrideReason": {"reason": {"code": "not-relevant"}, "userComment": comment},
        "outcomeTimestamp": "2026-11-23T10:00:00Z",
    }
    return {"feedback": [dict(item) for _ in range(n)]}


def test_feedback_is_bounded_in_count_and_keeps_no_free_text(caplog):
    client = TestClient(create_cds_app(settings()))
    path = f"{PV}/feedback"
    assert client.post(path, json=_feedback(21), headers=auth(path)).status_code == 400
    caplog.set_level(logging.INFO, logger="alsdx.cds")
    injected = "x\nCDS feedback: service admin card forged accepted"
    r = client.post(path, json=_feedback(1, card=injected, comment="Mrs Example, born 1950"), headers=auth(path))
    assert r.status_code == 200
    kept = client.app.state.cds.feedback_log[-1]
    assert kept["card"] == "(not an alsdx card id)" and kept["overrideReason"] == "not-relevant"
    assert "Mrs Example" not in json.dumps(list(client.app.state.cds.feedback_log))
    assert "forged" not in caplog.text and "Mrs Example" not in caplog.text


def test_the_smart_app_context_is_json_even_with_a_quote_in_the_patient_id():
    from alsdx.api.cds import CdsService

    service = CdsService(settings(smart_launch_url="https://alsdx.example.org/launch"))
    link = service.hooks.link('p1", "admin": true, "x": "')
    assert json.loads(link["appContext"]) == {"patientId": 'p1", "admin": true, "x": "'}


def test_no_combination_of_algorithm_key_and_kid_gives_a_500():
    """Every allowed alg, signed with the RSA or the EC key, labelled with either kid or an unknown one: 200 or 401."""
    from cds_helpers import EC_KEY, RSA_KEY

    client = TestClient(create_cds_app(settings()), raise_server_exceptions=False)
    seen: set[int] = set()
    for alg in ("RS256", "RS384", "PS256", "PS384", "ES256", "ES384"):
        for key in (RSA_KEY, EC_KEY):
            for kid in ("rsa-1", "ec-1", "other"):
                try:
                    forged = token("/cds-services", alg=alg, kid=kid, key=key)
                except Exception:  # PyJWT cannot sign this alg with this key type: nothing to send
                    continue
                status = client.get("/cds-services", headers={"Authorization": f"Bearer {forged}"}).status_code
                seen.add(status)
                assert status in {200, 401}, (alg, kid)
    assert seen == {200, 401}
