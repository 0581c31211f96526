"""course_summary over the example cases and edge cases (expected figures derived here from the sources)."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from alsdx.engine.course import course_summary
from alsdx.engine.course_results import Course
from alsdx.errors import CaseValidationError
from alsdx.model.case import ALSFRS_ITEMS
from alsdx.model.load import case_from_dict, load_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
MONTH = 365.25 / 12
NORMAL = dict.fromkeys(ALSFRS_ITEMS, 4)


def months(a: date, b: date) -> float:
    return (b - a).days / MONTH


def doc(**extra: Any) -> dict[str, Any]:
    return {
        "id": "t1",
        "symptom_onset": "2025-01-01",
        "assessment_date": "2026-01-01",
        "course": "progressive",
        **extra,
    }


def visit(when: str, gastrostomy: bool = False, **scores: int | None) -> dict[str, Any]:
    return {"date": when, "gastrostomy": gastrostomy, "items": {**NORMAL, **scores}}


def example(name: str, **extra: Any) -> dict[str, Any]:
    """An example case as a document, with extension fields the shared examples do not carry yet."""
    return {**yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text()), **extra}


def spec_lp(dfs: float, delay: float, age: float, fvc: float, bulbar: int, definite: int) -> float:
    """docs/ruleset.md §9 written out independently of the kernel."""
    return (
        -1.837 * (dfs + 0.1) ** -0.5
        - 2.373 * ((delay / 10) ** -0.5 + math.log(delay / 10))
        - 0.267 * (age / 100) ** -2
        + 0.477 * ((fvc / 100) ** -1 + (fvc / 100) ** -0.5)
        + 0.269 * bulbar
        + 0.233 * definite
    )


def test_bulbar_onset_example() -> None:
    case = case_from_dict(example("bulbar-onset", diagnosis_date="2025-05-02"))
    course = course_summary(case, reec_definite=True)
    a = course.alsfrs_r
    assert a is not None
    assert a.date == date(2026, 1, 20) and a.total == 36
    assert a.subscores.model_dump() == {"bulbar": 6, "fine_motor": 9, "gross_motor": 10, "respiratory": 11}
    assert a.delta_fs == pytest.approx(12 / months(date(2025, 2, 1), date(2026, 1, 20)), abs=1e-4)
    days = [0, (date(2025, 8, 5) - date(2025, 5, 2)).days, (date(2026, 1, 20) - date(2025, 5, 2)).days]
    assert a.slope_per_month == pytest.approx(np.polyfit(np.array(days) / MONTH, [45, 42, 36], 1)[0], abs=1e-4)
    assert course.progression_band == "fast"
    assert course.kings_stage == "3" and course.mitos_stage == 0
    assert [v.kings_stage for v in course.history] == ["1", "2", "3"]
    assert [v.total for v in course.history] == [45, 42, 36]

    f = course.fvc
    assert f is not None
    assert (f.upright_percent, f.supine_percent, f.percent_used) == (71, 58, 71)
    assert f.upright_supine_drop_percent == pytest.approx(13 / 71 * 100, abs=1e-3)
    assert not f.diaphragmatic_weakness_flag and not f.supine_fallback
    fvc_slope = np.polyfit(np.array(days) / MONTH, [91, 84, 71], 1)[0]
    assert f.slope_per_month == pytest.approx(fvc_slope, abs=1e-4)
    expected = date(2026, 1, 20) + timedelta(days=round(21 / -fvc_slope * MONTH))
    assert f.below_50_projected_date == expected == course.gastrostomy.discuss_before_date
    assert f.peg_risk == "low" and not f.niv_indicated and not course.niv.indicated
    assert course.niv.not_recorded == ["SNIP", "MIP", "nocturnal oximetry"]

    p = course.prognosis
    assert p is not None and p.research_use
    onset, diagnosis = date(2025, 2, 1), date(2025, 5, 2)
    age = (onset - date(1958, 6, 14)).days / 365.25
    lp = spec_lp(3 / months(onset, diagnosis), months(onset, diagnosis), age, 91, 1, 1)
    assert p.linear_predictor == pytest.approx(lp, abs=1e-3)
    lo, hi = p.quartile_months_from_onset
    assert lo < p.median_months_from_onset < hi
    assert abs((p.median_date - onset).days - p.median_months_from_onset * MONTH) <= 1
    assert "not a confidence interval" in p.interval_label
    survival = [c.survival for c in p.curve]
    assert survival[0] == 1.0 and all(np.diff(survival) < 0)


def test_limb_onset_emg_example() -> None:
    course = course_summary(load_case(EXAMPLES / "limb-onset-emg.yaml"))
    a = course.alsfrs_r
    assert a is not None and a.total == 44
    assert a.subscores.model_dump() == {"bulbar": 12, "fine_motor": 8, "gross_motor": 12, "respiratory": 12}
    assert a.delta_fs == pytest.approx(4 / months(date(2025, 9, 10), date(2026, 3, 2)), abs=1e-4)
    assert a.slope_per_month == pytest.approx(-2 / months(date(2025, 12, 15), date(2026, 3, 2)), abs=1e-4)
    assert course.progression_band == "intermediate"
    assert course.kings_stage == "1" and course.mitos_stage == 0
    f = course.fvc
    assert f is not None and f.upright_percent == 92 and f.supine_percent is None
    assert f.slope_per_month == pytest.approx(-4 / months(date(2025, 12, 15), date(2026, 3, 2)), abs=1e-4)
    assert f.peg_risk == "low" and not f.niv_indicated
    assert course.prognosis is None and "diagnosis_date" in (course.prognosis_unavailable or "")


def test_lmn_conduction_block_example() -> None:
    course = course_summary(load_case(EXAMPLES / "lmn-conduction-block.yaml"))
    a = course.alsfrs_r
    assert a is not None and a.total == 44
    assert a.delta_fs == pytest.approx(4 / months(date(2024, 11, 1), date(2026, 2, 11)), abs=1e-4)
    assert course.progression_band == "slow"
    assert course.kings_stage == "2" and course.mitos_stage == 0
    f = course.fvc
    assert f is not None and (f.upright_percent, f.supine_percent) == (97, 95)
    assert course.niv.not_recorded == ["SNIP", "MIP", "nocturnal oximetry"] and not course.niv.indicated
    tests = [{"date": "2026-02-11", "snip_cm_h2o": 64, "mip_cm_h2o": -78, "nocturnal_oximetry_abnormal": False}]
    with_tests = course_summary(case_from_dict(example("lmn-conduction-block", respiratory=tests)))
    assert with_tests.niv.not_recorded == [] and not with_tests.niv.indicated


def test_prognosis_needs_diagnosis_date() -> None:
    course = course_summary(load_case(EXAMPLES / "bulbar-onset.yaml"), reec_definite=True)
    assert course.prognosis is None and "diagnosis_date" in (course.prognosis_unavailable or "")


def test_prognosis_inputs_must_be_near_diagnosis() -> None:
    fvc = [{"date": "2025-06-01", "percent_predicted": 80, "position": "upright"}]
    far = doc(age_at_onset=60, diagnosis_date="2025-03-01", alsfrs_r=[visit("2025-06-02", speech=3)], fvc=fvc)
    course = course_summary(case_from_dict(far), reec_definite=False)
    assert course.prognosis is None and "ALSFRS-R visit within 3 months" in (course.prognosis_unavailable or "")
    near = {**far, "alsfrs_r": [visit("2025-05-31", speech=3)]}  # 91 days = 2.99 months
    course = course_summary(case_from_dict(near), reec_definite=False)
    assert course.prognosis is None and "upright FVC within 3 months" in (course.prognosis_unavailable or "")
    both = {**near, "fvc": [{"date": "2025-05-31", "percent_predicted": 80, "position": "upright"}]}
    assert course_summary(case_from_dict(both), reec_definite=False).prognosis is not None


def test_json_has_the_design_keys() -> None:
    data = json.loads(course_summary(load_case(EXAMPLES / "bulbar-onset.yaml")).model_dump_json())
    assert set(data["alsfrs_r"]) >= {"date", "total", "subscores", "delta_fs", "slope_per_month"}
    assert set(data["alsfrs_r"]["subscores"]) == {"bulbar", "fine_motor", "gross_motor", "respiratory"}
    assert {"kings_stage", "mitos_stage", "progression_band", "prognosis"} <= set(data)
    assert set(data["fvc"]) >= {
        "date",
        "upright_percent",
        "supine_percent",
        "slope_per_month",
        "niv_indicated",
        "peg_risk",
    }
    assert all(s["text"] and s["source"] for s in data["explanation"])


def test_prognosis_needs_the_reec_category() -> None:
    course = course_summary(case_from_dict(example("bulbar-onset", diagnosis_date="2025-05-02")))
    assert course.prognosis is None
    assert "revised El Escorial" in (course.prognosis_unavailable or "")


def test_case_without_series() -> None:
    course = course_summary(case_from_dict(doc(exam={"orthopnea": True})))
    assert course.alsfrs_r is None and course.fvc is None and course.kings_stage is None
    assert course.progression_band is None and course.history == [] and course.alsfrs_fit is None
    assert course.niv.indicated and course.niv.triggers == ["orthopnea"]
    assert course.gastrostomy.peg_risk is None


def test_visit_on_the_onset_day_has_no_delta_fs_and_does_not_crash() -> None:
    course = course_summary(case_from_dict(doc(alsfrs_r=[visit("2025-01-01", speech=3)])))
    assert course.alsfrs_r is not None and course.alsfrs_r.delta_fs is None
    assert course.progression_band is None and "delta_fs_zero_duration" in course.flags


def test_orthopnea_item_supine_fallback_and_niv() -> None:
    case = case_from_dict(
        doc(
            alsfrs_r=[visit("2025-12-01", orthopnea=3)],
            fvc=[
                {"date": "2025-10-01", "percent_predicted": 62, "position": "upright"},
                {"date": "2025-12-01", "percent_predicted": 48, "position": "supine"},
            ],
            respiratory=[{"date": "2025-12-01", "snip_cm_h2o": 30, "mip_cm_h2o": -70}],
        )
    )
    course = course_summary(case)
    assert course.fvc is not None and course.fvc.supine_fallback and course.fvc.percent_used == 48
    assert course.fvc.peg_risk == "moderate" and "fvc_supine_fallback" in course.flags
    assert course.niv.triggers == ["orthopnea", "fvc_supine", "snip"]
    assert course.niv.not_recorded == ["nocturnal oximetry"]


def test_missing_item_is_refused_unless_prorating_is_asked() -> None:
    data = doc(alsfrs_r=[visit("2025-06-01"), visit("2025-12-01", walking=None, speech=2)])
    case = case_from_dict(data, allow_missing_alsfrs_items=True)
    with pytest.raises(CaseValidationError) as err:
        course_summary(case)
    assert err.value.errors[0].path == "alsfrs_r[1].items" and "walking" in err.value.errors[0].message
    course = course_summary(case, prorate_missing=True)
    assert course.alsfrs_r is not None and course.alsfrs_r.prorated
    assert course.alsfrs_r.total == pytest.approx(42 / 11 * 12, abs=1e-3)
    assert course.alsfrs_r.subscores.gross_motor is None and course.alsfrs_r.missing_items == ["walking"]
    assert "alsfrs_r_prorated" in course.flags and "kings_stage_lower_bound" in course.flags


def test_two_missing_items_are_refused_even_when_prorating() -> None:
    case = case_from_dict(
        doc(alsfrs_r=[visit("2025-06-01", walking=None, speech=None)]), allow_missing_alsfrs_items=True
    )
    with pytest.raises(CaseValidationError, match="at most 1"):
        course_summary(case, prorate_missing=True)


def test_gastrostomy_in_place_is_stage_4a_and_needs_no_discussion_date() -> None:
    case = case_from_dict(
        doc(
            alsfrs_r=[visit("2025-06-01", gastrostomy=True, swallowing=1)],
            fvc=[
                {"date": "2025-03-01", "percent_predicted": 70, "position": "upright"},
                {"date": "2025-06-01", "percent_predicted": 60, "position": "upright"},
            ],
        )
    )
    course = course_summary(case)
    assert course.kings_stage == "4A" and course.gastrostomy.in_place
    assert course.gastrostomy.discuss_before_date is None
    assert course.history[0].item5_scale == "5b"


RANK = {"1": 1, "2": 2, "3": 3, "4A": 4, "4B": 4, "4A+4B": 5}
scores = st.lists(st.integers(0, 4), min_size=12, max_size=12)


@settings(max_examples=40, deadline=None)
@given(scores, st.booleans(), scores, st.booleans(), st.integers(1, 200))
def test_adding_a_worse_visit_never_lowers_the_stage(
    first: list[int], tube: bool, drops: list[int], new_tube: bool, gap: int
) -> None:
    worse = [max(0, s - d) for s, d in zip(first, drops, strict=True)]
    one = {"date": "2025-03-01", "gastrostomy": tube, "items": dict(zip(ALSFRS_ITEMS, first, strict=True))}
    later = (date(2025, 3, 1) + timedelta(days=gap)).isoformat()
    two = {
        "date": later,
        "gastrostomy": tube or new_tube,
        "items": dict(zip(ALSFRS_ITEMS, worse, strict=True)),
    }
    before: Course = course_summary(case_from_dict(doc(alsfrs_r=[one])))
    after: Course = course_summary(case_from_dict(doc(alsfrs_r=[one, two])))
    assert before.kings_stage is not None and after.kings_stage is not None
    assert RANK[after.kings_stage] >= RANK[before.kings_stage]
    for part in ("4A", "4B"):
        assert part not in before.kings_stage or part in after.kings_stage
    assert (after.mitos_stage or 0) >= (before.mitos_stage or 0)
    assert after.alsfrs_r is not None and 0 <= after.alsfrs_r.total <= 48
