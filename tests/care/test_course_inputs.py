"""The course adapter reads docs/architecture.md's course.fvc keys from a model dump or an object."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from alsdx.care.course_inputs import RespiratoryInputs, respiratory_inputs


def test_none_and_passthrough() -> None:
    assert respiratory_inputs(None) is None
    given = RespiratoryInputs(fvc_percent=70)
    assert respiratory_inputs(given) is given
    assert respiratory_inputs({"alsfrs_r": {}}) is None


def test_from_a_json_dump() -> None:
    course = {
        "fvc": {
            "date": "2026-01-20",
            "upright_percent": 48,
            "supine_percent": 40,
            "slope_per_month": -2.5,
            "niv_indicated": True,
            "peg_risk": "moderate",
        },
        "orthopnea": True,
    }
    assert respiratory_inputs(course) == RespiratoryInputs(
        fvc_percent=48,
        fvc_date=date(2026, 1, 20),
        fvc_slope_per_month=-2.5,
        orthopnea=True,
        niv_indicated=True,
        peg_risk="moderate",
    )


def test_from_model_attributes() -> None:
    fvc = SimpleNamespace(
        date=date(2026, 1, 20),
        upright_percent=71.0,
        slope_per_month=-1.4,
        niv_indicated=False,
        peg_risk="low",
        orthopnea=False,
        fvc_50_projected_date=date(2027, 3, 1),
    )
    got = respiratory_inputs(SimpleNamespace(fvc=fvc))
    assert got is not None
    assert (got.fvc_percent, got.peg_risk, got.fvc_50_projected_date) == (71.0, "low", date(2027, 3, 1))
