"""Tofersen (Qalsody) for SOD1-ALS: eligibility and the intrathecal dosing calendar.

Source: QALSODY (tofersen) injection, US prescribing information (FDA accelerated approval,
25 April 2023; EU marketing authorisation under exceptional circumstances, 31 May 2024). Indication:
ALS in adults with a mutation in the SOD1 gene. 100 mg (15 mL) intrathecally by lumbar puncture;
three loading doses at 14-day intervals, then a maintenance dose every 28 days. Warnings: myelitis and
radiculitis; papilloedema and elevated intracranial pressure; aseptic meningitis. Adverse reactions
> 10 %: pain, fatigue, arthralgia, increased CSF white cells, myalgia.

Rules (kernel): the plan offers or schedules tofersen only with a pathogenic or likely pathogenic SOD1
variant (ACMG class; a VUS or a variant in another gene never qualifies, as in Decision 11). Doses fall
on days 1, 15 and 29 (start + 0, 14, 28 days), then every 28 days (days 57, 85, ...). A tofersen entry
without such a variant gets the warning ``tofersen_without_sod1_plp`` and no calendar.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from alsdx.care.columns import Columns
from alsdx.care.models import Alert, MedicationPlan, ScheduleItem
from alsdx.model.case import Case

SOURCE = "QALSODY (tofersen) US prescribing information (FDA 2023); EU authorisation (EC 2024)"
LOADING_OFFSETS_DAYS = (0, 14, 28)
MAINTENANCE_INTERVAL_DAYS = 28
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
    while True:
        if k < n_loading:
            offset, label = LOADING_OFFSETS_DAYS[k], f"loading dose {k + 1} of {n_loading}"
        else:
            offset = LOADING_OFFSETS_DAYS[-1] + MAINTENANCE_INTERVAL_DAYS * (k - n_loading + 1)
            label = "maintenance dose, every 28 days"
        when = start + timedelta(days=offset)
        if when > until:
            return out
        out.append((when, label))
        k += 1


def tofersen_kernel(cols: Columns) -> dict[str, np.ndarray]:
    sod1 = cols["sod1_plp"]
    listed = cols["tofersen_listed"]
    return {
        "tofersen_schedule": sod1 & listed,
        "tofersen_to_be_considered": sod1 & ~listed,
        "tofersen_without_sod1_plp": listed & ~sod1,
    }


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
