"""Which results rest on a date given only as a month or a year (docs/case-format.md, "Dates")."""

from __future__ import annotations

from typing import Final

from alsdx.engine.results import PlsResult
from alsdx.model.case import Case

APPROXIMATE_WITH: Final = {
    # Which results are counted from which partial date (docs/case-format.md, "Dates").
    "symptom_onset": (
        "course: ΔFS and every rate or window counted from symptom onset",
        "course.prognosis: ENCALS (diagnostic delay, projected dates)",
        "pls: the 2- and 4-year anniversaries of onset",
    ),
    "diagnosis_date": ("course.prognosis: ENCALS (diagnostic delay and the windows around diagnosis)",),
    "birth_date": ("age at onset (ENCALS, age-dependent mimic rules)",),
}


def approximate_results(case: Case) -> list[str]:
    """The results that rest on a date given as a month or a year, each named once."""
    out: list[str] = []
    for name in case.approximate_dates:
        out += [item for item in APPROXIMATE_WITH[name] if item not in out]
    return out


def approximate_anniversaries(pls: PlsResult, case: Case) -> PlsResult:
    """The PLS re-examination caveat names the anniversaries by month when symptom onset was given as a month."""
    if not (pls.caveat and "symptom_onset" in case.approximate_dates):
        return pls
    months = " and ".join(d.isoformat()[:7] for d in pls.re_examine_on)
    return pls.model_copy(
        update={
            "caveat": pls.caveat.rsplit(":", 1)[0] + f": {months} (symptom onset was "
            "given as a month, so the anniversaries are approximate)."
        }
    )
