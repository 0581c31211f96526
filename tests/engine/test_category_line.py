"""The category line every door shows: category, flags in plain words, likely mimics, and contract 1's wording."""

from __future__ import annotations

from alsdx.engine.category_line import category_flags, category_text


def _doc(category: str = "not_met", label: str = "criteria not met", **extra: object) -> dict:
    result = {"category": category, "label": label, "flags": ["exclusion_pending", "progression_not_documented"]}
    return {"criteria": {"awaji": result}, "mimics": [], **extra}


def test_flags_in_plain_words_and_a_likely_mimic_by_its_short_name() -> None:
    doc = _doc(
        mimics=[
            {"name": "Kennedy disease (spinal and bulbar muscular atrophy)", "level": "likely"},
            {"name": "Multifocal motor neuropathy", "level": "consider"},
        ]
    )
    assert category_flags(doc, "awaji") == [
        "exclusion pending",
        "progression not documented",
        "mimic likely: Kennedy disease",
    ]


def test_not_met_is_never_bare_when_regions_were_not_examined() -> None:
    assert category_text(_doc(), "awaji") == "criteria not met"  # no completeness: as before
    partial = {"assessable": "partial", "regions_not_examined": ["thoracic", "lumbosacral"]}
    assert category_text(_doc(completeness=partial), "awaji") == (
        "not met on the findings recorded; not examined: thoracic, lumbosacral"
    )
    none = {"assessable": "none", "regions_not_examined": ["bulbar", "cervical", "thoracic", "lumbosacral"]}
    assert category_text(_doc(completeness=none), "awaji") == "cannot be assessed: no examination findings recorded"
    met = _doc("probable", "clinically probable ALS", completeness=partial)
    assert category_text(met, "awaji") == "clinically probable ALS"
