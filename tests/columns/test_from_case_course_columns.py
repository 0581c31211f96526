"""Case -> course columns (the patients, ALSFRS-R visits and FVC tables of the course kernels)."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from alsdx.columns.codes import COURSE_PATIENT_COLUMNS as PATIENT_COLUMNS
from alsdx.columns.codes import FVC_COLUMNS, VISIT_COLUMNS
from alsdx.columns.from_case import course_columns
from alsdx.model.case import ALSFRS_ITEMS, AlsfrsItems
from alsdx.model.load import case_from_dict

NORMAL = dict.fromkeys(ALSFRS_ITEMS, 4)


def doc(**extra: Any) -> dict[str, Any]:
    return {
        "id": "c1",
        "symptom_onset": "2025-01-01",
        "assessment_date": "2026-01-01",
        "course": "progressive",
        **extra,
    }


def test_items_are_the_twelve_of_the_form() -> None:
    assert tuple(AlsfrsItems.model_fields) == ALSFRS_ITEMS and len(ALSFRS_ITEMS) == 12


def test_columns_of_a_batch() -> None:
    a = case_from_dict(
        doc(
            alsfrs_r=[
                {"date": "2025-09-01", "gastrostomy": True, "items": {**NORMAL, "speech": 2}},
                {"date": "2025-06-01", "gastrostomy": False, "items": NORMAL},
            ],
            fvc=[{"date": "2025-06-01", "percent_predicted": 88, "position": "supine"}],
            respiratory=[
                {"date": "2025-05-01", "snip_cm_h2o": 50, "nocturnal_oximetry_abnormal": True},
                {"date": "2025-08-01", "snip_cm_h2o": 35, "mip_cm_h2o": -55},
            ],
            genetics={"c9orf72_repeat_expansion": True},
            onset_region="bulbar",
            age_at_onset=61,
        )
    )
    b = case_from_dict(doc(id="c2", exam={"orthopnea": True}))
    cc = course_columns([a, b])
    assert set(cc.patients) == set(PATIENT_COLUMNS) and set(cc.visits) == set(VISIT_COLUMNS)
    assert set(cc.fvc) == set(FVC_COLUMNS)
    assert cc.n == 2
    # Visits are chronological and remember their place in the file.
    assert list(cc.visits["alsfrs_index"]) == [1, 0]
    assert list(cc.visits["alsfrs_gastrostomy"]) == [False, True]
    assert cc.visits["alsfrs_speech"][1] == 2.0
    assert cc.visits["alsfrs_day"][0] == date(2025, 6, 1).toordinal()
    assert list(cc.visits["onset_day"]) == [date(2025, 1, 1).toordinal()] * 2
    # Latest recorded value of each respiratory measure.
    assert cc.patients["snip_cm_h2o"][0] == 35 and cc.patients["mip_cm_h2o"][0] == -55
    assert cc.patients["nocturnal_oximetry_abnormal"][0] == 1.0
    assert np.isnan(cc.patients["snip_cm_h2o"][1]) and np.isnan(cc.patients["nocturnal_oximetry_abnormal"][1])
    assert list(cc.patients["c9orf72"][:1]) == [1.0] and np.isnan(cc.patients["c9orf72"][1])
    assert list(cc.patients["onset_bulbar"]) == [True, False]
    assert list(cc.patients["exam_orthopnea"]) == [False, True]
    assert cc.patients["age_at_onset_julian_years"][0] == 61 and np.isnan(cc.patients["age_at_onset_julian_years"][1])
    assert np.isnan(cc.patients["reec_definite"]).all()
    assert list(cc.fvc["fvc_upright"]) == [False] and cc.fvc["fvc_patient"].dtype == np.int64


def test_single_case_is_a_batch_of_one() -> None:
    cc = course_columns(case_from_dict(doc()))
    assert cc.n == 1 and len(cc.visits["patient"]) == 0 and len(cc.fvc["fvc_day"]) == 0


def test_a_missing_alsfrs_item_admitted_on_request_becomes_nan() -> None:
    items = {**NORMAL, "walking": None}
    case = case_from_dict(
        doc(alsfrs_r=[{"date": "2025-06-01", "gastrostomy": False, "items": items}]),
        allow_missing_alsfrs_items=True,
    )
    assert np.isnan(course_columns(case).visits["alsfrs_walking"][0])
