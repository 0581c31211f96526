"""Acceptance with tools nobody on the team wrote (issue 16): everything alsdx writes as FHIR passes FHIR.js and
every R4 core invariant (FHIRPath constraints of HL7's R4 StructureDefinitions, evaluated by fhirpath.js) with no
error and no warning. tests/fhir/node/validate.js runs both; `make test` installs them (.ci/machine_setup.sh).

Checked: the case and assessment Bundles of every example case and the draft orders every patient-view card
suggests. The only FHIR.js messages allowed are "code not in value set" on an `example` binding, or on a value set
that includes a whole external code system FHIR.js has no content for (R4 §4.1.2.3: an example binding sets no
expectation); validate.js names that reason on each such message, and anything else fails here."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from alsdx import assess
from alsdx.fhir.from_assessment import assessment_to_bundle
from alsdx.fhir.from_case import case_to_bundle
from alsdx.model.load import load_case

sys.path.insert(0, str(Path(__file__).parents[1] / "api"))
from cds_helpers import auth, hook_request, settings

from alsdx.api.cds import PATIENT_VIEW_ID, create_cds_app

NODE_DIR = Path(__file__).parent / "node"
EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples" / "cases").glob("*.yaml"))


def validate(resources: dict[str, dict[str, Any]], tmp: Path) -> dict[str, dict[str, list[dict[str, Any]]]]:
    node = shutil.which("node")
    assert node and (NODE_DIR / "node_modules" / "fhir").is_dir(), "run .ci/machine_setup.sh (make test does)"
    files = []
    for name, resource in resources.items():
        files.append(tmp / f"{name}.json")
        files[-1].write_text(json.dumps(resource), encoding="utf-8")
    out = subprocess.run([node, str(NODE_DIR / "validate.js"), *map(str, files)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return {Path(k).stem: v for k, v in json.loads(out.stdout).items()}


def findings(report: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Everything FHIR R4 would call an error or a warning."""
    unexplained = [m for m in report["fhirjs"] if not m.get("explained")]
    return unexplained + report["violations"] + report["unevaluated"]


def _suggested(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        action["resource"]
        for card in cards
        for suggestion in card.get("suggestions", [])
        for action in suggestion.get("actions", [])
        if "resource" in action
    ]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every resource alsdx writes for the example cases."""
    client = TestClient(create_cds_app(settings(), today=lambda: date(2026, 11, 23)))
    path_pv = f"/cds-services/{PATIENT_VIEW_ID}"
    out: dict[str, dict[str, Any]] = {}
    for path in EXAMPLES:
        case = load_case(path)
        out[f"{path.stem}-case"] = case_to_bundle(case)
        out[f"{path.stem}-assessment"] = assessment_to_bundle(assess(case), inputs=["Observation/o1"])
        r = client.post(path_pv, json=hook_request(case), headers=auth(path_pv))
        assert r.status_code == 200, r.text
        for i, resource in enumerate(_suggested(r.json()["cards"])):
            out[f"{path.stem}-suggested-{i}"] = resource
    return out


@pytest.fixture(scope="module")
def reports(written: dict[str, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return validate(written, tmp_path_factory.mktemp("fhir"))


def test_everything_alsdx_writes_passes_fhirjs_and_every_r4_invariant(reports: dict[str, Any]) -> None:
    assert {name: findings(r) for name, r in reports.items() if findings(r)} == {}


def test_the_check_covers_bundles_and_suggested_orders(written: dict[str, dict[str, Any]]) -> None:
    kinds = {r["resourceType"] for r in written.values()}
    assert {"Bundle", "ServiceRequest"} <= kinds
    entries = {e["resource"]["resourceType"] for r in written.values() for e in r.get("entry", [])}
    assert {"Patient", "Observation", "Condition", "Provenance", "Device", "CarePlan"} <= entries


def test_every_resource_written_carries_a_generated_narrative(written: dict[str, dict[str, Any]]) -> None:
    resources = [e["resource"] for r in written.values() for e in r.get("entry", [])]
    resources += [r for r in written.values() if r["resourceType"] != "Bundle"]
    assert resources and all(r["text"]["status"] == "generated" for r in resources)
    assert all(r["text"]["div"].startswith('<div xmlns="http://www.w3.org/1999/xhtml">') for r in resources)


_OBSERVATION = {
    "resourceType": "Observation",
    "text": {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml"><p>FVC</p></div>'},
    "status": "final",
    "code": {"coding": [{"system": "http://loinc.org", "code": "19868-9"}]},
    "effectiveDateTime": "2024-05-01",
}


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        # obs-6: dataAbsentReason SHALL only be present if Observation.value[x] is not present
        ({"valueInteger": 3, "dataAbsentReason": {"text": "not done"}}, ("violation", "obs-6")),
        # qty-3: if a code for the unit is present, the system SHALL also be present
        ({"valueQuantity": {"value": 3.1, "code": "L"}}, ("violation", "qty-3")),
        # dom-6 (a warning): a resource should have narrative
        ({"text": None}, ("violation", "dom-6")),
        # txt-2: the narrative SHALL have some non-whitespace content
        (
            {"text": {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml"> </div>'}},
            ("violation", "txt-2"),
        ),
        # FHIR.js: status is bound (required) to observation-status
        ({"status": "done"}, ("fhirjs", "error")),
    ],
    ids=["obs-6", "qty-3", "dom-6", "txt-2", "required-binding"],
)
def test_the_tools_do_catch_what_r4_forbids(
    overrides: dict[str, Any], expected: tuple[str, str], tmp_path: Path
) -> None:
    resource = {k: v for k, v in {**_OBSERVATION, **overrides}.items() if v is not None}
    report = validate({"bad": resource}, tmp_path)["bad"]
    kind, what = expected
    if kind == "violation":
        assert what in {v["key"] for v in report["violations"]}, report
    else:
        assert any(m["severity"] == what for m in report["fhirjs"]), report


def test_a_code_on_an_example_binding_is_explained_not_hidden(tmp_path: Path) -> None:
    report = validate({"ok": _OBSERVATION}, tmp_path)["ok"]
    assert findings(report) == []
    assert [m["explained"] for m in report["fhirjs"]] == ["example binding"]  # FHIR.js has no LOINC content
