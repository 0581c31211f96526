"""The plain-text screening of one case: per trial the status and the window, then a table of the criteria with
the failing and unknown ones first (what rules the patient out, then what is missing to decide), then those
that pass, then the manual ones for the investigator."""

from __future__ import annotations

from alsdx.trials.model import Trial
from alsdx.trials.screen import CaseScreening, TrialResult
from alsdx.trials.wording import STATUS_WORDS

_ORDER = {"fail": 0, "unknown": 1, "pass": 2, "manual": 3}


def screening_text(result: CaseScreening, trials: dict[str, Trial]) -> str:
    lines = [f"Case {result.id}"]
    for tr in result.trials:
        title = trials[tr.trial].title if tr.trial in trials else tr.trial
        lines += ["", f"  {tr.trial} - {title}", f"  status: {STATUS_WORDS[tr.status]}{_window(tr)}"]
        rows = sorted(tr.criteria, key=lambda c: _ORDER[c.result])
        width = max((len(c.id) for c in rows), default=0)
        for c in rows:
            lines.append(f"    {c.result:<8} {c.id:<{width}}  {c.kind:<9}  {c.reason}")
    return "\n".join(lines)


def _window(tr: TrialResult) -> str:
    if tr.eligible_until is not None:
        return f"; window closes after {tr.eligible_until.isoformat()} (eligible until)"
    if tr.eligible_from is not None:
        return f"; the time criteria are met from {tr.eligible_from.isoformat()} (eligible from)"
    return ""
