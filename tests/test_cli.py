"""`alsdx assess`: exit codes, JSON contract keys, text output, errors on stderr only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alsdx.cli import app

EXAMPLES = Path(__file__).parents[1] / "examples" / "cases"
runner = CliRunner()


def test_json_for_one_case_is_an_object_with_the_public_keys() -> None:
    out = runner.invoke(app, ["assess", str(EXAMPLES / "limb-onset-emg.yaml"), "--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["id"] == "example-limb-onset-emg" and doc["ruleset_version"]
    for name in ("el_escorial_1994", "revised_el_escorial", "awaji", "gold_coast"):
        assert set(doc["criteria"][name]) >= {"category", "flags", "explanation", "next_evidence"}
    for region in ("bulbar", "cervical", "thoracic", "lumbosacral"):
        assert set(doc["regions"][region]) >= {"umn", "lmn_clinical", "lmn_emg_reec", "lmn_emg_awaji", "lmn_gold_coast"}
    assert doc["criteria"]["awaji"]["category"] == "probable"


def test_several_cases_give_a_list_in_order() -> None:
    paths = sorted(EXAMPLES.glob("*.yaml"))
    out = runner.invoke(app, ["assess", *map(str, paths), "-f", "json"])
    assert out.exit_code == 0
    assert [d["id"] for d in json.loads(out.stdout)] == [f"example-{p.stem}" for p in paths]


def test_text_output_shows_criteria_side_by_side() -> None:
    out = runner.invoke(app, ["assess", str(EXAMPLES / "bulbar-onset.yaml")], env={"COLUMNS": "200"})
    assert out.exit_code == 0
    for heading in ("El Escorial 1994", "revised El Escorial", "Awaji", "Gold Coast", "clinically definite ALS"):
        assert heading in out.stdout


@pytest.mark.parametrize("case", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_text_output_at_80_columns_folds_words_instead_of_cutting_them(case: str) -> None:
    """A pipe gets Rich's 80 columns: text that does not fit a cell wraps or folds, never ends in an ellipsis."""
    out = runner.invoke(app, ["assess", str(EXAMPLES / case)], env={"COLUMNS": "80"})
    assert out.exit_code == 0
    assert "…" not in out.stdout
    assert "lumbosacral " in out.stdout  # the region name whole in the evidence table


def test_bad_case_exits_2_naming_the_field_with_nothing_on_stdout(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nsymptom_onset: 2025-01-01\nassessment_date: 2026-01-01\ncourse: sometimes\n")
    out = runner.invoke(app, ["assess", str(bad), "-f", "json"])
    assert out.exit_code == 2
    assert out.stdout == ""
    assert "course" in out.stderr and "progressive, not_progressive" in out.stderr


def test_unknown_interpretation_is_a_usage_error() -> None:
    out = runner.invoke(app, ["assess", str(EXAMPLES / "bulbar-onset.yaml"), "-i", "lenient"])
    assert out.exit_code == 2 and out.stdout == ""
    assert "weakness-counts-as-lmn" in out.stderr


def test_interpretation_is_reported() -> None:
    out = runner.invoke(app, ["assess", str(EXAMPLES / "limb-onset-emg.yaml"), "-f", "json",
                              "-i", "weakness-counts-as-lmn"])
    assert json.loads(out.stdout)["interpretation"] == ["weakness-counts-as-lmn"]


def test_package_exports_the_assess_function() -> None:
    import sys

    from alsdx import assess, load_case

    assert callable(assess) and assess is sys.modules["alsdx.assess"].assess
    assert assess(load_case(EXAMPLES / "limb-onset-emg.yaml")).criteria.awaji.category == "probable"
