"""Validated cases -> the kernels' columns (``assess``): criteria columns with the EMG side table, the
differential (mimic, PLS, supportive, work-up) columns and the course tables. Names and codes: ``codes``;
dates: ``dates``. ``from_arrow`` builds the same columns from flat record batches (tests/cohort/test_cohort_columns.py compares them).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

from alsdx.columns import dates
from alsdx.columns.codes import (
    BULBAR_SYMPTOMS,
    COURSE_CODES,
    COURSE_PATIENT_COLUMNS,
    EXAM_FLAGS,
    FVC_COLUMNS,
    HISTORY_FLAGS,
    INVESTIGATION_CODES,
    LAB_CODES,
    LAB_NUMBERS,
    MRI_CODES,
    MRI_FIELDS,
    NCS_FLAGS,
    NEGATIVE,
    NOT_DONE,
    PATIENT_FLAG_COLUMNS,
    POSITIVE,
    REGION_EMG_STUDIED,
    REGION_EXAMINED,
    SIGN_COLUMNS,
    TONGUE_CODES,
    VARIANT_COLUMNS,
    VISIT_COLUMNS,
    WEAKNESS_FLAGS,
    Columns,
    CourseColumns,
    root_mask,
    sign_column,
    variant_column,
)
from alsdx.model.case import ALSFRS_ITEMS, Case, LabPanel
from alsdx.model.vocab import INVESTIGATION_TESTS, KNOWN_GENES, PATHOGENIC_CLASSES, REGIONS

# --- criteria columns -----------------------------------------------------------------------------------------


def case_columns(cases: Sequence[Case]) -> Columns:
    """Flatten validated cases into columns (patient columns of length n plus the EMG side table), the
    differential columns included."""
    n = len(cases)
    sign_index = {name: i for i, name in enumerate(SIGN_COLUMNS)}
    signs = np.zeros((n, len(SIGN_COLUMNS)), dtype=bool)
    flags = np.zeros((n, len(PATIENT_FLAG_COLUMNS)), dtype=bool)
    variant_index = {name: i for i, name in enumerate(VARIANT_COLUMNS)}
    variants = np.zeros((n, len(VARIANT_COLUMNS)), dtype=bool)
    course = np.empty(n, dtype=np.int8)
    emg_rows: list[tuple[int, int, str, int, bool, bool, bool]] = []
    for i, case in enumerate(cases):
        course[i] = COURSE_CODES.index(case.course)
        flags[i] = (
            case.normal_motor_function_before_onset,
            case.other_causes_excluded,
            case.family_history_als,
            case.frontotemporal_dementia,
            bool(case.genetics.c9orf72_repeat_expansion),
        )
        for region in REGIONS:
            found = case.exam.region(region)
            for sign in found.umn:
                signs[i, sign_index[sign_column(region, "umn", sign)]] = True
            for lmn_sign in found.lmn:
                signs[i, sign_index[sign_column(region, "lmn", lmn_sign)]] = True
        for variant in case.genetics.variants:
            if variant.classification in PATHOGENIC_CLASSES:
                column = variant_column(variant.gene if variant.gene in KNOWN_GENES else "other")
                variants[i, variant_index[column]] = True
        for m in case.emg:
            assert m.region is not None and m.nerve is not None and m.roots is not None
            emg_rows.append(
                (
                    i,
                    REGIONS.index(m.region),
                    m.nerve,
                    root_mask(m.roots),
                    m.fibrillations_psw,
                    m.fasciculation_potentials,
                    m.chronic_neurogenic,
                )
            )
    cols: Columns = {"course": course}
    cols.update({name: flags[:, j] for j, name in enumerate(PATIENT_FLAG_COLUMNS)})
    cols.update({name: signs[:, j] for j, name in enumerate(SIGN_COLUMNS)})
    cols.update({name: variants[:, j] for j, name in enumerate(VARIANT_COLUMNS)})
    cols.update(emg_columns(emg_rows))
    cols[REGION_EXAMINED] = np.array([[c.exam.region(r).examined for r in REGIONS] for c in cases], dtype=bool).reshape(
        n, len(REGIONS)
    )
    cols[REGION_EMG_STUDIED] = np.array(
        [[any(m.region == r for m in c.emg) for r in REGIONS] for c in cases], dtype=bool
    ).reshape(n, len(REGIONS))
    cols.update(mimic_columns(cases))
    return cols


def emg_columns(rows: Sequence[tuple[int, int, str, int, bool, bool, bool]]) -> Columns:
    """The EMG side table; nerve names are interned to integers (only equality matters to the rules)."""
    nerve_ids: dict[str, int] = {}
    return {
        "emg_patient": np.array([r[0] for r in rows], dtype=np.int64),
        "emg_region": np.array([r[1] for r in rows], dtype=np.int8),
        "emg_nerve": np.array([nerve_ids.setdefault(r[2], len(nerve_ids)) for r in rows], dtype=np.int64),
        "emg_roots": np.array([r[3] for r in rows], dtype=np.int64),
        "emg_fibrillations_psw": np.array([r[4] for r in rows], dtype=bool),
        "emg_fasciculation_potentials": np.array([r[5] for r in rows], dtype=bool),
        "emg_chronic_neurogenic": np.array([r[6] for r in rows], dtype=bool),
    }


# --- differential columns -------------------------------------------------------------------------------------


def mimic_columns(cases: Sequence[Case]) -> Columns:
    """Patient columns for the differential kernels (codes: ``alsdx.columns.codes``)."""
    n = len(cases)
    onset = dates.day_numbers([c.symptom_onset for c in cases])
    cols: Columns = {
        "sex_male": np.array([c.sex == "male" for c in cases], dtype=bool),
        "sex_female": np.array([c.sex == "female" for c in cases], dtype=bool),
        "age_at_onset_years": _calendar_onset_age(cases, onset),
        "onset_day": dates.ordinal(onset),
        "assessment_day": dates.ordinal(dates.day_numbers([c.assessment_date for c in cases])),
    }
    for years in (1, 2, 4):
        cols[f"onset_plus_{years}y_day"] = dates.ordinal(dates.anniversary(onset, years))
    for name in EXAM_FLAGS:
        cols[f"exam_{name}"] = np.array([getattr(c.exam, name) for c in cases], dtype=bool)
    for name in WEAKNESS_FLAGS:
        cols[f"exam_weakness_{name}"] = np.array([getattr(c.exam.weakness, name) for c in cases], dtype=bool)
    for symptom in BULBAR_SYMPTOMS:
        cols[f"exam_{symptom}"] = np.array([symptom in c.exam.bulbar_symptoms for c in cases], dtype=bool)
    cols["exam_tongue_fasciculations"] = np.array(
        [TONGUE_CODES[c.exam.tongue_fasciculations] for c in cases], dtype=np.int8
    )
    for name in HISTORY_FLAGS:
        cols[f"history_{name}"] = np.array([getattr(c.history, name) for c in cases], dtype=bool)
    cols.update(_lab_columns(cases))
    cols["ncs_done"] = np.array([c.ncs is not None for c in cases], dtype=bool)
    for name in NCS_FLAGS:
        cols[f"ncs_{name}"] = np.array([bool(c.ncs and getattr(c.ncs, name)) for c in cases], dtype=bool)
    cols["ncs_rns_decrement"] = np.array(
        [_code(c.ncs.rns_decrement if c.ncs else None, True) for c in cases], dtype=np.int8
    )
    for name in MRI_FIELDS:
        cols[f"imaging_{name}"] = np.array([MRI_CODES[getattr(c.imaging, name)] for c in cases], dtype=np.int8)
    cols["genetics_ar_cag_repeats"] = np.array(
        [np.nan if c.genetics.ar_cag_repeats is None else c.genetics.ar_cag_repeats for c in cases],
        dtype=np.float64,
    )
    for test in INVESTIGATION_TESTS:
        cols[f"investigation_{test}"] = np.array([_investigation(c, test) for c in cases], dtype=np.int8)
    assert all(v.shape == (n,) for v in cols.values())
    return cols


def _calendar_onset_age(cases: Sequence[Case], onset: np.ndarray) -> np.ndarray:
    """``age_at_onset``, else ``dates.calendar_age`` from ``birth_date``, else NaN."""
    out = np.array([np.nan if c.age_at_onset is None else c.age_at_onset for c in cases], dtype=np.float64)
    derive = [i for i, c in enumerate(cases) if c.age_at_onset is None and c.birth_date is not None]
    if derive:
        birth = dates.day_numbers([cases[i].birth_date for i in derive])  # type: ignore[misc]
        out[derive] = dates.calendar_age(birth, onset[derive])
    return out


def _latest(labs: Sequence[LabPanel], field: str) -> tuple[object, LabPanel | None]:
    """Latest recorded value of one analyte (ties on date: the panel listed last)."""
    found: tuple[object, LabPanel | None] = (None, None)
    best: date | None = None
    for panel in labs:
        value = getattr(panel, field)
        if value is not None and (best is None or panel.date >= best):
            found, best = (value, panel), panel.date
    return found


def _code(value: object, positive: object) -> int:
    if value is None:
        return NOT_DONE
    return POSITIVE if value == positive else NEGATIVE


def _lab_columns(cases: Sequence[Case]) -> Columns:
    numbers = {name: np.full(len(cases), np.nan) for name in (*LAB_NUMBERS, "ck_uln_u_per_l")}
    codes = {name: np.full(len(cases), NOT_DONE, dtype=np.int8) for name in LAB_CODES}
    for i, case in enumerate(cases):
        for name in LAB_NUMBERS:
            value, panel = _latest(case.labs, name)
            if value is not None:
                numbers[name][i] = float(value)  # type: ignore[arg-type]
            if name == "ck_u_per_l" and panel is not None and panel.ck_uln_u_per_l is not None:
                # The CK upper limit of the panel that gave the latest CK (ratios need one laboratory).
                numbers["ck_uln_u_per_l"][i] = panel.ck_uln_u_per_l
        for name, positive in LAB_CODES.items():
            codes[name][i] = _code(_latest(case.labs, name)[0], positive)
    return {**{f"lab_{k}": v for k, v in numbers.items()}, **{f"lab_{k}": v for k, v in codes.items()}}


def _investigation(case: Case, test: str) -> int:
    """Latest recorded result of a work-up test (ties on date: the entry listed last)."""
    found, best = NOT_DONE, None
    for inv in case.investigations:
        if inv.test == test and (best is None or inv.date >= best):
            found, best = INVESTIGATION_CODES[inv.result], inv.date
    return found


def neutral_mimic_columns(n: int) -> Columns:
    """Columns for n patients with nothing recorded (no finding, nothing measured or done; onset = assessment =
    day 0). For synthetic batches (benchmarks, cohort tests) that build the criteria columns by hand."""
    template = mimic_columns(
        [
            Case.model_validate(
                {"id": "x", "symptom_onset": "2000-01-01", "assessment_date": "2000-01-01", "course": "unknown"}
            )
        ]
    )
    return {name: np.repeat(column, n) for name, column in template.items()}


# --- course tables --------------------------------------------------------------------------------------------


def day(d: date | None) -> float:
    """Day number of a date (NaN for None); ``date.fromordinal(int(x))`` turns it back."""
    return float(d.toordinal()) if d is not None else np.nan


def _tri(value: bool | None) -> float:
    return np.nan if value is None else float(value)


def course_columns(cases: Case | Sequence[Case]) -> CourseColumns:
    """The course tables for one case or a batch of cases (a single patient is a batch of one)."""
    batch = [cases] if isinstance(cases, Case) else list(cases)
    patients: dict[str, list[float | bool]] = {name: [] for name in COURSE_PATIENT_COLUMNS}
    visits: dict[str, list[float | bool | int]] = {name: [] for name in VISIT_COLUMNS}
    fvc: dict[str, list[float | bool | int]] = {name: [] for name in FVC_COLUMNS}
    for index, case in enumerate(batch):
        onset = day(case.symptom_onset)
        patients["onset_day"].append(onset)
        patients["assessment_day"].append(day(case.assessment_date))
        patients["diagnosis_day"].append(day(case.diagnosis_date))
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

    given = np.array([np.nan if c.age_at_onset is None else c.age_at_onset for c in batch], dtype=float)
    birth = np.array([day(c.birth_date) for c in batch], dtype=float)
    patients["age_at_onset_julian_years"] = np.where(
        np.isnan(given), dates.julian_age(birth, np.array(patients["onset_day"], dtype=float)), given
    ).tolist()
    return CourseColumns(
        patients={k: _array(k, v) for k, v in patients.items()},
        visits={k: _array(k, v) for k, v in visits.items()},
        fvc={k: _array(k, v) for k, v in fvc.items()},
    )


_BOOL = frozenset({"onset_bulbar", "frontotemporal_dementia", "exam_orthopnea", "alsfrs_gastrostomy", "fvc_upright"})
_INT = frozenset({"patient", "alsfrs_index", "fvc_patient"})


def _array(name: str, values: list[float | bool | int]) -> np.ndarray:
    if name in _BOOL:
        return np.asarray(values, dtype=bool)
    if name in _INT:
        return np.asarray(values, dtype=np.int64)
    return np.asarray(values, dtype=float)
