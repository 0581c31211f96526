"""The patient page's "Clinical trials" panel: the service's trial list (``app.state.trials``) screened against the
latest visit with its stored assessment (never assessed again), worded by ``alsdx.trials.wording``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from alsdx.engine.results import Assessment
from alsdx.model.load import case_from_dict
from alsdx.trials.model import Trial
from alsdx.trials.screen import screen_cases
from alsdx.trials.wording import TrialWords, trial_words


@dataclass(frozen=True)
class TrialsPanel:
    configured: int
    """How many trials the service screens against (0: none configured)."""
    open: list[TrialWords]
    """May be eligible, then undetermined, in the list's order."""
    closed: list[TrialWords]
    """Not eligible on recorded data."""


def trials_panel(
    trials: Sequence[Trial], case_doc: dict[str, Any] | None, result: dict[str, Any] | None
) -> TrialsPanel:
    """The panel for a stored visit (its case document and stored assessment JSON); empty lists without a visit."""
    if not trials or case_doc is None or result is None:
        return TrialsPanel(len(trials), [], [])
    case, assessment = case_from_dict(case_doc), Assessment.model_validate(result)
    (screening,) = screen_cases([case], trials, [assessment])
    words = [trial_words(t, r, case, assessment) for t, r in zip(trials, screening.trials, strict=True)]
    order = {"eligible": 0, "undetermined": 1}
    shown = sorted((w for w in words if w.status in order), key=lambda w: order[w.status])
    return TrialsPanel(len(trials), shown, [w for w in words if w.status not in order])
