"""Riluzole: lab alerts and the ALT monitoring calendar (docs/ruleset.md Decision 19).

Sources:
- EU SmPC, Rilutek 50 mg film-coated tablets (EMA; 2021 revision), sections 4.3-4.4: contraindicated
  in hepatic disease or baseline transaminases > 3 x ULN, pregnancy, breast-feeding; "ALT should be
  measured every month during the first 3 months of treatment, every 3 months during the remainder of
  the first year, and periodically thereafter", more often when ALT rises; "riluzole should be
  discontinued if the ALT levels increase to 5 times the ULN", rechallenge not recommended; a febrile
  illness prompts a white cell count and riluzole is discontinued in case of neutropenia.
- US prescribing information (Rilutek): monthly hepatic checks for 3 months, then periodically; use
  not recommended with transaminases > 5 x ULN; severe neutropenia (ANC < 500/mm3) reported.
- Miller RG et al., Neurology 2009;73:1218-1226 (AAN part 1): riluzole should be offered (level A).

Decision 19: "on riluzole" = a lab dated on or after start_date and, if stopped, on or before stop_date. Alerts:
- ``riluzole_stop_alt_5x_uln`` when the latest on-riluzole ALT >= 5 x ULN;
- ``riluzole_neutropenia`` when the latest on-riluzole ANC < 1.0 x 10^9/L;
- ``riluzole_baseline_alt_3x_uln`` when the last ALT before start > 3 x ULN (caution; EU
  contraindication). alsdx extends it to a patient not (yet) on riluzole: there the latest ALT is the
  would-be baseline.
ALT checks (Decision 19 with Decision 16 calendar months, each counted from the start date): start,
+1, +2, +3, +6, +9, +12 months, then **every 6 months** — alsdx's choice within the spec's "every
6-12 months" (the SmPC says "periodically"; 6 months matches the 3-monthly clinic rhythm and errs
towards more checks).

alsdx's additions, each documented here:
- ``riluzole_alt_above_uln`` (warning): latest on-riluzole ALT > ULN and < 5 x ULN — the EU SmPC (4.4)
  asks for ALT to be measured more frequently in patients who develop raised ALT, without an interval.
  alsdx then schedules ALT **monthly** from the date of that result (``RAISED_ALT_INTERVAL_MONTHS``): the
  most frequent rhythm the SmPC itself sets (its first 3 months of treatment), replacing the 3- or 6-monthly
  checks until a result at or below ULN is recorded. The prescriber may choose otherwise.
- A scheduled check is done when an ALT result is dated on or after it (a result on the due date counts),
  so the calendar lists only checks still to come.
- ``riluzole_alt_monitoring_overdue`` (warning, current treatment only): a scheduled ALT date lies
  more than ``OVERDUE_GRACE_DAYS`` (14) days before the assessment date and no ALT result is dated on
  or after it. Two weeks lets a booked test and its result reach the record. The start-date (baseline)
  check is met by any ALT on file, including one taken before the start date.
- ``riluzole_alt_uln_missing`` (warning, riluzole listed): an ALT that a rule needs has no ULN, so the
  x ULN thresholds cannot be evaluated.
Riluzole's dosing (50 mg every 12 h) is continuous, so it has no dose calendar; its calendar is the
monitoring series.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np

from alsdx.columns.dates import add_months, months_to_reach

Columns = Mapping[str, np.ndarray]

SOURCE = (
    "EU SmPC Rilutek (EMA, 2021) sections 4.3-4.4; US prescribing information (Rilutek); "
    "Miller RG et al., Neurology 2009;73:1218-1226 (AAN, level A)"
)
ALT_STOP_X_ULN = 5.0
ALT_BASELINE_CAUTION_X_ULN = 3.0
RAISED_ALT_INTERVAL_MONTHS = 1
ANC_NEUTROPENIA_10E9_PER_L = 1.0
OVERDUE_GRACE_DAYS = 14
FIRST_YEAR_MONTHS = (0, 1, 2, 3, 6, 9, 12)
LATER_INTERVAL_MONTHS = 6

ALERT_SEVERITY: dict[str, tuple[str, str]] = {
    # alert id -> (severity, severity once riluzole is recorded as stopped); severities as in alsdx.care.models
    "riluzole_stop_alt_5x_uln": ("critical", "info"),
    "riluzole_alt_above_uln": ("warning", "info"),
    "riluzole_neutropenia": ("critical", "info"),
    "riluzole_baseline_alt_3x_uln": ("warning", "warning"),
    "riluzole_alt_monitoring_overdue": ("warning", "warning"),
    "riluzole_alt_uln_missing": ("warning", "warning"),
}
"""The alerts of ``riluzole_kernel`` (its other output, ``riluzole_to_be_considered``, is not an alert). A stop
threshold reached on a treatment since stopped is context (info), not an action."""
ALERTS = tuple(ALERT_SEVERITY)


def alt_above_baseline_limit(alt: np.ndarray, uln: np.ndarray) -> np.ndarray:
    """EU SmPC 4.3: baseline transaminases "greater than 3 x ULN" contraindicate riluzole (3.0 x ULN does not).

    The one definition of the 3 x ULN boundary: the plan's baseline caution and the order-time check
    (``alsdx.rules.orders.riluzole_alt``) both call it. NaN compares False (unknown never warns)."""
    return np.asarray(alt, dtype=float) > ALT_BASELINE_CAUTION_X_ULN * np.asarray(uln, dtype=float)


def alt_at_stop_level(alt: np.ndarray, uln: np.ndarray) -> np.ndarray:
    """EU SmPC 4.4: discontinue "if the ALT levels increase to 5 times the ULN" (5.0 x ULN included)."""
    return np.asarray(alt, dtype=float) >= ALT_STOP_X_ULN * np.asarray(uln, dtype=float)


def alt_check_months() -> Iterator[int]:
    """Months after the start date at which ALT is checked: 0, 1, 2, 3, 6, 9, 12, 18, 24, ..."""
    yield from FIRST_YEAR_MONTHS
    month = FIRST_YEAR_MONTHS[-1]
    while True:
        month += LATER_INTERVAL_MONTHS
        yield month


def next_check_month(month: np.ndarray) -> np.ndarray:
    """The first month of ``alt_check_months()`` at or after ``month`` (per element; ``month`` >= 0)."""
    month = np.maximum(np.asarray(month, dtype=np.int64), 0)
    first_year = np.array(FIRST_YEAR_MONTHS)
    in_first_year = first_year[np.minimum(np.searchsorted(first_year, month), len(first_year) - 1)]
    last = FIRST_YEAR_MONTHS[-1]
    later = last + LATER_INTERVAL_MONTHS * -(-(month - last) // LATER_INTERVAL_MONTHS)
    return np.where(month <= last, in_first_year, later)


def riluzole_kernel(cols: Columns) -> dict[str, np.ndarray]:
    """Decision 19 alerts plus alsdx's documented additions; thresholds compare without division."""
    alt, uln = cols["alt_on"], cols["alt_uln_on"]
    stop = alt_at_stop_level(alt, uln)
    return {
        "riluzole_stop_alt_5x_uln": stop,
        "riluzole_alt_above_uln": (alt > uln) & ~stop,
        "riluzole_neutropenia": cols["anc_on"] < ANC_NEUTROPENIA_10E9_PER_L,
        "riluzole_baseline_alt_3x_uln": alt_above_baseline_limit(cols["alt_baseline"], cols["alt_uln_baseline"]),
        "riluzole_alt_monitoring_overdue": cols["riluzole_current"]
        & (cols["days_since_unmet_check"] > OVERDUE_GRACE_DAYS),
        "riluzole_alt_uln_missing": cols["riluzole_listed"]
        & ((~np.isnan(alt) & np.isnan(uln)) | (~np.isnan(cols["alt_baseline"]) & np.isnan(cols["alt_uln_baseline"]))),
        "riluzole_to_be_considered": ~cols["riluzole_listed"],
    }


def first_unmet_check(
    start: np.ndarray, assessment: np.ndarray, latest_alt_on: np.ndarray, any_alt: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The earliest scheduled check before the assessment date that no ALT result meets, per row: (exists, month,
    day). Day numbers throughout; ``latest_alt_on`` is the latest on-riluzole ALT's date, or any day before
    ``start`` when there is none.

    The start-date check is met by any ALT on file (``any_alt``); a later check by an on-riluzole ALT dated on or
    after it, so the first unmet later check is the first one after the latest on-riluzole ALT."""
    start_unmet = (start < assessment) & ~any_alt
    later = next_check_month(np.maximum(months_to_reach(start, latest_alt_on + 1), 1))
    later_day = add_months(start, later)
    exists = start_unmet | (later_day < assessment)
    return exists, np.where(start_unmet, 0, later), np.where(start_unmet, start, later_day)


def next_alt_due(
    start: np.ndarray, assessment: np.ndarray, latest_alt_on: np.ndarray, any_alt: np.ndarray, raised: np.ndarray
) -> np.ndarray:
    """The first ALT check on or after the assessment date, per row (day numbers; the caller masks rows not on
    current riluzole). The plan's riluzole ``monitoring`` list starts with it.

    ``latest_alt_on``: the latest on-riluzole ALT's date, or any day before ``start`` when there is none;
    ``any_alt``: some ALT is on file (meets the start-date check); ``raised``: ``riluzole_alt_above_uln``.

    - Raised ALT: monthly from that result; when a monthly check has already passed, one check now (the
      assessment date), else one month after the result.
    - Otherwise the first scheduled check not yet met: a check on the assessment date is met by an on-riluzole
      ALT of that date (at the start date, by any ALT), and checks before the assessment date are not listed.
    """
    month = next_check_month(months_to_reach(start, assessment))
    met_today = (add_months(start, month) == assessment) & np.where(month == 0, any_alt, latest_alt_on == assessment)
    scheduled = add_months(start, np.where(met_today, next_check_month(month + 1), month))
    monthly = add_months(latest_alt_on, RAISED_ALT_INTERVAL_MONTHS)
    return np.where(raised, np.where(monthly < assessment, assessment, monthly), scheduled)
