"""Shared helpers for the CDS Hooks tests: keys, signed tokens and prefetch built from a case."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from alsdx.api.cds.settings import CdsSettings
from alsdx.fhir.from_case import case_to_bundle

ISSUER = "https://ehr.example.org/"
BASE = "http://testserver"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP384R1())


def jwks() -> dict[str, Any]:
    rsa_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(RSA_KEY.public_key()))
    ec_jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(EC_KEY.public_key()))
    return {"keys": [rsa_jwk | {"kid": "rsa-1", "use": "sig"}, ec_jwk | {"kid": "ec-1", "use": "sig"}]}


def settings(**overrides: Any) -> CdsSettings:
    raw: dict[str, Any] = {
        "issuers": {ISSUER: {"jwks": jwks()}},
        "base_url": BASE,
        "patient_page_url": "https://alsdx.example.org/patients/{patient_id}",
    }
    raw.update(overrides)
    return CdsSettings.model_validate(raw)


def token(
    path: str,
    *,
    alg: str = "RS384",
    kid: str = "rsa-1",
    iss: str = ISSUER,
    aud: str | None = None,
    exp_in: int = 120,
    iat_offset: int = 0,
    jti: str | None = None,
    headers: dict[str, Any] | None = None,
    key: Any = None,
) -> str:
    now = int(time.time())
    claims = {
        "iss": iss,
        "aud": aud or f"{BASE}{path}",
        "exp": now + exp_in,
        "iat": now + iat_offset,
        "jti": jti or str(uuid.uuid4()),
    }
    if key is None:
        key = EC_KEY if alg.startswith("ES") else RSA_KEY
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid, "typ": "JWT", **(headers or {})})


def auth(path: str, **kw: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(path, **kw)}"}


def rest_references(bundle: dict[str, Any], patient_id: str) -> dict[str, Any]:
    """Rewrite the export's urn:uuid patient references to ``Patient/<id>``, as a FHIR server stores them."""
    patient_url = next(e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    return json.loads(json.dumps(bundle).replace(patient_url, f"Patient/{patient_id}"))


def prefetch_for(case: Any) -> dict[str, Any]:
    """The patient-view prefetch an EHR would send for ``case`` (searchset Bundles per template, with
    server-style references ``Patient/<id>`` as a FHIR server returns them)."""
    bundle = rest_references(case_to_bundle(case), case.id)
    by_type: dict[str, list[dict[str, Any]]] = {}
    for e in bundle["entry"]:
        by_type.setdefault(e["resource"]["resourceType"], []).append(e)

    def searchset(rtype: str) -> dict[str, Any]:
        entries = [
            {"fullUrl": e["fullUrl"], "resource": e["resource"], "search": {"mode": "match"}}
            for e in by_type.get(rtype, [])
        ]
        return {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries}

    observations = by_type.pop("Observation", [])
    for e in observations:  # each Observation under the prefetch key whose code filter names its code
        system = e["resource"]["code"]["coding"][0]["system"]
        key = "measurements" if system == "http://loinc.org" else "alsdx" if system.startswith("urn:alsdx") else "obs"
        by_type.setdefault(f"Observation:{key}", []).append(e)
    (patient,) = by_type["Patient"]
    return {
        "patient": patient["resource"],
        "conditions": searchset("Condition"),
        "observations": searchset("Observation:obs"),
        "measurements": searchset("Observation:measurements"),
        "alsdxObservations": searchset("Observation:alsdx"),
        "medicationStatements": searchset("MedicationStatement"),
        "medicationRequests": searchset("MedicationRequest"),
        "familyHistory": searchset("FamilyMemberHistory"),
        "questionnaireResponses": searchset("QuestionnaireResponse"),
    }


def hook_request(case: Any, *, prefetch: dict[str, Any] | bool | None = True, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hookInstance": str(uuid.uuid4()),
        "hook": "patient-view",
        "context": {"userId": "Practitioner/example", "patientId": case.id},
    }
    if prefetch is True:
        body["prefetch"] = prefetch_for(case)
    elif isinstance(prefetch, dict):
        body["prefetch"] = prefetch
    body.update(extra)
    return body
