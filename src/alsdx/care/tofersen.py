"""Tofersen in the care plan: the kernel's columns from a case, the dated intrathecal calendar and its wording.

Eligibility (a pathogenic or likely pathogenic SOD1 variant), the dose offsets and their source (QALSODY label)
are the kernel's, ``alsdx.rules.care.tofersen`` (docs/ruleset.md §11).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from alsdx.care.columns import Columns
from alsdx.care.models import Alert, MedicationPlan, ScheduleItem
from alsdx.model.case import Case
from alsdx.rules.care.tofersen import LOADING_OFFSETS_DAYS, SOURCE, dose_offset_days

INSTRUCTIONS = [
    "100 mg (15 mL) intrathecally by lumbar puncture over 1-3 minutes; 3 loading doses 14 days apart, "
    "then every 28 days (per label).",
]
WATCH_FOR = [
    "myelitis and radiculitis",
    "papilloedema and raised intracranial pressure",
    "aseptic meningitis",
    "pain, fatigue, arthralgia, myalgia; raised CSF white cell count",
]


def dose_dates(start: date, until: date) -> list[tuple[date, str]]:
    """Every dose from ``start`` (day 1) to ``until`` inclusive, with its label."""
    n_loading = len(LOADING_OFFSETS_DAYS)
    out: list[tuple[date, str]] = []
    k = 0
    while (when := start + timedelta(days=int(dose_offset_days(k)))) <= until:
        label = f"loading dose {k + 1} of {n_loading}" if k < n_loading else "maintenance dose, every 28 days"
        out.append((when, label))
        k += 1
    return out


def tofersen_columns(case: Case, sod1_plp: np.ndarray) -> dict[str, np.ndarray]:
    return {
        "sod1_plp": sod1_plp,
        "tofersen_listed": np.array([any(m.name == "tofersen" for m in case.medications)]),
    }


def plan_and_alerts(case: Case, fired: Columns, start: date, until: date) -> tuple[list[MedicationPlan], list[Alert]]:
    plans: list[MedicationPlan] = []
    alerts: list[Alert] = []
    if fired["tofersen_to_be_considered"][0]:
        plans.append(
            MedicationPlan(
                name="tofersen",
                label="Tofersen (Qalsody)",
                status="to_be_considered",
                instructions=INSTRUCTIONS,
                watch_for=WATCH_FOR,
                source=SOURCE,
                notes=[
                    "Pathogenic or likely pathogenic SOD1 variant on file: tofersen to be considered "
                    "(indication: ALS with a SOD1 mutation, per label)."
                ],
            )
        )
    if fired["tofersen_without_sod1_plp"][0]:
        alerts.append(
            Alert(
                id="tofersen_without_sod1_plp",
                severity="warning",
                source=SOURCE,
                message="Tofersen is listed, but the case carries no pathogenic or likely pathogenic SOD1 "
                "variant: the label indication is ALS with a SOD1 mutation. Record the variant or review; "
                "no tofersen calendar is produced.",
            )
        )
    if fired["tofersen_schedule"][0]:
        for med in (m for m in case.medications if m.name == "tofersen"):
            current = med.stop_date is None
            schedule = [
                ScheduleItem(date=d, action=f"Tofersen 100 mg intrathecal: {label}")
                for d, label in dose_dates(med.start_date, until)
                if current and d >= start
            ]
            plans.append(
                MedicationPlan(
                    name="tofersen",
                    label="Tofersen (Qalsody)",
                    status="current" if current else "stopped",
                    start_date=med.start_date,
                    stop_date=med.stop_date,
                    schedule=schedule,
                    instructions=INSTRUCTIONS,
                    watch_for=WATCH_FOR,
                    source=SOURCE,
                    notes=["The calendar assumes no missed or delayed doses since the start date."],
                )
            )
    return plans, alerts
