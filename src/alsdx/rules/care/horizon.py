"""How far ahead a care plan schedules (alsdx's choice, docs/ruleset.md §11)."""

PLAN_HORIZON_MONTHS = 12
"""Schedules list what falls within 12 calendar months after the assessment date: a year of clinic
follow-up, long enough to hold the riluzole month-12 check and 13 edaravone or tofersen cycles."""
