"""The case-file contract (case-format.md): valid documents load, invalid ones name the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alsdx.errors import CaseFileError, CaseValidationError
from alsdx.model.case import ALSFRS_ITEMS, Case
from alsdx.model.load import case_from_dict, load_case, parse_case_text
from alsdx.model.muscles import muscle_table

EXAMPLES = sorted(Path(__file__).parents[2].joinpath("examples/cases").glob("*.yaml"))

BASE = {
    "id": "x-1",
    "symptom_onset": "2025-01-01",
    "assessment_date": "2026-01-01",
    "course": "progressive",
}


def errors_of(doc: dict) -> dict[str, str]:
    with pytest.raises(CaseValidationError) as info:
        case_from_dict(doc)
    return {e.path: e.message for e in info.value.errors}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_load(path: Path) -> None:
    case = load_case(path)
    assert case.id.startswith("example-")


def test_minimal_case_gets_documented_defaults() -> None:
    case = case_from_dict(BASE)
    assert case.normal_motor_function_before_onset is True
    assert case.other_causes_excluded is False
    assert case.exam.cervical.umn == [] and case.emg == []


@pytest.mark.parametrize(
    ("patch", "path", "fragment"),
    [
        ({"colour": "red"}, "colour", "unknown field"),
        ({"sex": "x"}, "sex", "male, female, other, unknown"),
        ({"course": "maybe"}, "course", "progressive, not_progressive, unknown"),
        ({"exam": {"cervical": {"umn": ["brisk"]}}}, "exam.cervical.umn[0]", "hoffmann"),
        ({"exam": {"cervical": {"umn": ["babinski"]}}}, "exam.cervical.umn[0]", "hoffmann"),
        ({"exam": {"bulbar": {"lmn": ["twitching"]}}}, "exam.bulbar.lmn[0]", "fasciculations"),
        ({"exam": {"sensory_loss": "no"}}, "exam.sensory_loss", "write true or false"),
        (
            {"fvc": [{"date": "2025-06-01", "percent_predicted": 900, "position": "upright"}]},
            "fvc[0].percent_predicted",
            "must be at most 200",
        ),
        (
            {"fvc": [{"date": "2025-06-01", "percent_predicted": False, "position": "upright"}]},
            "fvc[0].percent_predicted",
            "write a number",
        ),
        ({"id": "has space"}, "id", "letters, digits"),
        ({"symptom_onset": "01/02/2025"}, "symptom_onset", "YYYY-MM-DD"),
        ({"symptom_onset": 20250101}, "symptom_onset", "YYYY-MM-DD"),
    ],
)
def test_invalid_fields_are_named(patch: dict, path: str, fragment: str) -> None:
    errs = errors_of({**BASE, **patch})
    assert path in errs, errs
    assert fragment in errs[path]


def test_alsfrs_item_out_of_range_and_missing_gastrostomy_flag() -> None:
    items = dict.fromkeys(ALSFRS_ITEMS, 4)
    errs = errors_of({**BASE, "alsfrs_r": [{"date": "2025-06-01", "items": {**items, "speech": 5}}]})
    assert "must be at most 4" in errs["alsfrs_r[0].items.speech"]
    assert errs["alsfrs_r[0].gastrostomy"].startswith("required")


def test_integral_float_score_is_accepted_but_fraction_is_not() -> None:
    items = dict.fromkeys(ALSFRS_ITEMS, 4)
    ok = case_from_dict(
        {**BASE, "alsfrs_r": [{"date": "2025-06-01", "gastrostomy": False, "items": {**items, "speech": 3.0}}]}
    )
    assert ok.alsfrs_r[0].items.speech == 3
    errs = errors_of(
        {**BASE, "alsfrs_r": [{"date": "2025-06-01", "gastrostomy": False, "items": {**items, "speech": 3.5}}]}
    )
    assert "alsfrs_r[0].items.speech" in errs


def test_dates_after_assessment_date_are_rejected() -> None:
    errs = errors_of(
        {
            **BASE,
            "labs": [{"date": "2026-02-01", "ck_u_per_l": 100}],
            "medications": [{"name": "riluzole", "start_date": "2026-03-01"}],
        }
    )
    message = next(iter(errs.values()))
    assert "labs[0].date (2026-02-01)" in message and "medications[0].start_date" in message


def test_onset_after_assessment_and_birth_after_onset() -> None:
    assert "after assessment_date" in next(iter(errors_of({**BASE, "symptom_onset": "2026-06-01"}).values()))
    assert "not before symptom_onset" in next(iter(errors_of({**BASE, "birth_date": "2025-06-01"}).values()))


def test_age_and_birth_date_must_agree() -> None:
    errs = errors_of({**BASE, "birth_date": "1960-01-01", "age_at_onset": 40})
    assert "disagrees" in next(iter(errs.values()))
    case = case_from_dict({**BASE, "birth_date": "1960-01-01"})
    assert case.onset_age_years == pytest.approx(65.0, abs=0.01)


def test_emg_muscle_completed_from_table_and_contradictions_rejected() -> None:
    case = case_from_dict({**BASE, "emg": [{"muscle": "biceps_brachii", "side": "left"}]})
    assert (case.emg[0].region, case.emg[0].nerve, case.emg[0].roots) == ("cervical", "musculocutaneous", ["C5", "C6"])
    errs = errors_of({**BASE, "emg": [{"muscle": "biceps_brachii", "side": "left", "region": "lumbosacral"}]})
    assert "contradicts the muscle table" in errs["emg[0]"]
    errs = errors_of({**BASE, "emg": [{"muscle": "serratus_anterior", "side": "left"}]})
    assert "not in the muscle table: give its region, roots, nerve" in errs["emg[0]"]
    errs = errors_of({**BASE, "emg": [{"muscle": "thoracic_paraspinal", "side": "left"}]})
    assert "give its roots" in errs["emg[0]"]
    errs = errors_of(
        {
            **BASE,
            "emg": [{"muscle": "x_muscle", "side": "left", "region": "cervical", "roots": ["C9"], "nerve": "ulnar"}],
        }
    )
    assert "C9 is not a spinal root" in errs["emg[0].roots"]


def test_unlisted_muscle_with_full_description_is_accepted() -> None:
    case = case_from_dict(
        {
            **BASE,
            "emg": [
                {
                    "muscle": "serratus_anterior",
                    "side": "left",
                    "region": "cervical",
                    "roots": ["C5", "C6", "C7"],
                    "nerve": "long_thoracic",
                }
            ],
        }
    )
    assert case.emg[0].nerve == "long_thoracic"


def test_muscle_table_is_large_and_complete() -> None:
    table = muscle_table()
    assert len(table) >= 40
    by_region = {
        r: [m for m in table.values() if m.region == r] for r in ("bulbar", "cervical", "thoracic", "lumbosacral")
    }
    assert all(len(v) >= 3 for v in by_region.values())
    assert table["genioglossus"].roots == ("CN XII",)
    assert table["first_dorsal_interosseous"].nerve != table["abductor_pollicis_brevis"].nerve


def test_yaml_aliases_and_non_mapping_documents_are_refused() -> None:
    with pytest.raises(CaseFileError, match="aliases"):
        parse_case_text("a: &x [1]\nb: *x\n")
    with pytest.raises(CaseValidationError, match="mapping"):
        parse_case_text("[1, 2]")
    with pytest.raises(CaseFileError, match="not valid JSON or YAML"):
        parse_case_text("id: [unclosed")


def test_json_round_trip_is_lossless() -> None:
    for path in EXAMPLES:
        case = load_case(path)
        again = Case.model_validate_json(case.model_dump_json())
        assert again == case
        assert parse_case_text(json.dumps(case.model_dump(mode="json"))) == case


@pytest.mark.parametrize(
    ("doc", "path", "hint"),
    [
        # EMG-report names (Preston & Shapiro 2013) point to the case format's one field for the finding.
        ({"emg": [{"muscle": "FDI", "side": "L", "fibs": True}]}, "emg[0].fibs", "did you mean 'fibrillations_psw'?"),
        ({"emg": [{"muscle": "FDI", "side": "L", "PSW": True}]}, "emg[0].PSW", "did you mean 'fibrillations_psw'?"),
        (
            {"emg": [{"muscle": "FDI", "side": "L", "fasciculations": True}]},
            "emg[0].fasciculations",
            "did you mean 'fasciculation_potentials'?",
        ),
        ({"dob": "1960-01-01"}, "dob", "did you mean 'birth_date'?"),
        # a misspelling: the nearest field accepted at that place, not anywhere in the document
        ({"labs": [{"date": "2025-12-01", "alt_u_per": 30}]}, "labs[0].alt_u_per", "did you mean 'alt_u_per_l'?"),
        (
            {"respiratory": [{"date": "2025-12-01", "fvc_percent": 80}]},
            "respiratory[0].fvc_percent",
            "FVC goes in its own list: fvc: [{date, percent_predicted, position}]",
        ),
    ],
)
def test_an_unknown_field_says_what_to_write_instead(doc, path, hint):
    message = errors_of({**BASE, **doc})[path]
    assert message.startswith("unknown field") and hint in message


def test_an_unknown_field_with_nothing_close_points_to_the_format():
    message = errors_of({**BASE, "emg": [{"muscle": "FDI", "side": "L", "weird_thing": 1}]})["emg[0].weird_thing"]
    assert "see docs/case-format.md" in message and "did you mean" not in message
