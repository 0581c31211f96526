"""Acceptance with a tool nobody on the team wrote: everything alsdx writes as FHIR (the case and assessment Bundles
of every example case, through the library and through ``alsdx fhir export`` / ``alsdx fhir assess``, and every
suggested order) validates with zero errors against HL7's official FHIR R4 JSON schema (tests/fhir/r4_schema.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from r4_schema import schema, schema_errors
from typer.testing import CliRunner

from alsdx.api.cds.cards import CardContext, service_request
from alsdx.cli import app
from alsdx.engine.assess import assess
from alsdx.fhir import vocab
from alsdx.fhir.from_assessment import assessment_to_bundle
from alsdx.fhir.from_case import case_to_bundle
from alsdx.model.load import load_case

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples" / "cases").glob("*.yaml"))


def test_the_vendored_schema_is_the_r4_one():
    s = schema()
    assert s["id"] == "http://hl7.org/fhir/json-schema/4.0"
    assert s["$schema"] == "http://json-schema.org/draft-06/schema#"
    assert len(s["definitions"]) == 680  # the R4 build's resources, data types and backbone elements
    assert {"Observation", "ServiceRequest", "Provenance", "Device", "RiskAssessment"} <= set(s["definitions"])


def _observation(**overrides):
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": vocab.LOINC, "code": "82953-1"}]},
        "valueInteger": 40,
        "effectiveDateTime": "2024-05-01",
        **overrides,
    }


def test_the_schema_accepts_a_valid_observation():
    assert schema_errors(_observation()) == []


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"status": "done"}, "status"),  # not in the R4 observation-status value set
        ({"effectiveDateTime": "2024-13-01"}, "effectiveDateTime"),  # no 13th month
        ({"valueInteger": "40"}, "valueInteger"),  # a string where a number is due
        ({"comments": "x"}, ""),  # not an R4 element (R4 says "note")
    ],
)
def test_the_schema_rejects_what_r4_does_not_allow(overrides, path):
    errors = schema_errors(_observation(**overrides))
    assert errors and any(e.startswith(f"{path}:") for e in errors), errors


def test_a_bad_resource_inside_a_bundle_is_found_with_its_entry_path():
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": _observation(status="done")}]}
    assert schema_errors(bundle) == [
        schema_errors(_observation(status="done"))[0].replace("status", "entry/0/resource/status", 1)
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_exports_and_assesses_to_r4_schema_valid_bundles(path):
    case = load_case(path)
    assert schema_errors(case_to_bundle(case)) == []
    assert schema_errors(assessment_to_bundle(assess(case), inputs=["Observation/o1", "Condition/c1"])) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_cli_writes_r4_schema_valid_bundles(path, tmp_path):
    runner = CliRunner()
    exported = runner.invoke(app, ["fhir", "export", str(path)])
    assert exported.exit_code == 0, exported.output
    bundle = json.loads(exported.stdout)
    assert schema_errors(bundle) == []
    (tmp_path / "in.json").write_text(json.dumps(bundle))
    assessed = runner.invoke(app, ["fhir", "assess", str(tmp_path / "in.json")])
    assert assessed.exit_code == 0, assessed.output
    assert schema_errors(json.loads(assessed.stdout)) == []


@pytest.mark.parametrize("service", sorted(vocab.SERVICES))
def test_every_suggested_order_is_r4_schema_valid(service):
    order = service_request(CardContext("hook-1", "p1"), service, "reason")["actions"][0]["resource"]
    assert schema_errors(order) == []
