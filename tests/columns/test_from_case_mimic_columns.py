"""Columns for the differential kernels: anniversaries, calendar age, latest lab value, codes."""

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from alsdx.columns.codes import NOT_DONE, POSITIVE
from alsdx.columns.dates import anniversary, calendar_age, day_numbers, julian_age, ordinal
from alsdx.columns.from_case import mimic_columns
from alsdx.model.case import Case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"


@pytest.mark.parametrize(
    ("d", "years", "expected"),
    [
        (date(2020, 3, 10), 2, date(2022, 3, 10)),
        (date(2020, 2, 29), 1, date(2021, 2, 28)),
        (date(2020, 2, 29), 4, date(2024, 2, 29)),
    ],
)
def test_anniversary_clamps_29_february(d, years, expected):
    assert date.fromordinal(int(ordinal(anniversary(day_numbers([d]), years))[0])) == expected


def age(birth: date, on: date) -> float:
    return float(calendar_age(day_numbers([birth]), day_numbers([on]))[0])


def test_calendar_age_is_exact_on_birthdays_and_fractional_between():
    assert age(date(2000, 1, 1), date(2025, 1, 1)) == 25
    assert age(date(2001, 1, 1), date(2026, 1, 1)) == 25  # 365.25-day years would give 24.999
    assert julian_age(day_numbers([date(2001, 1, 1)]), day_numbers([date(2026, 1, 1)]))[0] < 25
    assert 24 < age(date(2000, 1, 2), date(2025, 1, 1)) < 25
    assert age(date(2000, 2, 29), date(2025, 2, 28)) == 25


def case(**fields):
    return Case.model_validate(
        {
            "id": "c",
            "symptom_onset": "2024-01-01",
            "assessment_date": "2025-01-01",
            "course": "progressive",
            **fields,
        }
    )


def test_latest_lab_value_and_ck_uln_from_the_same_panel():
    c = case(
        labs=[
            {"date": "2024-06-01", "ck_u_per_l": 900, "ck_uln_u_per_l": 200, "tsh_mu_per_l": 1.0},
            {"date": "2024-09-01", "ck_u_per_l": 400},
            {"date": "2024-03-01", "tsh_mu_per_l": 9.0, "hiv": "positive"},
        ]
    )
    cols = mimic_columns([c])
    assert cols["lab_ck_u_per_l"][0] == 400
    assert np.isnan(cols["lab_ck_uln_u_per_l"][0])
    assert cols["lab_tsh_mu_per_l"][0] == 1.0
    assert cols["lab_hiv"][0] == POSITIVE and cols["lab_htlv1"][0] == NOT_DONE


def test_unknown_values_are_nan_or_not_done():
    cols = mimic_columns([case()])
    assert np.isnan(cols["age_at_onset_years"][0]) and np.isnan(cols["genetics_ar_cag_repeats"][0])
    assert cols["ncs_rns_decrement"][0] == NOT_DONE and not cols["ncs_done"][0]
    assert cols["imaging_cervical_spine_mri"][0] == NOT_DONE


def test_neutral_mimic_columns_are_every_mimic_column_with_nothing_recorded() -> None:
    """Synthetic batches (benchmarks, cohort synth) get every differential input, each meaning "nothing recorded":
    the same names and dtypes as the columns of a case with much recorded, no finding (False), nothing measured
    (NaN), nothing done (NOT_DONE), and onset = assessment = 1 January 2000 with its anniversaries."""
    from alsdx.columns.from_case import neutral_mimic_columns
    from alsdx.model.load import load_case

    recorded = mimic_columns([load_case(EXAMPLES / "mimic-kennedy.yaml")])
    neutral = neutral_mimic_columns(3)
    assert list(neutral) == list(recorded)
    day0 = date(2000, 1, 1)
    days = {
        "onset_day": day0,
        "assessment_day": day0,
        "onset_plus_1y_day": day0.replace(year=2000 + 1),
        "onset_plus_2y_day": day0.replace(year=2000 + 2),
        "onset_plus_4y_day": day0.replace(year=2000 + 4),
    }
    for name, column in neutral.items():
        assert column.dtype == recorded[name].dtype and column.shape == (3,), name
        if name in days:
            assert (column == days[name].toordinal()).all(), name
        elif column.dtype == np.bool_:
            assert not column.any(), name
        elif column.dtype == np.int8:
            assert (column == NOT_DONE).all(), name
        else:
            assert column.dtype == np.float64 and np.isnan(column).all(), name
