"""Write-back an EHR can use (issue 16): derived resources are preliminary, name alsdx and its ruleset version through a
Device and one Provenance whose sources are the input resources; suggested orders carry a standard code first."""

from __future__ import annotations

import json
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.servicerequest import ServiceRequest
from typer.testing import CliRunner

from alsdx import RULESET_VERSION
from alsdx.api.cds.cards import CardContext, service_request
from alsdx.cli import app
from alsdx.engine.assess import assess
from alsdx.fhir import vocab
from alsdx.fhir.from_assessment import assessment_to_bundle
from alsdx.model.load import load_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"


def _by_type(bundle):
    out: dict[str, list[dict]] = {}
    for e in bundle["entry"]:
        out.setdefault(e["resource"]["resourceType"], []).append(e)
    return out


def test_derived_observations_are_preliminary_and_point_at_the_alsdx_device():
    bundle = assessment_to_bundle(assess(load_case(EXAMPLES / "bulbar-onset.yaml")), inputs=["Observation/o1"])
    Bundle.model_validate(bundle)
    by_type = _by_type(bundle)
    (device,) = by_type["Device"]
    assert device["resource"]["version"][0]["value"] == RULESET_VERSION
    observations = [e["resource"] for e in by_type["Observation"]]
    assert observations and all(o["status"] == "preliminary" for o in observations)
    assert all(o["device"]["reference"] == device["fullUrl"] for o in observations)
    assert all(r["resource"]["status"] == "preliminary" for r in by_type.get("RiskAssessment", []))


def test_one_provenance_targets_everything_written_with_alsdx_as_author_and_the_inputs_as_sources():
    bundle = assessment_to_bundle(
        assess(load_case(EXAMPLES / "limb-onset-emg.yaml")), inputs=["Condition/c1", "Observation/o2"]
    )
    by_type = _by_type(bundle)
    (prov,) = [e["resource"] for e in by_type["Provenance"]]
    written = {e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] not in {"Device", "Provenance"}}
    assert {t["reference"] for t in prov["target"]} == written
    assert prov["agent"][0]["who"]["reference"] == by_type["Device"][0]["fullUrl"]
    assert prov["agent"][0]["type"]["coding"][0]["code"] == "assembler"
    assert [e["what"]["reference"] for e in prov["entity"]] == ["Condition/c1", "Observation/o2"]
    assert all(e["role"] == "source" for e in prov["entity"])


def test_the_cli_names_only_the_input_resources_it_used(tmp_path):
    runner = CliRunner()
    exported = runner.invoke(app, ["fhir", "export", str(EXAMPLES / "limb-onset-emg.yaml")])
    bundle = json.loads(exported.stdout)
    bundle["entry"].append({"resource": {"resourceType": "Encounter", "id": "e1", "status": "finished"}})
    path = tmp_path / "in.json"
    path.write_text(json.dumps(bundle))
    r = runner.invoke(app, ["fhir", "assess", str(path)])
    assert r.exit_code == 0, r.output
    prov = next(e["resource"] for e in json.loads(r.stdout)["entry"] if e["resource"]["resourceType"] == "Provenance")
    sources = [e["what"]["reference"] for e in prov["entity"]]
    assert "Encounter/e1" not in sources
    assert len(sources) == len(bundle["entry"]) - 1


def test_a_suggested_order_with_a_standard_code_puts_it_first_and_keeps_the_alsdx_code():
    ctx = CardContext("hook-1", "p1")
    mri = service_request(ctx, "mri_cervical_spine", "myelopathy")["actions"][0]["resource"]
    ServiceRequest.model_validate(mri)
    codings = mri["code"]["coding"]
    assert (codings[0]["system"], codings[0]["code"]) == (vocab.LOINC, "24935-9")
    assert codings[1]["system"] == vocab.ALSDX_SERVICE
    emg = service_request(ctx, "emg", "LMN evidence")["actions"][0]["resource"]
    assert [c["system"] for c in emg["code"]["coding"]] == [vocab.ALSDX_SERVICE]  # no verified standard code
    alt = service_request(ctx, "alt", "baseline")["actions"][0]["resource"]
    assert alt["code"]["coding"][0]["code"] == "1742-6"
