"""`alsdx assess`: exit codes, JSON contract keys, text output, errors on stderr only."""

from __future__ import annotations

import json
import re
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


def test_text_output_shows_the_four_categories() -> None:
    out = runner.invoke(app, ["assess", str(EXAMPLES / "bulbar-onset.yaml")], env={"COLUMNS": "200"})
    assert out.exit_code == 0
    for heading in ("El Escorial 1994", "revised El Escorial", "Awaji", "Gold Coast", "clinically definite ALS"):
        assert heading in out.stdout


def _text(case: str, *extra: str, columns: int = 80) -> str:
    out = runner.invoke(app, ["assess", str(EXAMPLES / case), *extra], env={"COLUMNS": str(columns)})
    assert out.exit_code == 0, out.output
    return out.stdout


def _words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z][A-Za-z_-]*[A-Za-z]", text))


@pytest.mark.parametrize("case", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_the_summary_fits_one_screen_and_names_what_to_act_on(case: str) -> None:
    """Summary first: the four category lines, then changes, mimics, alerts, exclusion and next due dates."""
    text = _text(case)
    lines = text.splitlines()
    assert len(lines) <= 40, "\n".join(lines)
    assert max(len(line) for line in lines) <= 80
    for title in ("El Escorial 1994", "revised El Escorial", "Awaji", "Gold Coast"):
        assert sum(line.lstrip().startswith(title) for line in lines[:14]) == 1
    assert "Mimics:" in text and "Exclusion of other causes" in text
    assert "alsdx assess --details" in text.replace("\n", " ")


@pytest.mark.parametrize("case", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_no_word_is_split_at_80_columns(case: str) -> None:
    """Every word at 80 columns is a word of the same output printed 400 wide (nothing wraps there): a word
    folded mid-word ("abnormalitie" / "s") would be a fragment found only in the narrow output."""
    for extra in ((), ("--details",)):
        narrow, wide = _text(case, *extra), _text(case, *extra, columns=400)
        assert "…" not in narrow
        assert _words(narrow) - _words(wide) == set()
        assert "lumbosacral " in _text(case, "--details")  # the region name whole in the evidence table


def test_likely_mimic_and_exclusion_pending_are_on_the_category_line() -> None:
    text = _text("mimic-kennedy.yaml", columns=200)
    gold_coast = next(line for line in text.splitlines() if line.lstrip().startswith("Gold Coast"))
    assert "exclusion pending" in gold_coast and "mimic likely: " in gold_coast


def test_limb_onset_emg_says_what_would_make_awaji_definite() -> None:
    """The README's case: Awaji probable, and the summary names the smallest addition that would raise it."""
    text = _text("limb-onset-emg.yaml", columns=200)
    assert re.search(r"- Awaji: .+ → definite", text), text
    details = _text("limb-onset-emg.yaml", "--details", columns=200)
    assert "Evidence by region" in details and "Exclusion work-up" in details and "Care plan" in details


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
    out = runner.invoke(
        app, ["assess", str(EXAMPLES / "limb-onset-emg.yaml"), "-f", "json", "-i", "weakness-counts-as-lmn"]
    )
    assert json.loads(out.stdout)["interpretation"] == ["weakness-counts-as-lmn"]


def test_package_exports_the_public_api_without_shadowing_a_submodule() -> None:
    import importlib.util
    import sys

    import alsdx
    from alsdx import Assessment, assess, assess_many, load_case

    assert callable(assess) and assess is sys.modules["alsdx.engine.assess"].assess
    assert assess_many is sys.modules["alsdx.engine.assess"].assess_many
    assert Assessment is sys.modules["alsdx.engine.results"].Assessment
    for name in alsdx.__all__:  # no public name is also a submodule of the package
        assert importlib.util.find_spec(f"alsdx.{name}") is None, name
    assert assess(load_case(EXAMPLES / "limb-onset-emg.yaml")).criteria.awaji.category == "probable"
