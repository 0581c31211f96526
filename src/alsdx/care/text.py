"""Compact plain-text rendering of a care plan (CLI ``--format text`` and the assess text output).

Daily dosing runs are folded into date ranges ("2026-02-13..2026-02-22, 10 doses") so a year of
edaravone fits on a few lines; the JSON output keeps every date.
"""

from __future__ import annotations

from datetime import date, timedelta

from alsdx.care.models import MedicationPlan, Plan


def _runs(dates: list[date]) -> list[tuple[date, date, int]]:
    """Consecutive-day runs as (first, last, count)."""
    runs: list[tuple[date, date, int]] = []
    for d in dates:
        if runs and d == runs[-1][1] + timedelta(days=1):
            first, _, n = runs[-1]
            runs[-1] = (first, d, n + 1)
        else:
            runs.append((d, d, 1))
    return runs


def _medication_lines(med: MedicationPlan, max_items: int) -> list[str]:
    since = f" since {med.start_date}" if med.start_date else ""
    until = f", stopped {med.stop_date}" if med.stop_date else ""
    status = med.status.replace("_", " ")
    lines = [f"  - {med.label} ({status}{since}{until})"]
    runs = _runs([s.date for s in med.schedule])
    if runs and all(n == 1 for *_, n in runs):
        shown = ", ".join(f"{s.date} ({s.action.split(': ', 1)[-1]})" for s in med.schedule[:max_items])
        more = f" ... +{len(med.schedule) - max_items} more" if len(med.schedule) > max_items else ""
        lines.append(f"      doses: {shown}{more}")
    elif runs:
        shown = ", ".join(f"{a}..{b} ({n})" for a, b, n in runs[:max_items])
        more = f" ... +{len(runs) - max_items} more runs" if len(runs) > max_items else ""
        lines.append(f"      dosing days: {shown}{more}")
    if med.monitoring:
        shown = ", ".join(f"{m.date} ({m.test.rsplit(', ', 1)[-1]})" for m in med.monitoring[:max_items])
        lines.append(f"      monitoring: {shown}")
    lines += [f"      {note}" for note in med.notes if med.status == "to_be_considered"][:1]
    return lines


def plan_to_text(plan: Plan, max_items: int = 6) -> str:
    out = [f"Care plan, {plan.assessment_date} to {plan.horizon_end} (supports a clinician's decision)"]
    if plan.alerts:
        out.append("  Alerts:")
        out += [f"  - [{a.severity}] {a.id}: {a.message}" for a in plan.alerts]
    out.append("  Referrals to be considered:")
    out += [f"  - {r.label}: {r.reason}" for r in plan.referrals]
    out.append("  Medications:")
    for med in plan.medications:
        out += _medication_lines(med, max_items)
    if plan.symptomatic:
        out.append("  Symptomatic care to be considered:")
        out += [f"  - {s.label} ({s.finding}): {' '.join(s.options)}" for s in plan.symptomatic]
    if plan.next_due:
        out.append("  Next due:")
        out += [f"  - {d.date}: {d.item}" for d in plan.next_due]
    out += [f"  Note: {n}" for n in plan.notes[1:]]
    return "\n".join(out)
