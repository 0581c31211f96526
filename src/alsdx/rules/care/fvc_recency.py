"""FVC recency: pulmonary function tests are due when no FVC was recorded in the last 3 calendar months.

Source: Miller RG et al., Practice Parameter update: the care of the patient with ALS (part 1), Neurology
2009;73:1218-1226 (AAN): respiratory function, FVC included, is monitored at the 3-monthly clinic visits.

Rule (docs/ruleset.md §10, "FVC recency"): due when no FVC, in either position, is dated on or after the
assessment date minus ``RECENCY_MONTHS`` calendar months (Decision 16: 31 May - 3 months = 28 or 29 February). An
FVC exactly 3 calendar months before the assessment date is recent; one a day earlier is not. A case with no FVC
at all is due.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from alsdx.columns.dates import add_months

SOURCE = "Miller RG et al., Neurology 2009;73:1218-1226 (AAN practice parameter, part 1)"
RECENCY_MONTHS = 3
ITEM_ID = "fvc_not_recent"
"""The plan item's id (``plan.monitoring[].id``) and the cohort column ``fvc_due``'s rule."""


def fvc_recency_kernel(cols: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """cols: ``assessment_day``, ``fvc_latest_day`` (day numbers; any value where ``fvc_recorded`` is False)."""
    recent = cols["fvc_recorded"] & (cols["fvc_latest_day"] >= add_months(cols["assessment_day"], -RECENCY_MONTHS))
    return {"fvc_due": ~recent}
