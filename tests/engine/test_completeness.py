"""Unknown is not absent (issue 14 part 2): a region omitted or null in ``exam`` was not examined, and every door
says so instead of presenting it as "no signs" / "not met" as if the patient had been examined."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from alsdx.api.examples import EXAMPLE_CASE
from alsdx.api.pages.rendering import templates
from alsdx.cli import app
from alsdx.engine.assess import assess
from alsdx.errors import CaseValidationError
from alsdx.fhir import vocab
from alsdx.fhir.from_assessment import assessment_to_bundle
from alsdx.fhir.from_case import case_to_bundle
from alsdx.fhir.phenopacket import case_to_phenopacket, phenopacket_to_case
from alsdx.fhir.to_case import bundle_to_case
from alsdx.model.load import case_from_dict, load_case
from alsdx.terminal.render import render_assessment_text

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples" / "cases"
SETS = ("el_escorial_1994", "revised_el_escorial", "awaji", "gold_coast")
BASE: dict[str, Any] = {
    "id": "ne-1",
    "symptom_onset": "2025-01-01",
    "assessment_date": "2026-01-01",
    "course": "progressive",
}
CERVICAL_ONLY = {
    **BASE,
    "exam": {"cervical": {"umn": ["hyperreflexia"], "lmn": ["atrophy"]}, "lumbosacral": None, "bulbar": {}},
}
"""Cervical UMN + LMN (a possible pattern), bulbar examined without signs, thoracic omitted, lumbosacral null."""
NOTHING = {**BASE, "id": "ne-0"}
"""No region and no EMG muscle: nothing to assess."""


# ---- the case model --------------------------------------------------------------------------------------------


def test_omitted_and_null_regions_are_not_examined_objects_are() -> None:
    case = case_from_dict(CERVICAL_ONLY)
    assert case.exam.cervical.examined and case.exam.bulbar.examined
    assert not case.exam.thoracic.examined and not case.exam.lumbosacral.examined
    assert case.exam.regions_not_examined() == ["thoracic", "lumbosacral"]
    both_empty = case_from_dict({**BASE, "exam": {"thoracic": {"umn": [], "lmn": []}}})
    assert both_empty.exam.thoracic.examined and both_empty.exam.thoracic.umn == []


def test_examined_false_with_signs_is_an_error_naming_the_region() -> None:
    with pytest.raises(CaseValidationError) as info:
        case_from_dict({**BASE, "exam": {"cervical": {"examined": False, "lmn": ["atrophy"]}}})
    errors = {e.path: e.message for e in info.value.errors}
    assert "exam.cervical" in errors, errors
    assert "examined: false" in errors["exam.cervical"] and "remove" in errors["exam.cervical"]


def test_examined_false_without_signs_is_the_same_as_omitting_the_region() -> None:
    stated = case_from_dict({**BASE, "exam": {"bulbar": {"examined": False}}})
    assert stated == case_from_dict(BASE)


def test_a_dumped_case_reads_back_the_same() -> None:
    case = case_from_dict(CERVICAL_ONLY)
    assert case_from_dict(json.loads(case.model_dump_json())) == case


# ---- the assessment ----------------------------------------------------------------------------------------------


def test_completeness_lists_regions_not_examined_and_emg_not_studied() -> None:
    c = assess(case_from_dict(CERVICAL_ONLY)).completeness
    assert c.regions_not_examined == ["thoracic", "lumbosacral"]
    assert c.emg_regions_not_studied == ["bulbar", "cervical", "thoracic", "lumbosacral"]
    assert c.assessable == "partial"
    assert [m.input for m in c.missing] == ["exam.thoracic", "exam.lumbosacral", "emg"]
    with_emg = {**CERVICAL_ONLY, "emg": [{"muscle": "biceps_brachii", "side": "left", "chronic_neurogenic": True}]}
    c = assess(case_from_dict(with_emg)).completeness
    assert c.emg_regions_not_studied == ["bulbar", "thoracic", "lumbosacral"]
    assert "emg (thoracic)" in [m.input for m in c.missing]


@pytest.mark.parametrize(
    ("doc", "assessable"),
    [
        (NOTHING, "none"),
        ({**NOTHING, "emg": [{"muscle": "biceps_brachii", "side": "left"}]}, "partial"),  # EMG only: partial
        ({**NOTHING, "exam": {"bulbar": {}}}, "partial"),
        ({**NOTHING, "exam": {r: {} for r in ("bulbar", "cervical", "thoracic", "lumbosacral")}}, "complete"),
    ],
)
def test_assessable_boundaries(doc: dict[str, Any], assessable: str) -> None:
    assert assess(case_from_dict(doc)).completeness.assessable == assessable


def test_not_met_is_qualified_and_explained_when_regions_were_not_examined() -> None:
    doc = {**BASE, "exam": {"bulbar": {"lmn": ["atrophy"]}, "cervical": {"lmn": ["atrophy"]}}}  # 1994 suspected
    a = assess(case_from_dict(doc))
    gc = a.criteria.gold_coast
    assert gc.category == "not_met"  # the category is still computed from what was recorded
    assert gc.label == "criteria not met on the findings recorded; not examined: thoracic and lumbosacral"
    assert any("thoracic and lumbosacral not examined" in s for s in gc.explanation)
    eec = a.criteria.el_escorial_1994
    assert eec.category == "suspected" and eec.label == "clinically suspected ALS"
    assert any("thoracic and lumbosacral not examined" in s for s in eec.explanation)


def test_nothing_examined_cannot_be_assessed() -> None:
    a = assess(case_from_dict(NOTHING))
    for name in SETS:
        result = getattr(a.criteria, name)
        assert result.category == "not_met"
        assert result.label == "cannot be assessed: no examination findings recorded"
        assert any("cannot be assessed" in s for s in result.explanation)


def test_every_region_examined_keeps_the_plain_label() -> None:
    doc = {**BASE, "exam": {r: {} for r in ("bulbar", "cervical", "thoracic", "lumbosacral")}}
    a = assess(case_from_dict(doc))
    assert a.completeness.assessable == "complete"
    assert {getattr(a.criteria, s).label for s in SETS} == {"criteria not met"}
    assert not any("not examined" in s for name in SETS for s in getattr(a.criteria, name).explanation)


@pytest.mark.parametrize(
    ("doc", "name"),
    [
        (CERVICAL_ONLY, "gold_coast"),  # not met: LMN dysfunction in a second region would meet it
        ({**BASE, "exam": {"bulbar": {"lmn": ["atrophy"]}, "cervical": {"lmn": ["atrophy"]}}}, "el_escorial_1994"),
    ],
)
def test_next_evidence_proposes_examining_the_regions_not_examined(doc: dict[str, Any], name: str) -> None:
    a = assess(case_from_dict(doc))
    items = getattr(a.criteria, name).next_evidence
    assert [n.evidence for n in items[:2]] == [
        "examination of the thoracic region (not examined or not recorded)",
        "examination of the lumbosacral region (not examined or not recorded)",
    ]
    # what it would give is the best that a finding there gives, as listed further down
    for proposal, region in zip(items[:2], ("thoracic", "lumbosacral"), strict=True):
        listed = [n.would_give for n in items[2:] if f"the {region} region" in n.evidence]
        assert listed and proposal.would_give in listed
    # an examined region is never proposed for examination
    assert not any(n.evidence.startswith(("examination of the bulbar", "examination of the cervical")) for n in items)


def test_no_examination_proposed_when_the_set_is_at_its_top() -> None:
    signs = {"umn": ["hyperreflexia"], "lmn": ["atrophy"]}
    doc = {
        **BASE,
        "exam": {"bulbar": {"umn": ["jaw_jerk"], "lmn": ["atrophy"]}, "cervical": signs, "lumbosacral": signs},
    }
    a = assess(case_from_dict(doc))
    assert a.criteria.awaji.category == "definite" and a.completeness.regions_not_examined == ["thoracic"]
    assert not any(n.evidence.startswith("examination of") for n in a.criteria.awaji.next_evidence)


def test_regions_findings_carry_examined_and_emg_studied() -> None:
    a = assess(case_from_dict(CERVICAL_ONLY))
    assert a.regions.bulbar.examined and not a.regions.thoracic.examined
    assert not a.regions.cervical.emg_studied


# ---- every example: the categories are what they were before "not examined" existed ------------------------------


def test_example_categories_are_unchanged() -> None:
    """tests/data/example_categories_main.json was written on main before this change (criteria categories,
    flags, region evidence, PLS and mimics of every shipped example and the OpenAPI example)."""
    before = json.loads((ROOT / "tests" / "data" / "example_categories_main.json").read_text())
    cases = {p.name: load_case(p) for p in sorted(EXAMPLES.glob("*.yaml"))}
    cases["api-example-case"] = case_from_dict(EXAMPLE_CASE)
    assert set(cases) == set(before)
    kinds = ("umn", "lmn_clinical", "lmn_emg_reec", "lmn_emg_awaji", "lmn_gold_coast")
    for name, case in cases.items():
        a = assess(case)
        now = {
            "criteria": {s: getattr(a.criteria, s).category for s in SETS},
            "flags": {s: getattr(a.criteria, s).flags for s in SETS},
            "regions": {
                r: {k: getattr(getattr(a.regions, r), k) for k in kinds}
                for r in ("bulbar", "cervical", "thoracic", "lumbosacral")
            },
            "pls": a.pls.category,
            "mimics": [[m.id, m.level] for m in a.mimics],
        }
        assert now == before[name], name


# ---- the doors ---------------------------------------------------------------------------------------------------


def _text(doc: dict[str, Any], details: bool = False) -> str:
    console = Console(record=True, width=200, color_system=None)
    render_assessment_text(assess(case_from_dict(doc)), console, details=details)
    return console.export_text()


def test_cli_text_names_regions_not_examined() -> None:
    text = " ".join(_text(CERVICAL_ONLY).split())
    assert "Not examined: thoracic, lumbosacral" in text
    assert "not met on the findings recorded" in text
    rows = [line.split() for line in _text(CERVICAL_ONLY, details=True).splitlines() if " n/e " in line]
    assert [r[0] for r in rows] == ["thoracic", "lumbosacral"]  # evidence-by-region rows: n/e, not "-"
    assert all("not examined" in " ".join(r) for r in rows)


def test_cli_json_carries_completeness() -> None:
    out = CliRunner().invoke(app, ["assess", str(EXAMPLES / "lmn-conduction-block.yaml"), "-f", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["completeness"]["regions_not_examined"] == ["thoracic"]
    assert doc["completeness"]["assessable"] == "partial"
    assert doc["criteria"]["awaji"]["label"].startswith("criteria not met on the findings recorded")


def test_web_page_shows_not_examined_instead_of_dashes() -> None:
    a = assess(case_from_dict(CERVICAL_ONLY)).model_dump(mode="json")
    html = templates.env.get_template("_assessment.html").render(a=a, plots=[], plan_ics=None)
    assert html.count('<td colspan="2" class="not-examined">not examined</td>') == 2
    assert "criteria not met on the findings recorded; not examined: thoracic and lumbosacral" in html
    complete = {**BASE, "exam": {r: {} for r in ("bulbar", "cervical", "thoracic", "lumbosacral")}}
    html = templates.env.get_template("_assessment.html").render(
        a=assess(case_from_dict(complete)).model_dump(mode="json"), plots=[], plan_ics=None
    )
    assert "not examined" not in html


def test_fhir_output_notes_regions_not_examined() -> None:
    bundle = assessment_to_bundle(assess(case_from_dict(CERVICAL_ONLY)))
    observations = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]
    gold_coast = next(o for o in observations if o["code"]["coding"][0]["code"] == "gold_coast")
    assert gold_coast["valueCodeableConcept"]["text"].startswith("criteria not met on the findings recorded")
    assert {"text": "Not examined or not recorded: thoracic, lumbosacral"} in gold_coast["note"]
    (impression,) = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "ClinicalImpression"]
    notes = [n["text"] for n in impression["note"]]
    assert "Missing input: exam.thoracic (region not examined (omitted or null in exam))" in notes


def test_fhir_output_has_no_not_met_value_when_nothing_was_examined() -> None:
    bundle = assessment_to_bundle(assess(case_from_dict(NOTHING)))
    observations = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]
    for o in observations:
        if o["code"]["coding"][0]["code"] in SETS:
            assert "valueCodeableConcept" not in o
            assert o["dataAbsentReason"]["coding"][0] == vocab.NOT_PERFORMED.coding()


def test_fhir_and_phenopacket_carry_examined_without_signs_and_omit_not_examined() -> None:
    case = case_from_dict(CERVICAL_ONLY)
    back = bundle_to_case(case_to_bundle(case)).case
    assert back.exam.regions_not_examined() == ["thoracic", "lumbosacral"] and back.exam.bulbar.examined
    packet = phenopacket_to_case(case_to_phenopacket(case)).case
    assert packet.exam.regions_not_examined() == ["thoracic", "lumbosacral"] and packet.exam.bulbar.examined


def test_fhir_import_without_exam_observations_is_not_examined() -> None:
    """An EHR record without coded findings no longer reads as a patient examined and found normal."""
    case = case_from_dict(NOTHING)
    bundle = case_to_bundle(case)
    bundle["entry"] = [e for e in bundle["entry"] if "region-examined" not in json.dumps(e["resource"].get("code", {}))]
    back = bundle_to_case(bundle).case
    assert back.exam.regions_not_examined() == ["bulbar", "cervical", "thoracic", "lumbosacral"]
    assert assess(back).criteria.awaji.label == "cannot be assessed: no examination findings recorded"
