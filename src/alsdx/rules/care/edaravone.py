"""Edaravone, IV (Radicava) and oral (Radicava ORS): the 28-day cycle arithmetic.

Sources:
- RADICAVA (edaravone) injection, US prescribing information (FDA, May 2017): 60 mg IV infusion over
  60 minutes as two consecutive 30 mg bags (~1 mg/min). Initial cycle: daily dosing for 14 days, then
  a 14-day drug-free period; subsequent cycles: daily dosing for 10 days out of 14-day periods, then
  14-day drug-free periods. Warnings: hypersensitivity reactions (stop the infusion at the first
  sign), sulfite allergic reactions (sodium bisulfite; more frequent in asthma). Adverse reactions
  (>= 10 % and more than placebo): contusion 15 % vs 9 %, gait disturbance 13 % vs 9 %, headache
  10 % vs 6 %.
- RADICAVA ORS (edaravone) oral suspension, US prescribing information (FDA, 12 May 2022): 105 mg
  (5 mL) by mouth or feeding tube in the morning after an overnight fast, then only water for 1 hour;
  same cycles as IV (60 mg IV corresponds to 105 mg ORS). Before a dose: 8 hours after a high-fat meal,
  4 hours after a low-fat meal, 2 hours after a caloric supplement (~250 kcal). Fatigue is an added
  adverse reaction.
Edaravone is not authorised in the EU (EMA, 2024).

alsdx's decisions:
- Cycles are 28 days, counted from the anchor date without interruption: cycle k starts on
  anchor + 28 x (k - 1) days. The anchor is the entry's start date, or, when another edaravone entry
  stopped at most 28 days before this one started (an IV <-> oral switch, which the label makes at the
  same dosing frequency), that entry's anchor: the cycle count continues across the switch.
- "10 of the first 14 days" is not specified further by the label. The calendar places the 10 doses
  on days 1-10 and marks them "10 of days 1-14, schedule per prescriber".
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IV = "edaravone_iv"
ORAL = "edaravone_oral"
NAMES = (IV, ORAL)
CYCLE_DAYS = 28
FIRST_CYCLE_DOSES = 14
LATER_CYCLE_DOSES = 10
SWITCH_GAP_DAYS = 28
SOURCE = {
    IV: "RADICAVA (edaravone) injection, US prescribing information (FDA 2017)",
    ORAL: "RADICAVA ORS (edaravone) oral suspension, US prescribing information (FDA 2022)",
}


def continues_cycles(previous_stop: npt.ArrayLike, start: npt.ArrayLike) -> np.ndarray:
    """An entry starting ``start`` continues the cycle count of one stopped on ``previous_stop`` (day numbers):
    it started 0 to ``SWITCH_GAP_DAYS`` days after that stop."""
    gap = np.asarray(start) - np.asarray(previous_stop)
    return (gap >= 0) & (gap <= SWITCH_GAP_DAYS)


def cycle_at(anchor: npt.ArrayLike, day: npt.ArrayLike) -> np.ndarray:
    """The cycle (1-based) that ``day`` falls in, counted from ``anchor`` (day numbers, ``day`` >= ``anchor``)."""
    return (np.asarray(day) - np.asarray(anchor)) // CYCLE_DAYS + 1


def cycle_start(anchor: npt.ArrayLike, cycle: npt.ArrayLike) -> np.ndarray:
    """First day of ``cycle`` (1-based): anchor + 28 x (cycle - 1) days."""
    return np.asarray(anchor) + CYCLE_DAYS * (np.asarray(cycle) - 1)


def doses_in(cycle: npt.ArrayLike) -> np.ndarray:
    """Doses in ``cycle``: 14 in cycle 1, 10 in every later one (placed on days 1-10)."""
    return np.where(np.asarray(cycle) == 1, FIRST_CYCLE_DOSES, LATER_CYCLE_DOSES)
