"""Helpers for the per-criteria-set tests (a uniquely named module, not a conftest: the suite imports ``conftest``).

Each test builds a valid case from a few findings and reads one criteria set's result through the public API
(``alsdx.assess``), so the tests do not depend on how the engine is wired inside.
"""

from __future__ import annotations

from typing import Any

from alsdx import assess
from alsdx.rules.criteria.interpretation import Interpretation
from conftest import build_case, muscle

UMN = ["hyperreflexia"]  # a UMN sign valid in every region, for every set (docs/ruleset.md §5)
LMN = ["atrophy", "fasciculations"]  # clinical LMN for the El Escorial family (Decision 3)
WW = ["weakness", "atrophy"]  # clinical LMN for every set, Gold Coast's "weakness and wasting" included

# EMG regions meeting Decision 2 with muscles meeting Decision 1's revised El Escorial rule (fibrillations or
# positive sharp waves with chronic neurogenic change), and so the Awaji / Gold Coast rule as well.
BULBAR_FIB = [muscle("genioglossus", fib=True)]
CERVICAL_FIB = [muscle("biceps_brachii", fib=True), muscle("first_dorsal_interosseous", fib=True)]
LUMBOSACRAL_FIB = [muscle("tibialis_anterior", fib=True), muscle("vastus_lateralis", fib=True)]
# The same regions with fasciculation potentials instead: the Awaji / Gold Coast rule only (Decision 1).
BULBAR_FASC = [muscle("genioglossus", fasc=True)]
CERVICAL_FASC = [muscle("biceps_brachii", fasc=True), muscle("first_dorsal_interosseous", fasc=True)]
LUMBOSACRAL_FASC = [muscle("tibialis_anterior", fasc=True), muscle("vastus_lateralis", fasc=True)]


def criteria_result(criteria_set: str, interpretation: Interpretation | None = None, **findings: Any) -> Any:
    """One set's result (category, flags, explanation, next_evidence, alternatives) for a case built by
    ``conftest.build_case(**findings)``."""
    return getattr(assess(build_case(**findings), interpretation).criteria, criteria_set)


def category(criteria_set: str, interpretation: Interpretation | None = None, **findings: Any) -> str:
    return str(criteria_result(criteria_set, interpretation, **findings).category)
