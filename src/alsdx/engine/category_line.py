"""The category line of one criteria set as every door shows it: the category, then its flags.

One definition for the terminal (``alsdx.terminal.render``) and the web page (``_assessment.html``), read from the
assessment's JSON form (the web page holds the stored JSON, the terminal dumps its model once). The flags a
clinician must see beside the category, not a page later: the set's own flags (exclusion pending,
progression not documented or absent) and any mimic rated "likely" (a mimic never changes a category; it
is shown beside it). Where the case records what was not examined (contract 1, ``completeness``), a set
that is not met says so: "not met on the findings recorded", or "cannot be assessed".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FLAG_TEXT = {
    "exclusion_pending": "exclusion pending",
    "progression_not_documented": "progression not documented",
    "progression_absent": "not progressive",
}


def category_text(a: Mapping[str, Any], name: str) -> str:
    """The category label; a set not met while regions were not examined is never a bare "not met"."""
    result = a["criteria"][name]
    completeness = a.get("completeness") or {}
    assessable = completeness.get("assessable", "complete")
    if result["category"] != "not_met" or assessable == "complete":
        return str(result["label"])
    if assessable == "none":
        return "cannot be assessed: no examination findings recorded"
    missing = completeness.get("regions_not_examined") or []
    return "not met on the findings recorded" + (f"; not examined: {', '.join(missing)}" if missing else "")


def likely_mimics(a: Mapping[str, Any]) -> list[str]:
    """Short names of the mimics rated likely ("Kennedy disease (spinal and ...)" -> "Kennedy disease")."""
    return [str(m["name"]).split(" (")[0].split(" / ")[0] for m in a.get("mimics") or [] if m.get("level") == "likely"]


def category_flags(a: Mapping[str, Any], name: str) -> list[str]:
    """Flags shown on the category line, in plain words."""
    out = [FLAG_TEXT.get(f, f.replace("_", " ")) for f in a["criteria"][name]["flags"]]
    likely = likely_mimics(a)
    if likely:
        out.append(f"mimic likely: {', '.join(likely)}")
    return out
