"""A hospital's local codes through a FHIR R4 ConceptMap (ALSDX_FHIR_CONCEPT_MAP): applied on import, checked at start
with an error naming the bad entry."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from fhir_bundles import searchset

from alsdx.fhir import vocab
from alsdx.fhir.local_codes import ConceptMapError, from_env, load_concept_map, parse_concept_map
from alsdx.fhir.to_case import bundle_to_case

LOCAL = "https://hospital.example.org/fhir/CodeSystem/neuro-exam"
LOCAL_SITES = "https://hospital.example.org/fhir/CodeSystem/sites"


def concept_map(*groups):
    return {"resourceType": "ConceptMap", "id": "local", "status": "active", "group": list(groups)}


def group(source, target, *elements):
    return {"source": source, "target": target, "element": list(elements)}


def element(code, target_code, equivalence="equivalent"):
    return {"code": code, "target": [{"code": target_code, "equivalence": equivalence}]}


GOOD = concept_map(
    group(LOCAL, vocab.HPO, element("REFLEX-BRISK", "HP:0001347"), element("FASC", "HP:0002380")),
    group(LOCAL_SITES, vocab.ALSDX_REGION, element("ARM", "cervical")),
    group(LOCAL, vocab.ALSDX_MUSCLE, element("FDI", "first_dorsal_interosseous")),
    group("https://hospital.example.org/problems", vocab.SNOMED, element("MND-1", "86044005")),
)


def resources():
    return [
        {"resourceType": "Patient", "id": "p", "gender": "female", "birthDate": "1960-01-01"},
        {
            "resourceType": "Condition",
            "id": "c",
            "code": {"coding": [{"system": "https://hospital.example.org/problems", "code": "MND-1"}]},
            "subject": {"reference": "Patient/p"},
            "onsetDateTime": "2025-01-10",
        },
        {
            "resourceType": "Observation",
            "id": "o",
            "status": "final",
            "code": {"coding": [{"system": LOCAL, "code": "FASC"}]},
            "bodySite": {"coding": [{"system": LOCAL_SITES, "code": "ARM"}]},
            "subject": {"reference": "Patient/p"},
            "effectiveDateTime": "2026-01-05",
            "valueBoolean": True,
        },
    ]


def test_local_codes_are_read_through_the_concept_map_and_the_local_coding_is_kept():
    codes = parse_concept_map(GOOD)
    result = bundle_to_case(searchset(resources()), assessment_date=date(2026, 2, 1), local_codes=codes)
    assert result.case.exam.cervical.lmn == ["fasciculations"]
    mapped = codes.apply(resources()[2])
    assert mapped["code"]["coding"][0] == {"system": LOCAL, "code": "FASC"}
    assert mapped["code"]["coding"][1]["code"] == "HP:0002380"


def test_without_the_map_the_same_record_has_no_mnd_condition():
    from alsdx.fhir.errors import NoMndCondition

    with pytest.raises(NoMndCondition):
        bundle_to_case(searchset(resources()), assessment_date=date(2026, 2, 1))


def test_apply_leaves_a_resource_without_local_codes_untouched():
    codes = parse_concept_map(GOOD)
    other = {"resourceType": "Observation", "code": {"coding": [{"system": vocab.LOINC, "code": "8867-4"}]}}
    assert codes.apply(other) is other


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (concept_map(group(LOCAL, vocab.HPO, element("X", "HP:9999999"))), r"group\[0\]\.element\[0\] \(code 'X'\)"),
        (concept_map(group(LOCAL, vocab.HPO, element("X", "HP:0001347", "wider"))), "equivalence 'wider'"),
        (concept_map(group(LOCAL, vocab.HPO, element("X", "HP:0001347", "narrower"))), "equivalence 'narrower'"),
        (concept_map(group(None, vocab.HPO, element("X", "HP:0001347"))), r"group\[0\]: 'source'"),
        (concept_map(group(LOCAL, None, element("X", "HP:0001347"))), r"group\[0\]: 'target'"),
        (concept_map(group(LOCAL, vocab.ALSDX_MUSCLE, element("M", "biceps"))), "is not a code alsdx reads"),
        (
            concept_map(group(LOCAL, vocab.HPO, element("A", "HP:0001347")), group(LOCAL, vocab.HPO, {"code": "B"})),
            r"group\[1\]\.element\[0\] \(code 'B'\): no target",
        ),
        ({"resourceType": "ValueSet"}, "expected a FHIR R4 ConceptMap"),
        ({"resourceType": "ConceptMap", "status": "nonsense-type", "group": "x"}, "not a valid R4 ConceptMap"),
    ],
)
def test_a_bad_entry_stops_loading_with_an_error_naming_it(bad, message):
    with pytest.raises(ConceptMapError, match=message):
        parse_concept_map(bad)


def test_the_setting_names_the_file_and_a_file_that_is_not_json_is_refused(tmp_path: Path):
    good = tmp_path / "map.json"
    good.write_text(json.dumps(GOOD))
    assert len(from_env({"ALSDX_FHIR_CONCEPT_MAP": str(good)})) == 5
    assert len(from_env({})) == 0
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ConceptMapError, match="not JSON"):
        load_concept_map(broken)
    with pytest.raises(ConceptMapError, match="cannot be read"):
        load_concept_map(tmp_path / "missing.json")


def test_a_bad_map_stops_the_cds_service_and_the_cli_at_start(tmp_path: Path, monkeypatch):
    from typer.testing import CliRunner

    from alsdx.api.cds import CdsService
    from alsdx.api.cds.settings import CdsSettings
    from alsdx.cli import app

    bad = tmp_path / "map.json"
    bad.write_text(json.dumps(concept_map(group(LOCAL, vocab.HPO, element("X", "HP:9999999")))))
    monkeypatch.setenv("ALSDX_FHIR_CONCEPT_MAP", str(bad))
    with pytest.raises(ConceptMapError, match=r"group\[0\]\.element\[0\] \(code 'X'\)"):
        CdsService(CdsSettings())
    bundle = tmp_path / "b.json"
    bundle.write_text(json.dumps(searchset(resources())))
    r = CliRunner().invoke(app, ["fhir", "import", str(bundle)])
    assert r.exit_code == 2 and "code 'X'" in r.output and r.stdout.strip() == ""
    good = tmp_path / "good.json"
    good.write_text(json.dumps(GOOD))
    monkeypatch.setenv("ALSDX_FHIR_CONCEPT_MAP", str(good))
    r = CliRunner().invoke(app, ["fhir", "import", str(bundle)])
    assert r.exit_code == 0 and json.loads(r.stdout)["exam"]["cervical"]["lmn"] == ["fasciculations"]
