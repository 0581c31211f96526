"""`alsdx course` and the course inside `alsdx assess`: exit codes, JSON keys, text, plots, prorating."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from alsdx.cli import app

EXAMPLES = Path(__file__).parents[1] / "examples" / "cases"
runner = CliRunner()

MISSING_ITEM = """\
id: missing-item
symptom_onset: 2025-01-01
assessment_date: 2026-01-01
course: progressive
alsfrs_r:
  - date: 2025-12-01
    gastrostomy: false
    items: {speech: 3, salivation: 4, swallowing: 4, handwriting: 4, cutting_food: 4, dressing_hygiene: 4,
            turning_in_bed: 4, walking: null, climbing_stairs: 4, dyspnea: 4, orthopnea: 4, respiratory_insufficiency: 4}
"""


def test_course_json_carries_the_design_keys_and_the_prognosis(tmp_path: Path) -> None:
    case = tmp_path / "bulbar-onset-diagnosed.yaml"
    text = (EXAMPLES / "bulbar-onset.yaml").read_text()
    case.write_text(
        text.replace("assessment_date: 2026-01-20\n", "assessment_date: 2026-01-20\ndiagnosis_date: 2025-05-02\n")
    )
    out = runner.invoke(app, ["course", str(case), "--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["id"] == "example-bulbar-onset" and doc["ruleset_version"]
    course = doc["course"]
    assert course["alsfrs_r"]["total"] == 36 and course["kings_stage"] == "3" and course["mitos_stage"] == 0
    assert course["progression_band"] == "fast"
    assert course["fvc"]["peg_risk"] == "low" and course["fvc"]["niv_indicated"] is False
    assert course["prognosis"]["research_use"] is True  # rEEC definite comes from the criteria engine


def test_course_text_and_plots(tmp_path: Path) -> None:
    out = runner.invoke(app, ["course", str(EXAMPLES / "lmn-conduction-block.yaml"), "--plot", str(tmp_path)])
    assert out.exit_code == 0, out.output
    assert "King's 2" in out.stdout and "slow" in out.stdout and "Why:" in out.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "example-lmn-conduction-block-alsfrs-r.png",
        "example-lmn-conduction-block-alsfrs-r.svg",
        "example-lmn-conduction-block-fvc.png",
        "example-lmn-conduction-block-fvc.svg",
    ]
    assert "plot written to" in out.stderr


def test_missing_item_is_an_error_unless_prorating_is_asked(tmp_path: Path) -> None:
    case = tmp_path / "missing.yaml"
    case.write_text(MISSING_ITEM)
    refused = runner.invoke(app, ["course", str(case), "-f", "json"])
    assert refused.exit_code == 2 and refused.stdout == ""
    assert "alsfrs_r[0].items" in refused.stderr and "walking" in refused.stderr
    prorated = runner.invoke(app, ["course", str(case), "-f", "json", "--prorate-missing"])
    assert prorated.exit_code == 0, prorated.output
    alsfrs = json.loads(prorated.stdout)["course"]["alsfrs_r"]
    assert alsfrs["prorated"] is True and alsfrs["missing_items"] == ["walking"]
    assert abs(alsfrs["total"] - 43 / 11 * 12) < 1e-3


def test_assess_output_includes_the_course() -> None:
    out = runner.invoke(app, ["assess", str(EXAMPLES / "limb-onset-emg.yaml"), "-f", "json"])
    course = json.loads(out.stdout)["course"]
    assert course["alsfrs_r"]["total"] == 44 and course["progression_band"] == "intermediate"
    assert course["prognosis"] is None and "diagnosis_date" in course["prognosis_unavailable"]
    text = runner.invoke(app, ["assess", str(EXAMPLES / "limb-onset-emg.yaml"), "--details"], env={"COLUMNS": "200"})
    assert "Disease course:" in text.stdout and "ALSFRS-R 44/48" in text.stdout
