"""Case -> the numpy columns the disease-course kernels read (``alsdx.rules.course``).

Three tables, each a dict of equal-length arrays:

- patient columns, one element per case (``PATIENT_COLUMNS``);
- the ALSFRS-R visit side table, one row per visit, chronological within a patient (``VISIT_COLUMNS``);
- the FVC side table, one row per measurement (``FVC_COLUMNS``).

Side-table rows name their case by ``patient`` / ``fvc_patient`` (row index into the patient columns).
Dates are day numbers (``date.toordinal()``) as float64 so that NaN can mean "not recorded"; scores are
float64 with NaN for an unanswered item; yes/no facts that may be unknown are 1.0 / 0.0 / NaN. The cohort
runner builds the same names from a registry and calls the same kernels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np

from alsdx.model.case import ALSFRS_ITEMS, Case

Columns = dict[str, np.ndarray]

"""The 12 items in form order (speech ... respiratory_insufficiency); column ``alsfrs_<item>``."""

PATIENT_COLUMNS: Final = (
    "onset_day",  # symptom_onset
    "assessment_day",  # assessment_date
    "diagnosis_day",  # diagnosis_date, NaN when not given
    "age_at_onset_years",  # age_at_onset or from birth_date, NaN when neither
    "onset_bulbar",  # onset_region == bulbar (bool)
    "frontotemporal_dementia",  # bool
    "c9orf72",  # genetics.c9orf72_repeat_expansion: 1 / 0 / NaN unknown
    "exam_orthopnea",  # exam.orthopnea (bool)
    "snip_cm_h2o",  # latest recorded SNIP (positive magnitude), NaN when none
    "snip_day",
    "mip_cm_h2o",  # latest recorded MIP (negative pressure), NaN when none
    "mip_day",
    "nocturnal_oximetry_abnormal",  # latest recorded: 1 / 0 / NaN
    "nocturnal_oximetry_day",
    "reec_definite",  # 1 / 0 from the criteria engine; NaN here (the case does not say)
)
VISIT_COLUMNS: Final = (
    "patient",
    "alsfrs_index",  # position of the visit in the case's alsfrs_r list (for error paths)
    "alsfrs_day",
    "onset_day",  # the patient's onset, repeated per visit (for ΔFS at each visit)
    "alsfrs_gastrostomy",  # bool: item 5 scored on 5b
    *(f"alsfrs_{i}" for i in ALSFRS_ITEMS),
)
FVC_COLUMNS: Final = ("fvc_patient", "fvc_day", "fvc_percent", "fvc_upright")


@dataclass(frozen=True)
class CourseColumns:
    patients: Columns
    visits: Columns
    fvc: Columns

    @property
    def n(self) -> int:
        return len(self.patients["onset_day"])


def day(d: date | None) -> float:
    """Day number of a date (NaN for None); ``date.fromordinal(int(x))`` turns it back."""
    return float(d.toordinal()) if d is not None else np.nan


def _tri(value: bool | None) -> float:
    return np.nan if value is None else float(value)


def course_columns(cases: Case | Sequence[Case]) -> CourseColumns:
    """Columns for one case or a batch of cases (a single patient is a batch of one)."""
    batch = [cases] if isinstance(cases, Case) else list(cases)
    patients: dict[str, list[float | bool]] = {name: [] for name in PATIENT_COLUMNS}
    visits: dict[str, list[float | bool | int]] = {name: [] for name in VISIT_COLUMNS}
    fvc: dict[str, list[float | bool | int]] = {name: [] for name in FVC_COLUMNS}
    for index, case in enumerate(batch):
        onset = day(case.symptom_onset)
        age = case.onset_age_years
        patients["onset_day"].append(onset)
        patients["assessment_day"].append(day(case.assessment_date))
        patients["diagnosis_day"].append(day(case.diagnosis_date))
        patients["age_at_onset_years"].append(np.nan if age is None else age)
        patients["onset_bulbar"].append(case.onset_region == "bulbar")
        patients["frontotemporal_dementia"].append(case.frontotemporal_dementia)
        patients["c9orf72"].append(_tri(case.genetics.c9orf72_repeat_expansion))
        patients["exam_orthopnea"].append(case.exam.orthopnea)
        for measure, column in (
            ("snip_cm_h2o", "snip"),
            ("mip_cm_h2o", "mip"),
            ("nocturnal_oximetry_abnormal", "nocturnal_oximetry"),
        ):
            recorded = [r for r in case.respiratory if getattr(r, measure) is not None]
            latest = max(recorded, key=lambda r: r.date, default=None)  # first of equal dates wins
            value = getattr(latest, measure) if latest is not None else None
            patients[measure].append(np.nan if value is None else float(value))
            patients[f"{column}_day"].append(day(latest.date if latest is not None else None))
        patients["reec_definite"].append(np.nan)

        for position, visit in sorted(enumerate(case.alsfrs_r), key=lambda iv: iv[1].date):
            visits["patient"].append(index)
            visits["alsfrs_index"].append(position)
            visits["alsfrs_day"].append(day(visit.date))
            visits["onset_day"].append(onset)
            visits["alsfrs_gastrostomy"].append(visit.gastrostomy)
            for item in ALSFRS_ITEMS:
                score = getattr(visit.items, item)
                visits[f"alsfrs_{item}"].append(np.nan if score is None else float(score))
        for m in case.fvc:
            fvc["fvc_patient"].append(index)
            fvc["fvc_day"].append(day(m.date))
            fvc["fvc_percent"].append(m.percent_predicted)
            fvc["fvc_upright"].append(m.position == "upright")

    return CourseColumns(
        patients={k: _array(k, v) for k, v in patients.items()},
        visits={k: _array(k, v) for k, v in visits.items()},
        fvc={k: _array(k, v) for k, v in fvc.items()},
    )


_BOOL: Final = frozenset(
    {"onset_bulbar", "frontotemporal_dementia", "exam_orthopnea", "alsfrs_gastrostomy", "fvc_upright"}
)
_INT: Final = frozenset({"patient", "alsfrs_index", "fvc_patient"})


def _array(name: str, values: list[float | bool | int]) -> np.ndarray:
    if name in _BOOL:
        return np.asarray(values, dtype=bool)
    if name in _INT:
        return np.asarray(values, dtype=np.int64)
    return np.asarray(values, dtype=float)
