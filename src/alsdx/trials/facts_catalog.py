"""The facts a trial criterion may name (issue 19's contract: these names are part of it), each with the kind of
value it holds, so a trial file is checked against them before any patient is screened.

Kinds: ``category`` (one of a closed list of strings), ``number`` (compared with ``min``/``max``/``in``/``equals``),
``time`` (a number that grows with the calendar: ``min``/``max`` only, whole numbers, evaluated by dates),
``boolean`` (``equals``/``in`` with true or false). The values at a case's assessment date are computed in
``alsdx.trials.facts``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from alsdx.model.case import ALSFRS_ITEMS
from alsdx.rules.course.kings import LABELS as KINGS_LABELS
from alsdx.rules.criteria import CATEGORIES as CRITERIA_CATEGORIES
from alsdx.rules.criteria.pls import CATEGORIES as PLS_CATEGORIES
from alsdx.rules.trials import TIME_FACTS

FactKind = Literal["category", "number", "time", "boolean"]


@dataclass(frozen=True)
class Fact:
    name: str
    kind: FactKind
    meaning: str
    values: tuple[str, ...] = ()
    """category: the allowed values, in order (a category's code in the kernel is its index here)."""


def _facts() -> tuple[Fact, ...]:
    out = [
        Fact(name, "category", f"{name} category (docs/ruleset.md)", CRITERIA_CATEGORIES[name])
        for name in ("el_escorial_1994", "revised_el_escorial", "awaji", "gold_coast")
    ]
    out += [
        Fact("pls", "category", "PLS consensus category (Turner 2020, Decision 15)", PLS_CATEGORIES),
        Fact("sex", "category", "sex (unknown = no value)", ("male", "female", "other")),
        Fact("age_years", "time", "completed years at the assessment date; changes on birthdays"),
        Fact("months_since_onset", "time", "calendar months since symptom_onset (Decision 16)"),
        Fact("months_since_diagnosis", "time", "calendar months since diagnosis_date (Decision 16)"),
        Fact("alsfrs_r_total", "number", "latest ALSFRS-R total"),
        Fact("alsfrs_r_bulbar", "number", "latest ALSFRS-R bulbar subscore (items 1-3)"),
        Fact("alsfrs_r_fine_motor", "number", "latest ALSFRS-R fine motor subscore (items 4-6)"),
        Fact("alsfrs_r_gross_motor", "number", "latest ALSFRS-R gross motor subscore (items 7-9)"),
        Fact("alsfrs_r_respiratory", "number", "latest ALSFRS-R respiratory subscore (items 10-12)"),
    ]
    out += [Fact(f"alsfrs_r_{item}", "number", f"latest ALSFRS-R item {item}") for item in ALSFRS_ITEMS]
    out += [
        Fact("delta_fs", "number", "ALSFRS-R points lost per month since onset (course.alsfrs_r.delta_fs)"),
        Fact("alsfrs_r_slope_per_month", "number", "ALSFRS-R slope per month over the visits"),
        Fact("fvc_upright_percent", "number", "latest upright FVC, % predicted"),
        Fact("svc_percent", "number", "latest slow vital capacity, % predicted"),
        Fact("kings_stage", "category", "King's stage of the latest visit", KINGS_LABELS),
        Fact("mitos_stage", "number", "MiToS stage of the latest visit"),
        Fact("gastrostomy", "boolean", "gastrostomy flag of the latest ALSFRS-R visit"),
        Fact("niv", "boolean", "latest ALSFRS-R item 12 (respiratory insufficiency) between 1 and 3"),
        Fact("invasive_ventilation", "boolean", "latest ALSFRS-R item 12 = 0"),
        Fact("riluzole_days", "time", "days on riluzole at the assessment date, 0 when not taking it"),
        Fact("edaravone", "boolean", "edaravone (IV or oral) taken at the assessment date"),
        Fact("tofersen", "boolean", "tofersen taken at the assessment date"),
        Fact("familial", "boolean", "family history with a P/LP variant in a dominant ALS gene (Decision 11)"),
        Fact("sod1_pathogenic", "boolean", "a pathogenic or likely pathogenic SOD1 variant"),
        Fact("c9orf72_expansion", "boolean", "a pathogenic or likely pathogenic C9orf72 repeat expansion"),
        Fact("mimic_likely", "boolean", "any mimic raised at level likely"),
        Fact("exclusion_pending", "boolean", "work-up to exclude other diseases outstanding (Decision 14)"),
    ]
    return tuple(out)


FACTS: Final[dict[str, Fact]] = {f.name: f for f in _facts()}
"""Every fact of the contract, by name, in the order of issue 19."""

FACT_NAMES: Final = tuple(FACTS)
assert {f.name for f in FACTS.values() if f.kind == "time"} == set(TIME_FACTS)
