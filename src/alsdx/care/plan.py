"""The dated care plan: referrals, medications with calendars, symptomatic care, alerts, follow-up.

``build_plan(case, course=None)`` is the one entry point. ``course`` is the disease-course output
(``assessment.course``), a :class:`RespiratoryInputs`, or None; see ``course_inputs``.

Schedules cover the assessment date through 12 calendar months after it (``dates.horizon_end``),
inclusive. Follow-up: multidisciplinary clinic review every 3 months (AAN 2009 part 1: clinic visits
every 3 months with weight, swallowing and respiratory checks), counted from the assessment date.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from alsdx.care import edaravone, riluzole, symptomatic, tofersen
from alsdx.care.columns import care_columns
from alsdx.care.course_inputs import respiratory_inputs
from alsdx.care.dates import add_months, horizon_end
from alsdx.care.models import SEVERITY_ORDER, DueItem, MedicationPlan, MonitoringDue, Plan, ScheduleItem
from alsdx.care.monitoring import monitoring_due
from alsdx.care.referrals import referrals
from alsdx.model.case import Case
from alsdx.rules.care.riluzole import riluzole_kernel
from alsdx.rules.care.tofersen import tofersen_kernel

FOLLOW_UP_MONTHS = (3, 6, 9, 12)
FOLLOW_UP_ACTION = "Multidisciplinary clinic review: ALSFRS-R, FVC, weight and swallowing (AAN 2009: every 3 months)"
DISCLAIMER = (
    "This plan supports a clinician's decision; every item is to be considered by the treating team, "
    "per label and local practice. It prescribes nothing."
)


def _next_due(
    medications: list[MedicationPlan], monitoring: list[MonitoringDue], follow_up: list[ScheduleItem]
) -> list[DueItem]:
    due: list[DueItem] = []
    for med in medications:
        if med.schedule:
            first = med.schedule[0]
            due.append(DueItem(date=first.date, item=f"{med.label}: {first.action}"))
        if med.monitoring:
            check = med.monitoring[0]
            due.append(DueItem(date=check.date, item=f"{med.label}: {check.test}"))
    due += [DueItem(date=m.date, item=f"{m.test}: {m.reason}") for m in monitoring]
    if follow_up:
        due.append(DueItem(date=follow_up[0].date, item=follow_up[0].action))
    return sorted(due, key=lambda d: d.date)


def build_plan(case: Case, course: Any = None) -> Plan:
    """The care plan for ``case`` at its assessment date."""
    resp = respiratory_inputs(course)
    start = case.assessment_date
    until = horizon_end(start)

    cols = care_columns(case, resp)
    labs = riluzole.select_labs(case, until)
    ril_fired = riluzole_kernel(riluzole.riluzole_columns(case, labs))
    tof_cols = tofersen.tofersen_columns(case, cols["sod1_plp"])
    tof_plans, tof_alerts = tofersen.plan_and_alerts(case, tofersen_kernel(tof_cols), start, until)

    medications = [
        riluzole.medication_plan(case, labs, ril_fired, start, until),
        *edaravone.medication_plans(case, start, until),
        *tof_plans,
        *symptomatic.dmq_plans(case),
    ]
    alerts = sorted([*riluzole.alerts(case, labs, ril_fired), *tof_alerts], key=lambda a: SEVERITY_ORDER[a.severity])
    monitoring = monitoring_due(cols, start)
    follow_up = [ScheduleItem(date=add_months(start, m), action=FOLLOW_UP_ACTION) for m in FOLLOW_UP_MONTHS]
    notes = [DISCLAIMER]
    if resp is None:
        notes.append(
            "Respiratory triggers (FVC thresholds and slope, NIV, gastrostomy risk band) come from the "
            "disease-course outputs, which were not supplied: they were not evaluated."
        )
    if np.isnan(cols["weight_loss_percent"][0]):  # fewer than two dated weights
        notes.append(
            "Weight loss (a nutrition and gastrostomy trigger, EFNS 2012: > 10 %) needs two dated weights; "
            "it was not evaluated."
        )
    return Plan(
        case_id=case.id,
        assessment_date=start,
        horizon_end=until,
        referrals=referrals(case, cols),
        medications=medications,
        symptomatic=symptomatic.items(case, resp, cols),
        alerts=alerts,
        follow_up=follow_up,
        monitoring=monitoring,
        next_due=_next_due(medications, monitoring, follow_up),
        notes=notes,
    )
