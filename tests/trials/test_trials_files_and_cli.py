"""Trial files (contract errors name the criterion and say what to write), the facts of hand-made patients, the
bundled trials against them, and the ``alsdx trials`` commands (exit codes, messages, the JSON shape)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from alsdx.cli import app
from alsdx.model.case import Case
from alsdx.trials.model import TrialFileError, bundled_trials, parse_trial
from alsdx.trials.screen import screen_cases

EXAMPLE = Path(__file__).parents[2] / "examples" / "cases" / "bulbar-onset.yaml"


def _trial(*criteria: dict[str, Any]) -> dict[str, Any]:
    return {"id": "t", "title": "t", "source": "test", "criteria": list(criteria)}


@pytest.mark.parametrize(
    ("criterion", "words"),
    [
        (
            {"id": "x", "kind": "inclusion", "fact": "fvc_upright_percent", "min": 60, "colour": 1},
            "unknown key 'colour'",
        ),
        (
            {"id": "x", "kind": "inclusion", "fact": "fvc_percent", "min": 60},
            "unknown fact 'fvc_percent'; write one of",
        ),
        ({"id": "x", "kind": "inclusion", "fact": "fvc_upright_percent", "min": "60"}, "min: write a number"),
        ({"id": "x", "kind": "inclusion", "fact": "gastrostomy", "equals": "yes"}, "write true or false"),
        ({"id": "x", "kind": "inclusion", "fact": "revised_el_escorial", "in": ["likely"]}, "write one of not_met"),
        ({"id": "x", "kind": "inclusion", "fact": "fvc_upright_percent"}, "give exactly one condition"),
        ({"id": "x", "kind": "inclusion", "fact": "gastrostomy", "equals": True, "in": [True]}, "found in and equals"),
        ({"id": "x", "kind": "inclusion", "fact": "months_since_onset", "max": 2.5}, "takes a whole number"),
        ({"id": "x", "kind": "inclusion", "fact": "months_since_onset", "equals": 3}, "write min and/or max"),
        ({"id": "x", "kind": "inclusion", "fact": "gastrostomy", "min": 1}, "write in or equals, not min"),
        ({"id": "x", "kind": "maybe", "manual": True}, "kind: write inclusion or exclusion"),
        ({"id": "x", "kind": "inclusion", "manual": False}, "manual: write manual: true"),
    ],
)
def test_contract_errors_name_the_criterion_and_say_what_to_write(criterion: dict[str, Any], words: str) -> None:
    with pytest.raises(TrialFileError) as err:
        parse_trial(_trial({"id": "ok", "kind": "inclusion", "manual": True}, criterion))
    assert "criterion 'x' (criteria[1])" in str(err.value)
    assert words in str(err.value)


def test_unknown_top_level_key_and_bad_trial_id() -> None:
    with pytest.raises(TrialFileError, match="unknown key 'phase'"):
        parse_trial(_trial({"id": "a", "kind": "inclusion", "manual": True}) | {"phase": 3})
    with pytest.raises(TrialFileError, match="lowercase letters, digits and hyphens"):
        parse_trial(_trial({"id": "a", "kind": "inclusion", "manual": True}) | {"id": "Bad_Id"})


def _case(**changes: Any) -> Case:
    doc = yaml.safe_load(EXAMPLE.read_text())
    doc.update(changes)
    return Case.model_validate(doc)


def _facts(case: Case) -> dict[str, Any]:
    from alsdx.engine.assess import assess_many
    from alsdx.trials.facts import fact_columns
    from alsdx.trials.facts_catalog import FACT_NAMES
    from alsdx.trials.screen import fact_value

    cols = fact_columns([case], assess_many([case]))
    return {name: fact_value(name, cols["facts"][0, j]) for j, name in enumerate(FACT_NAMES)}


def test_facts_of_a_hand_made_patient() -> None:
    facts = _facts(_case(svc=[{"date": "2026-01-10", "percent_predicted": 64}]))
    assert facts["revised_el_escorial"] == "definite"
    assert facts["sex"] == "female"
    assert facts["age_years"] == 67  # born 1958-06-14, assessed 2026-01-20
    assert facts["months_since_onset"] == 11  # 2025-02-01 -> 2026-01-20
    assert facts["svc_percent"] == 64
    assert facts["sod1_pathogenic"] is None  # no variants listed: unknown, never a default
    assert facts["c9orf72_expansion"] is False  # tested: genetics.c9orf72_repeat_expansion false
    assert facts["months_since_diagnosis"] is None or isinstance(facts["months_since_diagnosis"], int)
    assert facts["mimic_likely"] in (True, False)


def test_facts_genetics_and_medication_use() -> None:
    case = _case(
        family_history_als=True,
        genetics={"variants": [{"gene": "SOD1", "classification": "pathogenic"}]},
        medications=[
            {"name": "tofersen", "start_date": "2025-10-01"},
            {"name": "edaravone_iv", "start_date": "2025-06-01", "stop_date": "2025-09-01"},
        ],
    )
    facts = _facts(case)
    assert facts["sod1_pathogenic"] is True
    assert facts["familial"] is True
    assert facts["tofersen"] is True
    assert facts["edaravone"] is False
    assert facts["riluzole_days"] == 0


def test_svc_is_validated_like_fvc() -> None:
    with pytest.raises(ValueError, match="svc"):
        _case(svc=[{"date": "2026-01-10", "percent_predicted": 3.1}])
    with pytest.raises(ValueError, match="svc"):
        _case(svc=[{"date": "2026-02-10", "percent_predicted": 70}])  # after the assessment date


def test_bundled_trials_are_valid_and_name_their_source() -> None:
    trials = bundled_trials()
    assert len(trials) >= 3
    for trial in trials.values():
        assert "NCT" in trial.source
        assert any(c.manual for c in trial.criteria)


def test_bundled_trials_against_hand_made_patients() -> None:
    trials = bundled_trials()
    ready = _case(
        svc=[{"date": "2026-01-10", "percent_predicted": 64}],
        medications=[{"name": "riluzole", "start_date": "2025-12-30"}],
    )
    (result,) = screen_cases([ready], [trials["healey-als-platform"], trials["phoenix-amx0035"]])
    healey, phoenix = result.trials
    # on riluzole for 21 days: HEALEY needs 30 days (from 2026-01-29), PHOENIX 14 days (met)
    assert healey.status == "not_eligible"
    assert healey.eligible_from is not None and healey.eligible_from.isoformat() == "2026-01-29"
    assert phoenix.status == "eligible"
    assert phoenix.eligible_until is not None and phoenix.eligible_until.isoformat() == "2027-02-01"
    late = _case(symptom_onset="2023-01-10")
    (result,) = screen_cases([late], [trials["oral-edaravone-mt1186-a02"]])
    (mt1186,) = result.trials
    assert mt1186.status == "not_eligible"
    assert [c.id for c in mt1186.criteria if c.result == "fail"] == ["onset-window"]


runner = CliRunner()


def test_cli_check(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(
        yaml.safe_dump(_trial({"id": "fvc", "kind": "inclusion", "fact": "fvc_upright_percent", "min": 60}))
    )
    ok = runner.invoke(app, ["trials", "check", str(good)])
    assert ok.exit_code == 0 and "is valid" in ok.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(_trial({"id": "fvc", "kind": "inclusion", "fact": "fvc", "min": 60})))
    refused = runner.invoke(app, ["trials", "check", str(bad)])
    assert refused.exit_code == 2
    assert "criterion 'fvc' (criteria[0]): unknown fact 'fvc'" in refused.output
    assert "[" not in refused.output.split("write one of")[0].split("criterion")[0]


def test_cli_list() -> None:
    out = runner.invoke(app, ["trials", "list"])
    assert out.exit_code == 0
    assert "phoenix-amx0035" in out.output and "NCT05021536" in out.output


def test_cli_screen_json_shape_and_a_bad_case_does_not_stop_the_others(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\n")
    out = runner.invoke(
        app, ["trials", "screen", str(EXAMPLE), str(broken), "--trial", "phoenix-amx0035", "--format", "json"]
    )
    assert out.exit_code == 2
    doc = json.loads(out.stdout)
    assert [d["id"] for d in doc] == ["example-bulbar-onset"]
    (trial,) = doc[0]["trials"]
    assert set(trial) == {"trial", "status", "eligible_until", "eligible_from", "criteria"}
    assert set(trial["criteria"][0]) == {"id", "kind", "result", "value", "reason"}


def test_cli_screen_text_lists_failing_and_unknown_first() -> None:
    out = runner.invoke(app, ["trials", "screen", str(EXAMPLE), "--trial", "healey-als-platform"])
    assert out.exit_code == 0
    results = [line.split()[0] for line in out.output.splitlines() if line.startswith("    ")]
    order = {"fail": 0, "unknown": 1, "pass": 2, "manual": 3}
    assert results == sorted(results, key=order.__getitem__)
    assert "eligible until" in out.output or "undetermined" in out.output


def test_cli_screen_unknown_trial_is_exit_2() -> None:
    out = runner.invoke(app, ["trials", "screen", str(EXAMPLE), "--trial", "no-such-trial"])
    assert out.exit_code == 2
    assert "no bundled trial with this id" in out.output


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("id: a\nid: b\ntitle: t\nsource: s\ncriteria: []\n", "duplicate"),  # which id would win?
        ("id: &x t1\ntitle: *x\nsource: s\ncriteria: []\n", "YAML aliases are not allowed"),
        ("\xff\xfe", "not UTF-8 text"),
    ],
)
def test_a_trial_file_is_read_as_strictly_as_a_case_file(tmp_path: Path, text: str, words: str) -> None:
    from alsdx.trials.model import load_trial

    path = tmp_path / "trial.yaml"
    path.write_bytes(text.encode("latin-1") if text.startswith("\xff") else text.encode())
    with pytest.raises(TrialFileError, match=words):
        load_trial(path)
