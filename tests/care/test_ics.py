"""iCalendar export: parsed back with icalendar; all-day DATE values, stable UIDs, DTSTAMP, PRODID."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import icalendar
from care_cases import care_make_case  # noqa: F401  (the make_case fixture)

from alsdx.care import build_plan
from alsdx.care.ics import PRODID, to_ics
from alsdx.model.case import Case

MakeCase = Callable[..., Case]
STAMP = datetime(2026, 1, 20, 9, 30, tzinfo=UTC)


def plan_case(make_case: MakeCase) -> Case:
    return make_case(
        genetics={"variants": [{"gene": "SOD1", "classification": "pathogenic"}]},
        medications=[
            {"name": "riluzole", "start_date": "2025-12-31"},
            {"name": "edaravone_oral", "start_date": "2026-01-01"},
            {"name": "tofersen", "start_date": "2026-01-10"},
        ],
    )


def test_round_trip(make_case: MakeCase) -> None:
    plan = build_plan(plan_case(make_case))
    cal = icalendar.Calendar.from_ical(to_ics(plan, dtstamp=STAMP))
    assert str(cal["prodid"]) == PRODID and str(cal["version"]) == "2.0"
    events = list(cal.walk("VEVENT"))
    expected = sum(len(m.schedule) + len(m.monitoring) for m in plan.medications) + len(plan.follow_up)
    assert len(events) == expected > 0
    for ev in events:
        start, end = ev.decoded("dtstart"), ev.decoded("dtend")
        assert type(start) is date and (end - start).days == 1
        assert ev.decoded("dtstamp") == STAMP
        assert str(ev["uid"]).endswith("@alsdx")
    assert len({str(ev["uid"]) for ev in events}) == len(events)
    by_uid = {str(ev["uid"]): ev for ev in events}
    alt = by_uid["care-test.riluzole.check.20260131@alsdx"]
    assert str(alt["summary"]) == "Riluzole: ALT (serum transaminases), riluzole month 1 check"
    dose = by_uid["care-test.tofersen.dose.20260124@alsdx"]
    assert str(dose["summary"]) == "Tofersen 100 mg intrathecal: loading dose 2 of 3"
    assert "care-test.edaravone_oral.dose.20260129@alsdx" in by_uid  # cycle 2, day 1
    assert "care-test.followup.review.20260420@alsdx" in by_uid
    assert "prescribes nothing" in str(alt["description"])


def test_uids_are_stable_across_exports(make_case: MakeCase) -> None:
    plan = build_plan(plan_case(make_case))
    later = datetime(2026, 2, 1, tzinfo=UTC)
    uids = [
        [str(e["uid"]) for e in icalendar.Calendar.from_ical(to_ics(plan, dtstamp=s)).walk("VEVENT")]
        for s in (STAMP, later)
    ]
    assert uids[0] == uids[1]


def test_default_dtstamp_is_utc(make_case: MakeCase) -> None:
    cal = icalendar.Calendar.from_ical(to_ics(build_plan(make_case())))
    stamps = [ev.decoded("dtstamp") for ev in cal.walk("VEVENT")]
    assert stamps and all(s.tzinfo is not None and s.utcoffset().total_seconds() == 0 for s in stamps)
