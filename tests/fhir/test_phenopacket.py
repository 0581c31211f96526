"""Phenopacket v2 export/import: HPO features, excluded negatives, and a round trip to the same case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alsdx.engine.assess import assess
from alsdx.fhir.phenopacket import case_to_phenopacket_json, phenopacket_json_to_case
from alsdx.model.load import load_case

EXAMPLES = sorted(Path(__file__).resolve().parents[2].joinpath("examples", "cases").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_phenopacket_round_trip(path):
    case = load_case(path)
    text = case_to_phenopacket_json(case)
    result = phenopacket_json_to_case(text)
    assert result.unmapped == []
    assert result.case == case
    assert assess(result.case).model_dump(mode="json") == assess(case).model_dump(mode="json")


def test_negatives_are_excluded_hpo_features():
    case = load_case(EXAMPLES[0])
    packet = json.loads(case_to_phenopacket_json(case))
    features = {f["type"]["id"]: f for f in packet["phenotypicFeatures"]}
    assert features["HP:0003474"]["excluded"] is True  # no sensory loss
    assert "excluded" not in features["HP:0002380"]  # fasciculations present
    assert features["HP:0003676"].get("excluded") is None  # progressive
    assert packet["diseases"][0]["term"]["id"] == "SNOMEDCT:86044005"
    assert {r["namespacePrefix"] for r in packet["metaData"]["resources"]} >= {"HP", "LOINC", "ALSDX"}
