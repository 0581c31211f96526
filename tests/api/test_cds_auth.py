"""JWT authentication of the calling EHR (CDS Hooks 2.0 'Trusting CDS Clients'): each rejection case."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys
import time
from datetime import date
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))
from cds_helpers import BASE, ISSUER, RSA_KEY, auth, jwks, settings, token

from alsdx.api.cds import create_cds_app
from alsdx.api.cds.settings import CdsConfigError, CdsSettings

DISCOVERY = "/cds-services"


@pytest.fixture
def client():
    return TestClient(create_cds_app(settings(), today=lambda: date(2026, 11, 23)))


def get(client, headers):
    return client.get(DISCOVERY, headers=headers)


@pytest.mark.parametrize("alg", ["RS256", "RS384", "PS256", "PS384", "ES384"])
def test_asymmetric_algorithms_are_accepted(client, alg):
    kid = "ec-1" if alg.startswith("ES") else "rsa-1"
    assert get(client, auth(DISCOVERY, alg=alg, kid=kid)).status_code == 200


def test_alg_none_is_rejected(client):
    now = int(time.time())
    unsigned = jwt.encode(
        {"iss": ISSUER, "aud": BASE + DISCOVERY, "exp": now + 60, "iat": now, "jti": "n1"},
        None,
        algorithm="none",
        headers={"kid": "rsa-1"},
    )
    r = get(client, {"Authorization": f"Bearer {unsigned}"})
    assert r.status_code == 401 and "alg" in r.json()["detail"]
    assert r.headers["www-authenticate"].startswith("Bearer")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_hs256_with_the_public_key_as_secret_is_rejected(client):
    # The classic key-confusion attack: HMAC "signed" with the issuer's public key (forged by hand,
    # since PyJWT itself refuses to do it).
    public_pem = RSA_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    now = int(time.time())
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}).encode())
    payload = _b64(
        json.dumps({"iss": ISSUER, "aud": BASE + DISCOVERY, "exp": now + 60, "iat": now, "jti": "h1"}).encode()
    )
    signature = _b64(hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    r = get(client, {"Authorization": f"Bearer {header}.{payload}.{signature}"})
    assert r.status_code == 401 and "HS256" in r.json()["detail"]


def test_expired_token_is_rejected(client):
    r = get(client, auth(DISCOVERY, exp_in=-120, iat_offset=-180))
    assert r.status_code == 401 and "expired" in r.json()["detail"].lower()


def test_wrong_audience_is_rejected(client):
    r = get(client, auth(DISCOVERY, aud="https://other.example.org/cds-services"))
    assert r.status_code == 401 and "audience" in r.json()["detail"].lower()
    path = "/cds-services/alsdx-patient-view"
    r = client.post(path, json={}, headers=auth(path, aud=BASE + DISCOVERY))  # a discovery token reused
    assert r.status_code == 401


def test_replayed_jti_is_rejected(client):
    headers = auth(DISCOVERY, jti="once")
    assert get(client, headers).status_code == 200
    r = get(client, headers)
    assert r.status_code == 401 and "replay" in r.json()["detail"]


def test_unknown_issuer_is_rejected(client):
    r = get(client, auth(DISCOVERY, iss="https://rogue.example.org/"))
    assert r.status_code == 401 and "not trusted" in r.json()["detail"]


def test_missing_header_unknown_kid_missing_claims_and_foreign_jku_are_rejected(client):
    assert get(client, {}).status_code == 401
    assert get(client, {"Authorization": "Basic abc"}).status_code == 401
    assert get(client, auth(DISCOVERY, kid="nope")).status_code == 401
    assert get(client, auth(DISCOVERY, headers={"jku": "https://attacker.example/jwks"})).status_code == 401
    now = int(time.time())
    no_jti = jwt.encode(
        {"iss": ISSUER, "aud": BASE + DISCOVERY, "exp": now + 60, "iat": now},
        RSA_KEY,
        algorithm="RS384",
        headers={"kid": "rsa-1"},
    )
    r = get(client, {"Authorization": f"Bearer {no_jti}"})
    assert r.status_code == 401 and "jti" in r.json()["detail"]


def test_long_lived_and_future_tokens_are_rejected(client):
    assert get(client, auth(DISCOVERY, exp_in=7200)).status_code == 401
    assert get(client, auth(DISCOVERY, iat_offset=600, exp_in=700)).status_code == 401


def test_signature_by_another_key_is_rejected(client):
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert get(client, auth(DISCOVERY, key=other)).status_code == 401


def test_keys_from_a_jwks_file(tmp_path):
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(jwks()))
    app = create_cds_app(settings(issuers={ISSUER: {"jwks_file": str(path)}}))
    assert TestClient(app).get(DISCOVERY, headers=auth(DISCOVERY)).status_code == 200


def test_configuration_from_environment():
    s = CdsSettings.from_env(
        {
            "ALSDX_CDS_ISSUERS": json.dumps({ISSUER: {"jwks_url": "https://ehr.example.org/jwks"}}),
            "ALSDX_CDS_ALGORITHMS": "ES384,RS384",
            "ALSDX_CDS_CORS_ORIGINS": "https://a.org",
            "ALSDX_CDS_BASE_URL": "https://cds.example.org",
        }
    )
    assert s.algorithms == ("ES384", "RS384") and s.auth_required and s.cors_origins == ("https://a.org",)
    with pytest.raises(CdsConfigError, match="HS256"):
        CdsSettings.from_env({"ALSDX_CDS_ALGORITHMS": "RS384,HS256"})
    with pytest.raises(CdsConfigError, match="https"):
        CdsSettings.from_env({"ALSDX_CDS_ISSUERS": json.dumps({ISSUER: {"jwks_url": "http://ehr.example.org/"}})})
    with pytest.raises(CdsConfigError, match="ALSDX_CDS_AUTH"):
        CdsSettings.from_env({"ALSDX_CDS_AUTH": "maybe"})
    assert CdsSettings.from_env({"ALSDX_CDS_AUTH": "off"}).auth_required is False


def test_auth_off_needs_no_token():
    app = create_cds_app(settings(auth_required=False))
    assert TestClient(app).get(DISCOVERY).status_code == 200


def test_default_settings_trust_nobody():
    app = create_cds_app(CdsSettings())
    assert TestClient(app).get(DISCOVERY, headers=auth(DISCOVERY)).status_code == 401


def test_token_helper_defaults_are_valid():
    assert token(DISCOVERY).count(".") == 2
