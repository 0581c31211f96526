"""Row validity: a flat row is reported invalid exactly when the case model rejects the case it stands for,
with a reason naming the field; boundary cases from the case-file contract first."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from cohort_strategies import case_document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from alsdx.cohort.flatten import case_row, row_document, rows_to_batch
from alsdx.cohort.validity import check_rows
from alsdx.cohort.vocabulary_columns import read_vocabulary
from alsdx.columns import arrow_emg as emg
from alsdx.model.case import ALSFRS_ITEMS, Case

BASE = {
    "id": "v-1",
    "symptom_onset": "2025-01-01",
    "assessment_date": "2026-01-15",
    "course": "progressive",
    "age_at_onset": 60,
}


def _row(**extra: Any) -> dict[str, Any]:
    return case_row(Case.model_validate({**BASE, **extra}))


def _check(rows: list[dict[str, Any]]) -> tuple[np.ndarray, dict[int, str]]:
    batch = read_vocabulary(rows_to_batch(rows))  # as assess_batch reads a batch
    return check_rows(batch, emg.decode(batch.column("emg"), batch.num_rows))


def _model_rejects(row: dict[str, Any]) -> bool:
    try:
        Case.model_validate(row_document(row))
    except ValidationError:
        return True
    return False


def test_valid_rows_pass():
    invalid, reasons = _check([_row(), _row(emg=[{"muscle": "deltoid", "side": "left"}])])
    assert not invalid.any() and reasons == {}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"course": "progresive"}, "course: 'progresive' is not one of progressive, not_progressive, unknown"),
        ({"course": None}, "course: required"),
        ({"id": "has space"}, "id: 'has space' is not accepted: write 1 to 64 letters, digits"),
        ({"symptom_onset": dt.date(2026, 1, 16)}, "symptom_onset 2026-01-16 is after assessment_date 2026-01-15"),
        (
            {"birth_date": dt.date(2025, 1, 1), "age_at_onset": None},
            "birth_date 2025-01-01 is not before symptom_onset",
        ),
        ({"age_at_onset": 110.5}, "age_at_onset: must be <= 110, got 110.5 (ages run from 0 to 110 years"),
        ({"age_at_onset": float("nan")}, "age_at_onset: must be a finite number"),
        ({"birth_date": dt.date(1970, 1, 1), "age_at_onset": 50}, "age_at_onset 50 disagrees with birth_date"),
        ({"ck_u_per_l": 100.0, "ck_u_per_l_date": dt.date(2026, 1, 16)}, "ck_u_per_l_date 2026-01-16 is after"),
        ({"ck_u_per_l": 100.0}, "ck_u_per_l_date: required with ck_u_per_l"),
        (
            {"ck_u_per_l": 2.1, "ck_u_per_l_date": dt.date(2026, 1, 1)},
            "ck_u_per_l: must be >= 5, got 2.1 (CK is written in U/L (e.g. 150): 2.1 looks like µkat/L; multiply by 60",
        ),
        (
            {"fvc_upright_percent_predicted": 0.82, "fvc_upright_date": dt.date(2026, 1, 1)},
            "fvc_upright_percent_predicted: must be > 10, got 0.82 (FVC is written as % of predicted (e.g. 78): "
            "is 0.82 litres, or a fraction",
        ),
        ({"alt_uln_u_per_l": 0.0, "alt_uln_u_per_l_date": dt.date(2026, 1, 1)}, "alt_uln_u_per_l: must be > 0"),
        (
            {"fvc_upright_percent_predicted": 200.5, "fvc_upright_date": dt.date(2026, 1, 1)},
            "fvc_upright_percent_predicted: must be <= 200",
        ),
        ({"fvc_supine_date": dt.date(2026, 1, 1)}, "fvc_supine_percent_predicted: required with fvc supine"),
        ({"ar_cag_repeats": 0}, "ar_cag_repeats: must be >= 1"),
        (
            {
                "emg": [
                    {
                        "muscle": "deltoid",
                        "side": "up",
                        "region": "cervical",
                        "roots": ["C5", "C6"],
                        "nerve": "axillary",
                    }
                ]
            },
            "emg[0].side: not one of left, right, midline",
        ),
        (
            {"emg": [{"muscle": "deltoid", "side": "left", "region": "bulbar", "roots": None, "nerve": None}]},
            "emg[0].region contradicts the muscle table (deltoid is cervical)",
        ),
        (
            {"emg": [{"muscle": "deltoid", "side": "left", "roots": ["C5", "C7"]}]},
            "emg[0].roots are not roots of deltoid in the muscle table",
        ),
        (
            {"emg": [{"muscle": "deltoid", "side": "left", "nerve": "radial"}]},
            "emg[0].nerve contradicts the muscle table (deltoid is supplied by the axillary nerve); omit nerve",
        ),
        (
            {"emg": [{"muscle": "thoracic_paraspinal", "side": "left"}]},
            "emg[0]: thoracic_paraspinal has no fixed level",
        ),
        ({"emg": [{"muscle": "deltoid", "side": "left", "roots": []}]}, "emg[0].roots: must list at least one root"),
        (
            {"emg": [{"muscle": "deltoid", "side": "left", "roots": ["C9"]}]},
            "emg[0].roots: 'C9': C9 is not a spinal root",
        ),
        (
            {"emg": [{"muscle": "odd_muscle", "side": "left", "region": "cervical", "roots": ["C5"]}]},
            "emg[0]: muscle 'odd_muscle' is not in the muscle table: give its region, roots and nerve",
        ),
        (
            {"emg": [{"muscle": "odd_muscle", "side": "left", "region": "bulbar", "roots": ["C5"], "nerve": "ulnar"}]},
            "emg[0].roots lie outside the bulbar region (a bulbar muscle's roots are cranial nerves",
        ),
        (
            {
                "emg": [
                    {
                        "muscle": "odd_muscle",
                        "side": "left",
                        "region": "cervical",
                        "roots": ["L4", "L5"],
                        "nerve": "ulnar",
                    }
                ]
            },
            "emg[0].roots lie outside the cervical region (C1-C8 or T1)",
        ),
        (
            {
                "emg": [
                    {"muscle": "odd_muscle", "side": "left", "region": "cervical", "roots": ["C8"], "nerve": "ulner"}
                ]
            },
            "emg[0].nerve: 'ulner' is not a nerve alsdx knows; did you mean 'ulnar'?",
        ),
        (
            {"emg": [{"muscle": "tibialis_anterio", "side": "left"}]},
            "emg[0]: muscle 'tibialis_anterio' is not in the muscle table: did you mean 'tibialis_anterior'? If not,",
        ),
        (
            {"emg": [{"muscle": "FDP", "side": "left"}]},
            "emg[0].muscle: 'FDP': flexor digitorum profundus has a median part",
        ),
        (
            {"emg": [{"muscle": "Bad; Name", "side": "left", "region": "cervical", "roots": ["C5"], "nerve": "ulnar"}]},
            "emg[0].muscle: 'Bad; Name' is not a muscle name: write the muscle in words",
        ),
        ({"emg": [None]}, "emg[0]: empty entry"),
        (
            {
                "medications": [
                    {"name": "riluzole", "start_date": dt.date(2025, 6, 1), "stop_date": dt.date(2025, 5, 1)}
                ]
            },
            "medications[0]: stop_date 2025-05-01 is before start_date 2025-06-01",
        ),
        (
            {"medications": [{"name": "aspirin", "start_date": dt.date(2025, 6, 1), "stop_date": None}]},
            "medications[0].name: 'aspirin' is not one of riluzole",
        ),
        (
            {"medications": [{"name": "riluzole", "start_date": dt.date(2026, 2, 1), "stop_date": None}]},
            "medications[0].start_date 2026-02-01 is after assessment_date 2026-01-15",
        ),
    ],
)
def test_boundary_rows_are_invalid_with_a_reason_naming_the_field(change, reason):
    row = {**_row(), **change}
    invalid, reasons = _check([_row(), row])
    assert list(invalid) == [False, True]
    assert reason in reasons[1]
    assert _model_rejects(row)


def test_alsfrs_visit_must_be_complete_and_scored_0_to_4():
    visit = {
        "alsfrs_r_date": dt.date(2026, 1, 1),
        "alsfrs_r_gastrostomy": False,
        **{f"alsfrs_r_{i}": 4 for i in ALSFRS_ITEMS},
    }
    ok, five, missing = {**_row(), **visit}, {**_row(), **visit, "alsfrs_r_speech": 5}, {**_row(), **visit}
    missing["alsfrs_r_gastrostomy"] = None
    invalid, reasons = _check([ok, five, missing])
    assert list(invalid) == [False, True, True]
    assert "alsfrs_r_speech: must be <= 4, got 5" in reasons[1]
    assert "alsfrs_r_gastrostomy: required with alsfrs_r (latest visit)" in reasons[2]


def test_exact_thresholds_are_valid():
    row = {
        **_row(),
        "age_at_onset": 110.0,
        "symptom_onset": dt.date(2026, 1, 15),
        "fvc_upright_percent_predicted": 200.0,
        "fvc_upright_date": dt.date(2026, 1, 15),
        "ck_u_per_l": 5.0,
        "ck_u_per_l_date": dt.date(2026, 1, 15),
        "ar_cag_repeats": 100,
    }
    invalid, _ = _check([row])
    assert not invalid[0]
    assert not _model_rejects(row)


def test_null_yes_no_cells_mean_the_models_default():
    row = {**_row(), "cervical_umn_hoffmann": None, "normal_motor_function_before_onset": None}
    invalid, _ = _check([row])
    assert not invalid[0] and not _model_rejects(row)


Corruption = Callable[[dict[str, Any], st.DrawFn], None]


def _set(name: str, values: st.SearchStrategy[Any]) -> Corruption:
    def change(row: dict[str, Any], draw: st.DrawFn) -> None:
        row[name] = draw(values)

    return change


def _emg_field(name: str, values: st.SearchStrategy[Any]) -> Corruption:
    def change(row: dict[str, Any], draw: st.DrawFn) -> None:
        if row["emg"]:
            k = draw(st.integers(0, len(row["emg"]) - 1))
            row["emg"][k] = {**row["emg"][k], name: draw(values)}

    return change


DAYS = st.dates(dt.date(2010, 1, 1), dt.date(2027, 1, 1))
CORRUPTIONS: list[Corruption] = [
    _set("course", st.sampled_from([None, "progresive", "unknown"])),
    _set("sex", st.sampled_from([None, "m", "Female", "x", "female"])),
    _set("id", st.sampled_from([None, "", "ok-id", "bad id", "x" * 65])),
    _set("symptom_onset", st.none() | DAYS),
    _set("assessment_date", st.none() | DAYS),
    _set("birth_date", st.none() | DAYS),
    _set("age_at_onset", st.none() | st.floats(-5, 130) | st.just(float("nan"))),
    _set("ck_u_per_l", st.none() | st.floats(-10, 10)),
    _set("ck_u_per_l_date", st.none() | DAYS),
    _set("alsfrs_r_date", st.none() | DAYS),
    _set("alsfrs_r_walking", st.none() | st.integers(-1, 6)),
    _set("alsfrs_r_gastrostomy", st.none() | st.booleans()),
    _set("fvc_upright_percent_predicted", st.none() | st.floats(-1, 250)),
    _set("fvc_upright_date", st.none() | DAYS),
    _set("ar_cag_repeats", st.none() | st.integers(-2, 110)),
    _set("cervical_umn_hoffmann", st.none() | st.booleans()),
    _set("anti_gm1_igm", st.sampled_from([None, "positive", "weak"])),
    _set("dorsal_column_sensory_loss", st.none() | st.booleans()),
    _set("sensory_loss", st.none() | st.booleans()),
    _set("diagnosis_date", st.none() | DAYS),
    _set("ck_uln_u_per_l", st.none() | st.floats(-1, 500)),
    _set("ck_u_per_l_date", st.none() | DAYS),
    _set("investigations_muscle_biopsy_result", st.sampled_from([None, "normal", "abnormal", "odd"])),
    _set("investigations_muscle_biopsy_date", st.none() | DAYS),
    _set("snip_cm_h2o", st.none() | st.floats(-10, 300)),
    _set("mip_cm_h2o_date", st.none() | DAYS),
    _set("tongue_fasciculations", st.sampled_from([None, "present", "wobbly"])),
    _set("alsfrs_r_speech", st.none() | st.integers(0, 4)),
    _set("ncs_rns_decrement", st.none() | st.booleans()),
    _emg_field("side", st.sampled_from([None, "left", "up", "L", "Rt"])),
    _emg_field("region", st.sampled_from([None, "bulbar", "cervical", "thoracic", "lumbosacral", "arm"])),
    _emg_field(
        "roots",
        st.none()
        | st.lists(
            st.sampled_from(["C5", "C6", "C8", "T1", "T8", "L4", "CN XII", "Q1", "C8-T1", "L4/L5", "Th10", "cn 12"]),
            max_size=3,
        ),
    ),
    _emg_field(
        "nerve",
        st.sampled_from(
            [
                None,
                "ulnar",
                "radial",
                "hypoglossal",
                "Bad",
                "deep_peroneal",
                "Posterior Interosseous",
                "accessory",
                "CN XI",
                "axillary",
                "median",
                "AIN",
            ]
        ),
    ),
    _emg_field(
        "muscle",
        st.sampled_from(
            [
                None,
                "deltoid",
                "genioglossus",
                "thoracic_paraspinal",
                "new_one",
                "FDI",
                "tib ant",
                "T10 paraspinal",
                "C7 paraspinal",
                "FDP",
                "tibialis_anterio",
                "x;y",
                "SCM",
                "EDC",
            ]
        ),
    ),
    _set(
        "medications",
        st.lists(
            st.fixed_dictionaries(
                {
                    "name": st.sampled_from(["riluzole", "nope"]),
                    "start_date": st.none() | DAYS,
                    "stop_date": st.none() | DAYS,
                }
            ),
            max_size=2,
        ),
    ),
]


@st.composite
def corrupted_row(draw: st.DrawFn) -> dict[str, Any]:
    row = copy.deepcopy(case_row(Case.model_validate(draw(case_document()))))
    for change in draw(st.lists(st.sampled_from(CORRUPTIONS), max_size=3)):
        change(row, draw)
    return row


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(corrupted_row(), min_size=1, max_size=4))
def test_invalid_exactly_when_the_case_model_rejects(rows):
    invalid, reasons = _check(rows)
    for i, row in enumerate(rows):
        assert bool(invalid[i]) == _model_rejects(row), (reasons.get(i), row_document(row))
        assert (i in reasons) == bool(invalid[i])
