"""Input as clinicians, EMG reports and registries write it (issue 14): read correctly through every door,
or refused with a message naming the field, what was written and what to write instead."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from alsdx.cli import app
from alsdx.cohort.batch import assess_batch
from alsdx.cohort.flatten import case_row, rows_to_batch
from alsdx.engine.assess import assess
from alsdx.errors import CaseValidationError
from alsdx.model.case import Case
from alsdx.model.load import case_from_dict, parse_case_text

runner = CliRunner()
BASE: dict[str, Any] = {
    "id": "rw-1",
    "symptom_onset": "2024-03-01",
    "assessment_date": "2025-01-10",
    "course": "progressive",
}

# The Gold Coast misread of the issue: LMN signs in the cervical region only, and in the lumbosacral region two
# EMG muscles of ONE nerve (tibialis anterior by its deep peroneal branch, peroneus longus by the superficial
# one: both the common peroneal trunk, Gray's Anatomy). Two muscles of one nerve do not make the region's EMG
# evidence (rEEC/Awaji: different roots AND peripheral nerves), so Gold Coast (LMN in 2 regions) is not met.
GOLD_COAST_WRITTEN = {
    **BASE,
    "exam": {"cervical": {"umn": [], "lmn": ["weakness", "wasting"]}, "lumbosacral": {"umn": [], "lmn": []}},
    "emg": [
        {
            "muscle": "tib_ant",
            "side": "left",
            "region": "lumbosacral",
            "roots": ["L4", "L5"],
            "nerve": "deep_peroneal",
            "fibrillations_psw": True,
            "chronic_neurogenic": True,
        },
        {"muscle": "peroneus_longus", "side": "left", "fibrillations_psw": True, "chronic_neurogenic": True},
    ],
}


def _with_muscle(muscle: dict[str, Any]) -> dict[str, Any]:
    return {**GOLD_COAST_WRITTEN, "emg": [muscle, GOLD_COAST_WRITTEN["emg"][1]]}


EDL_OUTSIDE_TABLE = {  # extensor digitorum longus (deep fibular, L5 S1; Preston & Shapiro) is not in the table
    "muscle": "extensor_digitorum_longus",
    "side": "left",
    "region": "lumbosacral",
    "roots": "L5-S1",
    "nerve": "Deep Fibular",
    "fibrillations_psw": True,
    "chronic_neurogenic": True,
}
TA = {"muscle": "TA", "side": "left", "fibrillations_psw": True, "chronic_neurogenic": True}


def _beside_ta(muscle: dict[str, Any]) -> dict[str, Any]:
    return {**GOLD_COAST_WRITTEN, "emg": [muscle, TA]}


GASTROC_OTHER_NERVE = {"muscle": "MG", "side": "left", "fibrillations_psw": True, "chronic_neurogenic": True}


def test_gold_coast_misread_case_is_not_met_via_yaml() -> None:
    text = """
id: rw-1
symptom_onset: 2024-03
assessment_date: 2025-01-10
course: progressive
exam:
  cervical: {umn: [], lmn: [weakness, wasting]}
  lumbosacral: {umn: [], lmn: []}
emg:
  - {muscle: tib_ant, side: left, region: lumbosacral, roots: L4-L5, nerve: deep_peroneal, fibrillations_psw: true, chronic_neurogenic: true}
  - {muscle: peroneus longus, side: L, fibrillations_psw: true, chronic_neurogenic: true}
"""
    result = assess(parse_case_text(text))
    assert result.criteria.gold_coast.category == "not_met"
    assert result.regions.lumbosacral.lmn_emg_awaji is False
    read = {r.field: (r.written, r.read_as) for r in result.read_as}
    assert read["emg[0].muscle"] == ("tib_ant", "tibialis_anterior")
    assert read["emg[0].nerve"] == ("deep_peroneal", "peroneal")
    assert read["emg[0].roots"] == ("L4-L5", ["L4", "L5"])
    assert read["exam.cervical.lmn[1]"] == ("wasting", "atrophy")


def test_muscles_outside_the_table_compare_their_canonical_trunks() -> None:
    same_nerve = assess(case_from_dict(_beside_ta(EDL_OUTSIDE_TABLE)))  # roots differ, the trunk does not
    assert same_nerve.criteria.gold_coast.category == "not_met"
    other_nerve = assess(case_from_dict(_beside_ta({**EDL_OUTSIDE_TABLE, "nerve": "tibial"})))
    assert other_nerve.criteria.gold_coast.category != "not_met"  # the control: two nerves, two root sets
    table_other = assess(case_from_dict(_with_muscle(GASTROC_OTHER_NERVE)))
    assert table_other.regions.lumbosacral.lmn_emg_reec is True


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value)
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _flat_row(written: dict[str, Any]) -> dict[str, Any]:
    """A registry's flat row: the case's columns, with the EMG list as the registry wrote it."""
    canonical = case_from_dict({**written, "emg": []})
    emg = [{**m, "roots": [m["roots"]]} if isinstance(m.get("roots"), str) else m for m in written["emg"]]
    return {**case_row(canonical), "emg": emg}  # the flat layout's roots is a list; an element may be "L5-S1"


def test_gold_coast_misread_case_is_not_met_via_the_flat_cohort_and_csv(tmp_path: Path) -> None:
    rows = [
        _flat_row(GOLD_COAST_WRITTEN),
        _flat_row(_beside_ta(EDL_OUTSIDE_TABLE)),
        {**_flat_row(_with_muscle(GASTROC_OTHER_NERVE)), "id": "rw-control"},
    ]
    rows[1]["id"] = "rw-edl"
    out = assess_batch(rows_to_batch(rows))
    assert out.column("invalid_reason").to_pylist() == [None, None, None]
    assert out.column("gold_coast").to_pylist()[:2] == ["not_met", "not_met"]
    assert out.column("lumbosacral_lmn_emg_reec").to_pylist() == [False, False, True]

    path = tmp_path / "registry.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_cell(v) for k, v in row.items()})
    ran = runner.invoke(
        app, ["cohort", "run", str(path), str(tmp_path / "o.parquet"), "--workers", "1", "--no-progress"]
    )
    assert ran.exit_code == 0, ran.output
    table = pq.read_table(tmp_path / "o.parquet")
    assert table.column("gold_coast").to_pylist()[:2] == ["not_met", "not_met"]
    assert table.column("lumbosacral_lmn_emg_reec").to_pylist() == [False, False, True]


def test_gold_coast_misread_case_is_not_met_via_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "registry.jsonl"
    docs = [GOLD_COAST_WRITTEN, {**_beside_ta(EDL_OUTSIDE_TABLE), "id": "rw-edl", "symptom_onset": "2024-03"}]
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    ran = runner.invoke(
        app, ["cohort", "run", str(path), str(tmp_path / "o.parquet"), "--workers", "1", "--no-progress"]
    )
    assert ran.exit_code == 0, ran.output
    table = pq.read_table(tmp_path / "o.parquet")
    assert table.column("invalid_reason").to_pylist() == [None, None]
    assert table.column("gold_coast").to_pylist() == ["not_met", "not_met"]


@pytest.mark.parametrize(
    ("muscle", "written"),
    [
        ("tibialis_anterior", {"muscle": "tibialis_anterior", "nerve": "deep_peroneal"}),
        ("tibialis_anterior", {"muscle": "TA", "nerve": "fibular"}),
        ("extensor_digitorum_communis", {"muscle": "EDC", "nerve": "posterior_interosseous"}),
        ("flexor_pollicis_longus", {"muscle": "FPL", "nerve": "anterior interosseous"}),
        ("sternocleidomastoid", {"muscle": "SCM", "nerve": "accessory", "side": "left"}),
        ("sternocleidomastoid", {"muscle": "sternocleidomastoid", "nerve": "cn_xi"}),
        ("first_dorsal_interosseous", {"muscle": "FDI", "nerve": "Ulnar", "roots": "C8-T1"}),
        ("first_dorsal_interosseous", {"muscle": "first dorsal interosseous", "roots": ["C8"]}),  # a subset
        ("medial_gastrocnemius", {"muscle": "medial gastroc", "nerve": "tibial"}),
        ("vastus_lateralis", {"muscle": "VL", "roots": "L2/L3/L4"}),
        ("genioglossus", {"muscle": "tongue", "roots": "CN 12", "side": "midline"}),
        ("thoracic_paraspinal", {"muscle": "T10 paraspinal", "side": "left"}),
        ("thoracic_paraspinal", {"muscle": "thoracic_paraspinal", "roots": "Th10"}),
    ],
)
def test_clinician_correct_emg_entries_are_accepted(muscle: str, written: dict[str, Any]) -> None:
    case = case_from_dict({**BASE, "emg": [{"side": "left", **written}]})
    assert case.emg[0].muscle == muscle


def test_table_roots_are_used_whatever_subset_was_written() -> None:
    case = case_from_dict({**BASE, "emg": [{"muscle": "FDI", "side": "left", "roots": "C8"}]})
    assert case.emg[0].roots == ["C8", "T1"]
    paraspinal = case_from_dict({**BASE, "emg": [{"muscle": "T10 paraspinal", "side": "left"}]})
    assert (paraspinal.emg[0].region, paraspinal.emg[0].roots, paraspinal.emg[0].nerve) == (
        "thoracic",
        ["T10"],
        "dorsal_ramus",
    )
    assert paraspinal.readings[0].note == "roots T10 from the name"


def _errors(doc: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(CaseValidationError) as info:
        case_from_dict(doc)
    return {e.path: e.message for e in info.value.errors}


@pytest.mark.parametrize(
    ("patch", "field", "fragments"),
    [
        # EMG: the field, the value written, and what to write instead
        (
            {"emg": [{"muscle": "tibialis_anterior", "side": "left", "nerve": "ulner"}]},
            "emg[0].nerve",
            ("'ulner'", "did you mean 'ulnar'?"),
        ),
        (
            {"emg": [{"muscle": "tibialis_anterior", "side": "left", "nerve": "tibial"}]},
            "emg[0]",
            ("nerve 'tibial' contradicts", "supplied by the peroneal nerve", "omit nerve or write peroneal"),
        ),
        (
            {"emg": [{"muscle": "tibialis anterio", "side": "left"}]},
            "emg[0]",
            ("'tibialis_anterio'", "did you mean 'tibialis_anterior'?", "give its region, roots, nerve"),
        ),
        (
            {"emg": [{"muscle": "odd", "side": "left", "region": "cervical", "roots": "L4-L5", "nerve": "ulnar"}]},
            "emg[0]",
            ("roots L4, L5 lie outside the cervical region", "C1-C8 or T1"),
        ),
        (
            {"emg": [{"muscle": "deltoid", "side": "left", "roots": "C9"}]},
            "emg[0].roots",
            ("'C9'", "C9 is not a spinal root", "write roots as e.g. C8, T1"),
        ),
        (
            {"emg": [{"muscle": "deltoid", "side": "left", "roots": ["C5", "C7"]}]},
            "emg[0]",
            ("roots C7 are not roots of deltoid", "give some of C5, C6"),
        ),
        ({"emg": [{"muscle": "FDP", "side": "left"}]}, "emg[0].muscle", ("'FDP'", "write 'FDP 2-3' or 'FDP 4-5'")),
        ({"emg": [{"muscle": "deltoid", "side": "up"}]}, "emg[0].side", ("'up'", "left, right, midline")),
        (
            {"emg": [{"muscle": "T10 paraspinal", "side": "left", "roots": "T11"}]},
            "emg[0]",
            ("level T10", "roots gives 'T11'", "give the level once"),
        ),
        # signs and codes: did you mean
        (
            {"exam": {"lumbosacral": {"umn": ["babinsky"]}}},
            "exam.lumbosacral.umn[0]",
            ("'babinsky'", "did you mean 'babinski'?"),
        ),
        ({"sex": "mal"}, "sex", ("'mal'", "male, female, other, unknown", "did you mean 'male'?")),
        # ids and dates in words, never a pattern
        ({"id": "MRN 0012"}, "id", ("'MRN 0012'", "letters, digits, '.', '_' or '-'")),
        ({"symptom_onset": "03/2024"}, "symptom_onset", ("'03/2024'", "YYYY-MM-DD, or YYYY-MM")),
        ({"symptom_onset": "2024-13"}, "symptom_onset", ("'2024-13'", "is not a month")),
        ({"birth_date": "55"}, "birth_date", ("'55'", "YYYY-MM-DD, YYYY-MM or YYYY")),
        ({"course": None}, "course", ("required",)),
        # plausibility guards name the likely mistake
        (
            {"fvc": [{"date": "2024-12-01", "percent_predicted": 3.2, "position": "upright"}]},
            "fvc[0].percent_predicted",
            ("3.2", "must be greater than 10", "litres, or a fraction"),
        ),
        (
            {"fvc": [{"date": "2024-12-01", "percent_predicted": 0.82, "position": "upright"}]},
            "fvc[0].percent_predicted",
            ("0.82", "0.82 means 82 %"),
        ),
        (
            {"labs": [{"date": "2024-12-01", "ck_u_per_l": 2.5}]},
            "labs[0].ck_u_per_l",
            ("2.5", "at least 5", "µkat/L", "multiply by 60"),
        ),
        ({"labs": [{"date": "2024-12-01", "alt_u_per_l": 0.4}]}, "labs[0].alt_u_per_l", ("0.4", "µkat/L")),
        ({"age_at_onset": 111}, "age_at_onset", ("111", "at most 110", "ages run from 0 to 110")),
        ({"assessment_date": "2062-01-10"}, "(document)", ("assessment_date 2062-01-10 is after today",)),
        ({"birth_date": "1900-01-01"}, "(document)", ("125 years old", "check the year of birth")),
        ({"birth_date": "2024-06-01"}, "(document)", ("not before symptom_onset", "cannot begin before birth")),
    ],
)
def test_refusals_name_field_value_and_what_to_write(
    patch: dict[str, Any], field: str, fragments: tuple[str, ...]
) -> None:
    errors = _errors({**BASE, **patch})
    assert field in errors, errors
    for fragment in fragments:
        assert fragment in errors[field], (fragment, errors[field])
    assert "^" not in errors[field] and "{1,63}" not in errors[field]  # never a raw regular expression


def test_null_in_optional_fields_means_omitted_everywhere() -> None:
    with_nulls = {
        **BASE,
        "sex": None,
        "birth_date": None,
        "diagnosis_date": None,
        "onset_region": None,
        "ncs": None,
        "exam": {"weakness": None, "sensory_loss": None, "bulbar_symptoms": None, "tongue_fasciculations": None},
        "emg": [
            {
                "muscle": "deltoid",
                "side": "left",
                "region": None,
                "roots": None,
                "nerve": None,
                "fibrillations_psw": None,
            }
        ],
        "labs": [{"date": "2024-12-01", "ck_u_per_l": None, "anti_gm1_igm": None}],
        "genetics": {"variants": None, "c9orf72_repeat_expansion": None},
        "imaging": None,
        "history": None,
        "medications": [{"name": "riluzole", "start_date": "2024-06-01", "stop_date": None}],
    }
    omitted = {
        **BASE,
        "emg": [{"muscle": "deltoid", "side": "left"}],
        "labs": [{"date": "2024-12-01"}],
        "medications": [{"name": "riluzole", "start_date": "2024-06-01"}],
    }
    assert case_from_dict(with_nulls) == case_from_dict(omitted)
    assert assess(case_from_dict(with_nulls)).model_dump() == assess(case_from_dict(omitted)).model_dump()


def test_month_and_year_dates_follow_the_documented_convention_and_are_marked_approximate() -> None:
    umn_only = {
        "bulbar": {"umn": ["jaw_jerk"]},
        "cervical": {"umn": ["hoffmann"]},
        "lumbosacral": {"umn": ["babinski", "spasticity"]},
    }
    case = case_from_dict(
        {**BASE, "symptom_onset": "2024-03", "diagnosis_date": "2024-09", "birth_date": "1958", "exam": umn_only}
    )
    assert (case.symptom_onset, case.diagnosis_date, case.birth_date) == (
        dt.date(2024, 3, 15),
        dt.date(2024, 9, 15),
        dt.date(1958, 7, 1),
    )
    assert case_from_dict({**BASE, "birth_date": 1958}).birth_date == dt.date(1958, 7, 1)  # YAML reads 1958 as a number
    result = assess(case)
    assert any(item.startswith("pls:") for item in result.approximate)
    assert any("ENCALS" in item for item in result.approximate)
    notes = {r.field: r.note for r in result.read_as}
    assert notes["symptom_onset"] == "given as a month: read as the 15th"
    assert notes["birth_date"] == "given as a year: read as 1 July"
    assert result.pls.caveat is not None and "2026-03 and 2028-03" in result.pls.caveat
    assert "2026-03-15" not in result.pls.caveat  # no day claimed for an onset known to the month
    exact = assess(case_from_dict({**BASE, "symptom_onset": "2024-03-15", "exam": umn_only}))
    assert exact.approximate == [] and exact.criteria == result.criteria


ENCALS_BEYOND_CAP = """
id: encals-cap
symptom_onset: 2015-01-01
diagnosis_date: 2021-01-01
assessment_date: 2021-01-01
age_at_onset: 30
onset_region: cervical
course: progressive
alsfrs_r:
  - date: 2021-01-01
    gastrostomy: false
    items: {speech: 3, salivation: 4, swallowing: 4, handwriting: 3, cutting_food: 4, dressing_hygiene: 4,
            turning_in_bed: 4, walking: 4, climbing_stairs: 4, dyspnea: 4, orthopnea: 4, respiratory_insufficiency: 4}
fvc:
  - {date: 2021-01-01, percent_predicted: 100, position: upright}
"""


def test_encals_quartile_beyond_the_cap_is_reported_not_a_crash() -> None:
    result = assess(parse_case_text(ENCALS_BEYOND_CAP))
    p = result.course.prognosis
    assert p is not None and p.median_months_from_onset > 0
    assert p.quartile_months_from_onset[1] is None and p.quartile_dates[1] is None
    assert p.projection_range_months[1] == 1200.0
    assert any("only beyond 1200 months, the model's cap" in s.text for s in result.course.explanation)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = "id: good-1\nsymptom_onset: 2024-03\nassessment_date: 2025-01-10\ncourse: progressive\n"


def test_cli_one_bad_case_never_takes_the_others_down(tmp_path: Path) -> None:
    good = _write(tmp_path, "a.yaml", GOOD)
    bad = _write(tmp_path, "b.yaml", GOOD.replace("good-1", "bad-1").replace("progressive", "sometimes"))
    cap = _write(tmp_path, "c.yaml", ENCALS_BEYOND_CAP)
    out = runner.invoke(app, ["assess", str(good), str(bad), str(cap), "-f", "json"])
    assert out.exit_code == 2  # a refused case: exit 2, the others still assessed and printed
    docs = json.loads(out.stdout)
    assert [d["id"] for d in docs] == ["good-1", "encals-cap"]
    assert "b.yaml" in out.stderr and "'sometimes' is not one of progressive" in out.stderr
    text = runner.invoke(app, ["assess", str(good), str(cap)], env={"COLUMNS": "120"})
    assert text.exit_code == 0 and "good-1" in text.stdout and "encals-cap" in text.stdout


def test_cli_isolates_a_case_the_engine_cannot_assess(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = importlib.import_module("alsdx.engine.assess")
    real = engine.assess_many

    def breaks_on_one(cases: list[Case], *args: Any, **kwargs: Any) -> Any:
        if any(c.id == "breaks" for c in cases):
            raise RuntimeError("kernel failure")
        return real(cases, *args, **kwargs)

    monkeypatch.setattr(engine, "assess_many", breaks_on_one)
    good = _write(tmp_path, "a.yaml", GOOD)
    broken = _write(tmp_path, "b.yaml", GOOD.replace("good-1", "breaks"))
    out = runner.invoke(app, ["assess", str(good), str(broken), "-f", "json"])
    assert out.exit_code == 1
    assert [d["id"] for d in json.loads(out.stdout)] == ["good-1"]
    assert "breaks: alsdx could not assess this case (internal error: RuntimeError)" in out.stderr


def test_cli_errors_are_plain_text_brackets_survive_and_markup_never_crashes(tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.yaml", GOOD + "exam:\n  cervical: {umn: [hyperreflexia], lmn: ['x[/bold]y']}\n")
    out = runner.invoke(app, ["assess", str(bad)])
    assert out.exit_code == 2 and out.stdout == ""
    assert "'x[/bold]y' is not one of" in out.stderr
    emg = _write(tmp_path, "emg.yaml", GOOD + "emg:\n  - {muscle: 'odd [muscle]', side: left}\n")
    out = runner.invoke(app, ["assess", str(emg)])
    assert out.exit_code == 2 and out.stdout == ""
    assert "'odd_[muscle]'" in out.stderr or "'odd [muscle]'" in out.stderr
    roots = _write(tmp_path, "roots.yaml", GOOD + "emg:\n  - {muscle: deltoid, side: left, roots: [C5, C7]}\n")
    out = runner.invoke(app, ["assess", str(roots)])
    assert out.exit_code == 2 and "roots C7 are not roots of deltoid" in out.stderr
    assert "^" not in out.stderr


def test_batch_api_gives_a_per_case_error_and_assesses_the_rest() -> None:
    from alsdx.api.routes_assess import _batch

    docs = [
        {**BASE, "id": "ok-1"},
        {**BASE, "id": "bad-1", "emg": [{"muscle": "FDI", "side": "left", "nerve": "ulner"}]},
        json.loads(json.dumps(parse_case_text(ENCALS_BEYOND_CAP).model_dump(mode="json"))),
    ]
    results = json.loads(_batch(docs))["results"]
    assert [r["ok"] for r in results] == [True, False, True]
    assert (
        results[1]["errors"][0]["field"] == "emg[0].nerve"
        and "did you mean 'ulnar'?" in results[1]["errors"][0]["message"]
    )


def test_batch_api_isolates_an_engine_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    import alsdx.api.routes_assess as routes

    real_many = routes.assess_many

    def many(cases: list[Case], *a: Any, **k: Any) -> Any:  # the batch and the breaking case alone both fail
        if any(c.id == "breaks" for c in cases):
            raise RuntimeError("kernel failure")
        return real_many(cases, *a, **k)

    monkeypatch.setattr(routes, "assess_many", many)
    results = json.loads(routes._batch([{**BASE, "id": "a"}, {**BASE, "id": "breaks"}]))["results"]
    assert [r["ok"] for r in results] == [True, False]
    assert "could not assess this case" in results[1]["errors"][0]["message"]


def test_cohort_reads_sex_synonyms_per_distinct_value() -> None:
    rows = [{**case_row(case_from_dict({**BASE, "id": f"s{i}"})), "sex": s} for i, s in enumerate(["M", "Female", "x"])]
    batch = rows_to_batch(rows)
    out = assess_batch(batch)
    reasons = out.column("invalid_reason").to_pylist()
    assert reasons[:2] == [None, None] and "sex: 'x' is not one of male" in reasons[2]
    assert pa.types.is_dictionary(batch.column("sex").type)
