"""Edaravone in the care plan: cycle anchors of a case's entries, the dated dosing calendar and its wording.

The cycle rules and their sources (FDA labels of RADICAVA and RADICAVA ORS; 28-day cycles, 14 then 10 doses,
the anchor carried across a route switch) are the kernel's, ``alsdx.rules.care.edaravone`` (docs/ruleset.md §11).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from alsdx.care.dates import day_number
from alsdx.care.models import MedicationPlan, ScheduleItem
from alsdx.model.case import Case, Medication
from alsdx.rules.care.edaravone import IV, NAMES, ORAL, SOURCE, continues_cycles, cycle_start, doses_in

LABEL = {IV: "Edaravone IV (Radicava)", ORAL: "Edaravone oral suspension (Radicava ORS)"}
DOSE_TEXT = {IV: "Edaravone 60 mg IV infusion over 60 min", ORAL: "Edaravone 105 mg (5 mL) oral suspension"}
CYCLE_TEXT = (
    "Cycle 1: daily for 14 days, then 14 days off; later cycles: daily on 10 of days 1-14 (placed on "
    "days 1-10 here; schedule per prescriber), then 14 days off (per label)."
)
INSTRUCTIONS = {
    IV: [
        "60 mg IV over 60 minutes as two consecutive 30 mg bags (about 1 mg/min); nothing else mixed into "
        "the bag (per label).",
        CYCLE_TEXT,
    ],
    ORAL: [
        "105 mg (5 mL) by mouth or feeding tube in the morning after an overnight fast; only water for "
        "1 hour after the dose (per label).",
        "Before a dose: at least 8 hours after a high-fat meal, 4 hours after a low-fat meal, 2 hours after "
        "a caloric supplement (about 250 kcal) (per label).",
        "A missed dose is not doubled; no dosing on days 15-28 of a cycle (per label).",
        CYCLE_TEXT,
    ],
}
WATCH_FOR = {
    IV: [
        "hypersensitivity reactions (redness, wheals, erythema multiforme, anaphylaxis): stop the "
        "infusion at the first sign",
        "sulfite allergic reactions (sodium bisulfite; more likely with asthma)",
        "contusion (15 % vs 9 % on placebo)",
        "gait disturbance (13 % vs 9 %)",
        "headache (10 % vs 6 %)",
    ],
}
WATCH_FOR[ORAL] = [*WATCH_FOR[IV][:2], "contusion", "gait disturbance", "headache", "fatigue"]


@dataclass(frozen=True)
class Dose:
    date: date
    cycle: int
    day: int
    """Day within the 28-day cycle, 1-based."""
    dose: int
    """Dose number within the cycle, 1-based."""
    doses_in_cycle: int


def dosing_days(anchor: date, until: date) -> list[Dose]:
    """Every dosing day from ``anchor`` (cycle 1, day 1) to ``until`` inclusive."""
    out: list[Dose] = []
    cycle = 1
    while (first := anchor + timedelta(days=int(cycle_start(0, cycle)))) <= until:
        n = int(doses_in(cycle))
        for day in range(1, n + 1):
            when = first + timedelta(days=day - 1)
            if when > until:
                return out
            out.append(Dose(when, cycle, day, day, n))
        cycle += 1
    return out


def anchors(case: Case) -> dict[int, date]:
    """Cycle anchor of each edaravone entry, keyed by its index in ``case.medications``."""
    entries = sorted(
        ((i, m) for i, m in enumerate(case.medications) if m.name in NAMES),
        key=lambda im: im[1].start_date,
    )
    out: dict[int, date] = {}
    for k, (i, med) in enumerate(entries):
        out[i] = med.start_date
        for j, prev in entries[:k]:
            if prev.stop_date is not None and continues_cycles(day_number(prev.stop_date), day_number(med.start_date)):
                out[i] = out[j]
    return out


def _action(med: Medication, dose: Dose) -> str:
    return f"{DOSE_TEXT[med.name]}: cycle {dose.cycle}, dose {dose.dose} of {dose.doses_in_cycle}"


def medication_plans(case: Case, start: date, until: date) -> list[MedicationPlan]:
    """One entry per edaravone medication in the case; current ones carry their dosing calendar."""
    plans = []
    for i, anchor in anchors(case).items():
        med = case.medications[i]
        current = med.stop_date is None
        schedule = [
            ScheduleItem(date=d.date, action=_action(med, d))
            for d in dosing_days(anchor, until)
            if current and d.date >= start
        ]
        notes = ["Not authorised in the EU (EMA, 2024)."]
        if anchor != med.start_date:
            notes.append(f"Cycles counted from {anchor}, the start of the previous edaravone entry (route switch).")
        notes.append("The calendar assumes uninterrupted 28-day cycles from the anchor date.")
        plans.append(
            MedicationPlan(
                name=med.name,
                label=LABEL[med.name],
                status="current" if current else "stopped",
                start_date=med.start_date,
                stop_date=med.stop_date,
                schedule=schedule,
                instructions=INSTRUCTIONS[med.name],
                watch_for=WATCH_FOR[med.name],
                notes=notes,
                source=SOURCE[med.name],
            )
        )
    return plans
