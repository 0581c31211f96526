"""`alsdx fhir import|export|assess|phenopacket`: stdout carries the document, stderr what was not mapped."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from alsdx.cli import app
from alsdx.model.load import load_case

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cases" / "limb-onset-emg.yaml"
runner = CliRunner()


def test_export_import_assess(tmp_path):
    r = runner.invoke(app, ["fhir", "export", str(EXAMPLE)])
    assert r.exit_code == 0, r.output
    bundle = json.loads(r.stdout)
    assert bundle["resourceType"] == "Bundle"
    bundle["entry"].append({"fullUrl": "urn:uuid:x", "resource": {"resourceType": "Device", "id": "d1"}})
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    r = runner.invoke(app, ["fhir", "import", str(path)])
    assert r.exit_code == 0, r.output
    case = json.loads(r.stdout)
    assert case["id"] == "example-limb-onset-emg"
    assert load_case(EXAMPLE).model_dump(mode="json", exclude_none=True) == case
    assert "unmapped: Device/d1: resource type Device is not used by alsdx" in r.stderr
    r = runner.invoke(app, ["fhir", "assess", str(path)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert {e["resource"]["resourceType"] for e in out["entry"]} >= {"ClinicalImpression", "Observation"}


def test_bad_input_exits_2_with_nothing_on_stdout(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"resourceType": "Patient"}')
    r = runner.invoke(app, ["fhir", "import", str(path)])
    assert r.exit_code == 2 and r.stdout == ""
    assert "expected a FHIR Bundle" in r.stderr
    r = runner.invoke(app, ["fhir", "import", str(tmp_path / "missing.json")])
    assert r.exit_code == 2 and r.stdout == ""
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": []}
    path.write_text(json.dumps(bundle))
    r = runner.invoke(app, ["fhir", "import", str(path), "--assessment-date", "2026-01-01"])
    assert r.exit_code == 2 and "symptom_onset" in r.stderr


def test_phenopacket_commands(tmp_path):
    r = runner.invoke(app, ["fhir", "phenopacket", str(EXAMPLE)])
    assert r.exit_code == 0, r.output
    path = tmp_path / "p.json"
    path.write_text(r.stdout)
    r = runner.invoke(app, ["fhir", "from-phenopacket", str(path)])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["id"] == "example-limb-onset-emg"
