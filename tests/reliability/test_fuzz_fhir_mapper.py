"""Hostile input to the FHIR R4 and Phenopacket importers: the only outcomes are an import result or a
typed alsdx error. Bundles start from the export of each example case (so most edits land on
resources alsdx reads) and get one to three random edits; an accepted import must assess cleanly."""

from __future__ import annotations

import contextlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hostile_values import FUZZ, json_values, mutated, paths
from hypothesis import example, given
from hypothesis import strategies as st

from alsdx.engine.assess import assess
from alsdx.errors import AlsdxError
from alsdx.fhir import vocab
from alsdx.fhir.from_case import case_to_bundle
from alsdx.fhir.phenopacket import case_to_phenopacket_json, phenopacket_json_to_case
from alsdx.fhir.to_case import ImportResult, bundle_to_case, lab_panels, resources_to_case
from alsdx.model.load import load_case

EXAMPLES = sorted(Path(__file__).resolve().parents[2].joinpath("examples", "cases").glob("*.yaml"))
CASES = [load_case(p) for p in EXAMPLES]
BUNDLES = [json.loads(json.dumps(case_to_bundle(c))) for c in CASES]
PACKETS = [json.loads(case_to_phenopacket_json(c)) for c in CASES]
FHIR_KEYS = sorted({str(p[-1]) for b in BUNDLES for p in paths(b) if isinstance(p[-1], str)})
FHIR_VALUES = st.sampled_from(
    [
        *sorted({c.code for c in vocab.all_codes()} | {c.system for c in vocab.all_codes()}),
        *["Bundle", "Patient", "Observation", "Condition", "Medication", "MedicationRequest", "OperationOutcome"],
        *["QuestionnaireResponse", "FamilyMemberHistory", "Basic", "entered-in-error", "refuted", "outcome"],
        *["%", "U/L", "ukat/L", "/uL", "2026-02-30", "2026", "2026-03", "9999-12-31T23:59:59Z", "Patient/other"],
    ]
)


def imported(run: Any) -> ImportResult | AlsdxError:
    try:
        result = run()
    except AlsdxError as exc:
        assert str(exc), "a typed error must carry a message"
        return exc
    assert all(u.resource and u.reason for u in result.unmapped), "every unmapped item says which and why"
    json.dumps(assess(result.case).model_dump(mode="json"), allow_nan=False)
    return result


@FUZZ
@given(st.data())
def test_mutated_bundles(data):
    base = data.draw(st.sampled_from(BUNDLES))
    bundle = data.draw(mutated(base, keys=st.sampled_from(FHIR_KEYS), values=FHIR_VALUES))
    imported(lambda: bundle_to_case(bundle))
    imported(lambda: bundle_to_case(bundle, assessment_date=date(2026, 6, 1), case_id="fuzz"))


@FUZZ
@given(st.data())
def test_mutated_resources_as_cds_prefetch(data):
    base = data.draw(st.sampled_from(BUNDLES))
    bundle = data.draw(mutated(base, keys=st.sampled_from(FHIR_KEYS), values=FHIR_VALUES))
    entries = bundle.get("entry") if isinstance(bundle, dict) else None
    entries = entries if isinstance(entries, list) else []
    resources = [(f"r{i}", e.get("resource") if isinstance(e, dict) else e) for i, e in enumerate(entries)]
    imported(lambda: resources_to_case(resources))
    with contextlib.suppress(AlsdxError):
        lab_panels(resources, date(2026, 6, 1))


@FUZZ
@given(json_values)
@example({"resourceType": "Bundle", "entry": "x"})
@example({"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Bundle", "entry": 5}}]})
@example(
    {
        "resourceType": "Bundle",
        "entry": [{"search": "x", "resource": {"resourceType": "Bundle", "entry": [{"search": "x"}]}}],
    }
)
@example({"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "NoSuchType"}}]})
@example({"resourceType": "Bundle", "entry": [{"resource": {"resourceType": 3}}]})
def test_arbitrary_json_as_bundle(value):
    imported(lambda: bundle_to_case(value))
    if isinstance(value, dict):
        imported(lambda: bundle_to_case({**value, "resourceType": "Bundle"}))
        imported(lambda: resources_to_case([("x", {"resourceType": "Bundle", **value})]))


def _nested_bundles(depth: int) -> dict[str, Any]:
    inner: dict[str, Any] = {"resourceType": "Patient", "id": "p"}
    for _ in range(depth):
        inner = {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": inner}]}
    return inner


@pytest.mark.parametrize("depth", [3, 200, 5_000])
def test_deeply_nested_prefetch_bundles_are_a_typed_error_or_flattened(depth):
    result = imported(lambda: resources_to_case([("prefetch", _nested_bundles(depth))]))
    assert isinstance(result, AlsdxError)  # no ALS condition in any case; never a RecursionError


@FUZZ
@given(st.data())
def test_mutated_phenopackets(data):
    base = data.draw(st.sampled_from(PACKETS))
    packet = data.draw(mutated(base))
    imported(lambda: phenopacket_json_to_case(json.dumps(packet)))


@FUZZ
@given(st.text(max_size=500) | json_values.map(json.dumps))
def test_arbitrary_text_as_phenopacket(text):
    imported(lambda: phenopacket_json_to_case(text))


@pytest.mark.parametrize("depth", [10, 300, 900])
def test_deeply_nested_resource_is_reported_not_a_crash(depth):
    ext: dict[str, Any] = {"url": "http://example.org/x", "valueString": "v"}
    for _ in range(depth):
        ext = {"url": "http://example.org/x", "extension": [ext]}
    obs = {"resourceType": "Observation", "id": "deep", "status": "final", "code": {"text": "x"}, "extension": [ext]}
    bundle = {**BUNDLES[0], "entry": [*BUNDLES[0]["entry"], {"resource": obs}]}
    result = imported(lambda: bundle_to_case(bundle))
    assert isinstance(result, ImportResult)
    reasons = [u.reason for u in result.unmapped if u.resource == "Observation/deep"]
    assert reasons and (depth < 64) != ("nested more than 64 levels deep" in reasons[0])
