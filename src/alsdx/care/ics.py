"""iCalendar (RFC 5545) export of a care plan, written with the ``icalendar`` library.

One all-day VEVENT (``DTSTART;VALUE=DATE``, exclusive ``DTEND`` the next day, ``TRANSP:TRANSPARENT``)
per dose, monitoring check and follow-up review. UIDs are stable across exports of the same plan —
``<case id>.<medication or followup>.<dose|check|review>.<YYYYMMDD>@alsdx`` (a numeric suffix only if
two items of one series share a date) — so a re-import updates events instead of duplicating them.
DTSTAMP is the export time in UTC unless given.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar

from alsdx.care.models import Plan
from alsdx.care.plan import DISCLAIMER

PRODID = "-//alsdx//ALS care plan//EN"


def _event(uid: str, when: date, summary: str, description: str, stamp: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", when)
    event.add("dtend", when + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def to_ics(plan: Plan, dtstamp: datetime | None = None) -> bytes:
    """The plan's calendar as iCalendar bytes (UTF-8, CRLF line endings)."""
    stamp = (dtstamp or datetime.now(UTC)).astimezone(UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"alsdx care plan {plan.case_id}")
    used: set[str] = set()

    def uid(series: str, kind: str, when: date) -> str:
        base = f"{plan.case_id}.{series}.{kind}.{when:%Y%m%d}"
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        return f"{candidate}@alsdx"

    for med in plan.medications:
        about = "\n".join([*med.instructions, f"Source: {med.source}", DISCLAIMER])
        for item in med.schedule:
            cal.add_component(_event(uid(med.name, "dose", item.date), item.date, item.action, about, stamp))
        for check in med.monitoring:
            text = f"{med.label}: {check.test}"
            cal.add_component(_event(uid(med.name, "check", check.date), check.date, text, about, stamp))
    for review in plan.follow_up:
        cal.add_component(_event(uid("followup", "review", review.date), review.date, review.action, DISCLAIMER, stamp))
    return cal.to_ical()
