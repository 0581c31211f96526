"""Acceptance with a tool nobody on the team wrote: every resource a patient-view card suggests (the draft orders an
EHR would create) validates with zero errors against HL7's official FHIR R4 JSON schema, for every example case."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "fhir"))
from cds_helpers import auth, hook_request, settings
from r4_schema import schema_errors

from alsdx.api.cds import PATIENT_VIEW_ID, create_cds_app
from alsdx.model.load import load_case

PV = f"/cds-services/{PATIENT_VIEW_ID}"
EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples" / "cases").glob("*.yaml"))


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_cds_app(settings(), today=lambda: date(2026, 11, 23)))


def _suggested_resources(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        action["resource"]
        for card in cards
        for suggestion in card.get("suggestions", [])
        for action in suggestion.get("actions", [])
        if "resource" in action
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_resource_a_card_suggests_is_r4_schema_valid(path, client):
    r = client.post(PV, json=hook_request(load_case(path)), headers=auth(PV))
    assert r.status_code == 200, r.text
    for resource in _suggested_resources(r.json()["cards"]):
        assert schema_errors(resource) == [], resource


def test_the_examples_do_get_suggested_orders_so_the_check_above_is_not_empty(client):
    suggested = [
        res
        for path in EXAMPLES
        for res in _suggested_resources(
            client.post(PV, json=hook_request(load_case(path)), headers=auth(PV)).json()["cards"]
        )
    ]
    assert len(suggested) >= 3
    assert {r["resourceType"] for r in suggested} == {"ServiceRequest"}
    assert all(r["code"]["coding"] for r in suggested)
