"""`alsdx plan` and the `plan` key of `alsdx assess`."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
from typer.testing import CliRunner

from alsdx.cli import app

EXAMPLES = Path(__file__).parents[1] / "examples" / "cases"
BULBAR = str(EXAMPLES / "bulbar-onset.yaml")
runner = CliRunner()


def test_plan_json_keys() -> None:
    out = runner.invoke(app, ["plan", BULBAR, "--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["id"] == "example-bulbar-onset" and doc["ruleset_version"]
    plan = doc["plan"]
    assert {"discipline", "reason"} <= set(plan["referrals"][0])
    (riluzole,) = plan["medications"]
    assert riluzole["monitoring"][0] == {
        "date": "2026-01-20",  # ALT above ULN on 2025-12-01: monthly checks, the first one missed
        "test": "ALT (serum transaminases), riluzole monthly (ALT above ULN on 2025-12-01; due since 2026-01-01) check",
    }
    assert [a["id"] for a in plan["alerts"]] == ["riluzole_alt_above_uln"]
    assert set(plan["alerts"][0]) >= {"id", "severity", "message"}
    assert plan["next_due"][0] == {
        "date": "2026-01-20",
        "item": riluzole["label"] + ": " + riluzole["monitoring"][0]["test"],
    }


def test_plan_text_and_ics(tmp_path: Path) -> None:
    target = tmp_path / "plan.ics"
    out = runner.invoke(app, ["plan", BULBAR, "--ics", str(target)])
    assert out.exit_code == 0, out.output
    assert "Speech and language therapy" in out.stdout and "riluzole_alt_above_uln" in out.stdout
    assert "calendar written" in out.stderr
    events = list(icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    assert len(events) == 13 + 4  # monthly riluzole ALT checks (ALT above ULN) + four 3-monthly reviews


def test_plan_bad_case_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: x\nsymptom_onset: 2025-01-01\nassessment_date: 2026-01-01\ncourse: progressive\n"
        "medications: [{name: riluzole, start_date: 2026-02-01}]\n"
    )
    out = runner.invoke(app, ["plan", str(bad), "--ics", str(tmp_path / "x.ics")])
    assert out.exit_code == 2 and out.stdout == ""
    assert "medications[0].start_date" in out.stderr
    assert not (tmp_path / "x.ics").exists()


def test_plan_unwritable_ics_exits_2(tmp_path: Path) -> None:
    out = runner.invoke(app, ["plan", BULBAR, "--ics", str(tmp_path / "missing" / "x.ics")])
    assert out.exit_code == 2 and out.stdout == ""
    assert "--ics" in out.stderr


def test_assess_output_gains_plan() -> None:
    out = runner.invoke(app, ["assess", BULBAR, "-f", "json"])
    doc = json.loads(out.stdout)
    assert [r["discipline"] for r in doc["plan"]["referrals"]][:2] == ["neurology_mdt", "speech_language_therapy"]
    text = runner.invoke(app, ["assess", BULBAR, "--details"], env={"COLUMNS": "200"})
    assert "Care plan, 2026-01-20 to 2027-01-20" in text.stdout
    assert "[warning] riluzole_alt_above_uln" in text.stdout
