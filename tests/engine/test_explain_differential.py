"""The differential in the assessment (src/alsdx/explain_differential.py): assess() reports PLS, mimics,
supportive features and the work-up beside (never instead of) the criteria."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from alsdx.cli import app
from alsdx.engine.assess import assess
from alsdx.model.load import case_from_dict, load_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
SETS = ("el_escorial_1994", "revised_el_escorial", "awaji", "gold_coast")


def doc(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text())
    return data


def categories(a) -> dict[str, str]:
    return {s: getattr(a.criteria, s).category for s in SETS}


@pytest.mark.parametrize(
    ("name", "criteria", "mimics"),
    [
        ("bulbar-onset", ("definite", "definite", "definite", "met"), []),
        (
            "mimic-cervical-myelopathy",
            ("possible", "possible", "possible", "met"),
            [("cervical_myelopathy", "likely")],
        ),
        (
            "mimic-pls",
            ("possible", "possible", "possible", "not_met"),
            [("primary_lateral_sclerosis", "likely")],
        ),
        (
            "lmn-conduction-block",
            ("not_met", "not_met", "not_met", "met"),
            [("multifocal_motor_neuropathy", "likely")],
        ),
        (
            "mimic-kennedy",
            ("suspected", "not_met", "not_met", "met"),
            [("kennedy_disease", "likely"), ("polymyositis_dermatomyositis", "consider")],
        ),
        (
            "mimic-inclusion-body-myositis",
            ("suspected", "not_met", "not_met", "met"),
            [("inclusion_body_myositis", "likely")],
        ),
        (
            "mimic-dermatomyositis",
            ("not_met", "not_met", "not_met", "not_met"),
            [("polymyositis_dermatomyositis", "likely"), ("paraneoplastic_paraproteinaemic", "consider")],
        ),
    ],
)
def test_examples_criteria_and_mimics(name, criteria, mimics):
    a = assess(load_case(EXAMPLES / f"{name}.yaml"))
    assert tuple(categories(a).values()) == criteria
    assert [(m.id, m.level) for m in a.mimics] == mimics


def test_a_mimic_never_changes_a_category():
    with_flags = doc("lmn-conduction-block")
    without = {
        **with_flags,
        "ncs": {"motor_conduction_block": False, "sensory_abnormal": False},
        "labs": [{"date": "2026-01-15", "ck_u_per_l": 180, "anti_gm1_igm": "negative"}],
    }
    a, b = assess(case_from_dict(with_flags)), assess(case_from_dict(without))
    assert a.mimics and categories(a) == categories(b)


def test_sorted_likely_first_then_treatable_first():
    d = doc("lmn-conduction-block")
    d["genetics"] = {"ar_cag_repeats": 41}
    d["history"] = {"lead_exposure": True}
    ids = [(m.id, m.level, m.treatable) for m in assess(case_from_dict(d)).mimics]
    assert ids == [
        ("multifocal_motor_neuropathy", "likely", True),
        ("kennedy_disease", "likely", False),
        ("lead_neuropathy", "consider", True),
    ]


def test_red_flags_name_the_case_fields():
    a = assess(load_case(EXAMPLES / "lmn-conduction-block.yaml"))
    mmn = a.mimics[0]
    by_id = {f.id: f.fields for f in mmn.red_flags}
    assert by_id["conduction_block"] == ["ncs.motor_conduction_block"]
    assert by_id["anti_gm1_igm"] == ["labs.anti_gm1_igm"]
    assert "Nerve conduction studies" in mmn.workup and mmn.treatable and "2010" in mmn.source


def test_explanation_puts_mimics_side_by_side_with_the_category():
    a = assess(load_case(EXAMPLES / "mimic-cervical-myelopathy.yaml"))
    text = " ".join(a.criteria.awaji.explanation)
    assert "Awaji gives clinically possible ALS; red flags for Cervical myelopathy" in text
    assert "never changes the category" in text
    assert not any(
        "red flags" in s for s in assess(load_case(EXAMPLES / "bulbar-onset.yaml")).criteria.awaji.explanation
    )


def test_exclusion_complete_needs_the_record_and_the_essential_work_up():
    classic = doc("bulbar-onset")
    a = assess(case_from_dict(classic))
    assert a.exclusion.complete and a.exclusion.outstanding == []
    assert all("exclusion_pending" not in getattr(a.criteria, s).flags for s in SETS)

    no_tsh = {**classic, "labs": [p for p in classic["labs"] if "tsh_mu_per_l" not in p]}
    b = assess(case_from_dict(no_tsh))
    assert not b.exclusion.complete and "Thyroid function (TSH)" in b.exclusion.outstanding
    assert all("exclusion_pending" in getattr(b.criteria, s).flags for s in SETS)
    assert any("required work-up not yet recorded: Thyroid function (TSH)" in s for s in b.criteria.awaji.explanation)
    assert categories(a) == categories(b)

    c = assess(case_from_dict({**classic, "other_causes_excluded": False}))
    assert not c.exclusion.complete and all("exclusion_pending" in getattr(c.criteria, s).flags for s in SETS)


def test_raised_mimic_makes_its_work_up_required():
    a = assess(load_case(EXAMPLES / "limb-onset-emg.yaml"))
    assert [m.id for m in a.mimics] == ["cervical_myelopathy"]
    item = next(w for w in a.exclusion.workup if w.id == "cervical_spine_mri")
    assert item.required and item.status == "not_done"
    assert "MRI cervical spine" in a.exclusion.outstanding
    assert any("Cervical myelopathy" in r for r in item.reasons)


def test_work_up_statuses_from_the_case():
    a = assess(load_case(EXAMPLES / "lmn-conduction-block.yaml"))
    status = {w.id: w.status for w in a.exclusion.workup}
    assert status["ncs"] == "done_abnormal" and status["ck"] == "done_normal"
    assert status["emg"] == "done" and status["thyroid_function"] == "not_done"
    assert status["anti_gm1"] == "done_abnormal" and status["cervical_spine_mri"] == "done_normal"


def test_supportive_features_raise_lower_and_caution():
    classic = assess(load_case(EXAMPLES / "bulbar-onset.yaml"))
    raises = {s.id for s in classic.supportive if s.direction == "raises"}
    assert {"pseudobulbar_affect", "widespread_fasciculations"} <= raises
    d = doc("bulbar-onset")
    d["exam"] = {**d["exam"], "tongue_fasciculations": "symmetric_movements_only"}
    d["labs"] = [*d["labs"], {"date": "2025-12-02", "ck_u_per_l": 1200}]
    s = {x.id: x for x in assess(case_from_dict(d)).supportive}
    assert s["bulbar_fasciculations_unconfirmed"].direction == "caution"
    assert "typically not fasciculations" in s["bulbar_fasciculations_unconfirmed"].feature
    assert "tongue_symmetric_movements_only" not in s and "tongue_fasciculations" not in s
    assert s["ck_over_1000"].direction == "lowers" and "Williams" in s["ck_over_1000"].source


def test_cli_json_and_text_show_the_differential():
    runner = CliRunner()
    path = str(EXAMPLES / "lmn-conduction-block.yaml")
    result = runner.invoke(app, ["assess", path, "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["pls"]["category"] == "not_met"
    assert set(out["mimics"][0]) >= {
        "id",
        "name",
        "level",
        "red_flags",
        "against",
        "workup",
        "treatable",
        "source",
    }
    assert out["exclusion"]["complete"] is False and out["exclusion"]["outstanding"]
    text = runner.invoke(app, ["assess", path, "--details"], env={"COLUMNS": "160"}).output
    for heading in (
        "PLS (Turner 2020)",
        "Mimics to exclude",
        "Multifocal motor neuropathy",
        "Exclusion work-up",
        "Lowers suspicion of ALS",
        "Exclusion pending",
    ):
        assert heading in text


def test_rules_reference_lists_every_mimic_and_work_up_item():
    from alsdx.rules.mimics import MIMICS
    from alsdx.rules.mimics.workup import ITEMS

    text = (EXAMPLES.parents[1] / "docs" / "mimics.md").read_text()
    assert all(f"(`{m.id}`)" in text for m in MIMICS)
    assert all(f"| `{item.id}` |" in text for item in ITEMS)
