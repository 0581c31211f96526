"""What the recorded findings cover ("unknown is not absent"): regions not examined, EMG not studied.

One definition for every door: ``assess`` (a case at a time) and the cohort runner (arrays of rows) both
call ``assessable_codes``, and every door words an incomplete "not met" with ``not_met_text``.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from alsdx.engine.results import Completeness, MissingInput
from alsdx.model.case import Case
from alsdx.model.vocab import REGIONS

ASSESSABLE: Final = ("complete", "partial", "none")
"""complete: all four regions examined; none: no region examined and no EMG muscle; else partial. EMG is
reported beside it (``emg_regions_not_studied``) but does not lower it: no criteria set requires EMG."""

NOT_EXAMINED_REASON: Final = "region not examined (omitted or null in exam)"
NO_EMG_REASON: Final = "no needle EMG muscle recorded"


def assessable_codes(examined: np.ndarray, studied: np.ndarray) -> np.ndarray:
    """Per row, the index into ``ASSESSABLE`` from (n, 4) booleans: region examined, region with an EMG muscle."""
    out = np.full(len(examined), ASSESSABLE.index("partial"), dtype=np.int8)
    out[examined.all(axis=1)] = ASSESSABLE.index("complete")
    out[~examined.any(axis=1) & ~studied.any(axis=1)] = ASSESSABLE.index("none")
    return out


def case_completeness(case: Case) -> Completeness:
    examined = np.array([[case.exam.region(r).examined for r in REGIONS]])
    studied = np.array([[any(m.region == r for m in case.emg) for r in REGIONS]])
    not_examined = [r for j, r in enumerate(REGIONS) if not examined[0, j]]
    not_studied = [r for j, r in enumerate(REGIONS) if not studied[0, j]]
    missing = [MissingInput(input=f"exam.{r}", reason=NOT_EXAMINED_REASON) for r in not_examined]
    if not case.emg:
        missing.append(MissingInput(input="emg", reason=NO_EMG_REASON))
    else:
        missing += [MissingInput(input=f"emg ({r})", reason=f"no {r} muscle studied") for r in not_studied]
    return Completeness(
        regions_not_examined=not_examined,
        emg_regions_not_studied=not_studied,
        assessable=ASSESSABLE[int(assessable_codes(examined, studied)[0])],
        missing=missing,
    )


def not_met_text(completeness: Completeness) -> str | None:
    """How a door words "not met" when the findings are incomplete; None when every region was examined."""
    if completeness.assessable == "none":
        return "cannot be assessed: no examination findings recorded"
    if completeness.assessable == "partial":
        return f"not met on the findings recorded; not examined: {_join(completeness.regions_not_examined)}"
    return None


def not_examined_sentences(completeness: Completeness, not_met: bool) -> list[str]:
    """The explanation's sentence naming what was not examined (every set, whatever its category)."""
    if completeness.assessable == "none":
        return [
            "No examination findings and no EMG are recorded, so the criteria cannot be assessed; "
            "record the findings of each region examined (an examined region without signs as {})."
        ]
    if not completeness.regions_not_examined:
        return []
    regions = _join(completeness.regions_not_examined)
    if not_met:
        return [
            f"Not met on the findings recorded: {regions} not examined (omitted or null in the case); "
            "findings there could change the category."
        ]
    return [f"Computed from the regions examined; {regions} not examined (omitted or null in the case)."]


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
