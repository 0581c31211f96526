"""A case written with any accepted synonym, abbreviation or spelling gives exactly the assessment of its
canonical form (issue 14, "one clinical vocabulary"): through the case model and through the cohort."""

from __future__ import annotations

import copy
from typing import Any

from cohort_strategies import case_document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alsdx.cohort.batch import assess_batch
from alsdx.cohort.flatten import case_row, rows_to_batch
from alsdx.engine.assess import assess_many
from alsdx.model import vocabulary
from alsdx.model.case import Case
from alsdx.model.muscles import muscle_table


def _spelled(draw: st.DrawFn, text: str) -> str:
    """The same words as a clinic might type them: any capitalisation, '_', '-' or ' ' between words."""
    words = text.replace("_", " ").split()
    joiner = draw(st.sampled_from([" ", "_", "-", "  "]))
    case = draw(st.sampled_from([str.lower, str.upper, str.title, lambda w: w]))
    return joiner.join(case(w) for w in words)


def _reverse(forms: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    return {code: [code, *also] for code, also in forms.items()}


SIGNS = _reverse(vocabulary.SIGN_SYNONYMS)
SYMPTOMS = _reverse(vocabulary.SYMPTOM_SYNONYMS)
SIDES = _reverse(vocabulary.SIDES)
SEXES = _reverse(vocabulary.SEXES)
NERVES = {n.name: [n.name, *n.also] for n in vocabulary.NERVES}
MUSCLES: dict[str, list[str]] = {}
for written, name in vocabulary.muscle_forms().items():
    MUSCLES.setdefault(name, []).append(written)


def _written(draw: st.DrawFn, code: Any, forms: dict[str, list[str]]) -> Any:
    if not isinstance(code, str) or code not in forms:
        return code
    return _spelled(draw, draw(st.sampled_from(forms[code])))


def _roots(draw: st.DrawFn, roots: list[str]) -> Any:
    style = draw(st.sampled_from(["list", "comma", "slash", "lower", "dorsal"]))
    if style == "list":
        return roots
    if style == "comma":
        return ", ".join(roots)
    if style == "slash":
        return "/".join(roots)
    if style == "lower":
        return " ".join(r.lower() for r in roots)
    return [f"Th{r[1:]}" if r.startswith("T") else r for r in roots]


def _emg(draw: st.DrawFn, m: dict[str, Any]) -> dict[str, Any]:
    out = dict(m)
    out["side"] = _written(draw, m["side"], SIDES)
    table = muscle_table().get(m["muscle"])
    roots = m.get("roots")
    if table is not None and not table.roots and roots and len(roots) == 1 and roots[0] != "T1" and draw(st.booleans()):
        out["muscle"] = f"{roots[0]} {draw(st.sampled_from(['paraspinal', 'paraspinals']))}"  # "T10 paraspinal"
        del out["roots"]
        return out
    out["muscle"] = _written(draw, m["muscle"], MUSCLES)
    if roots:
        out["roots"] = _roots(draw, roots)
    elif table is not None and table.roots and draw(st.booleans()):  # a subset of the table's roots
        out["roots"] = _roots(draw, draw(st.lists(st.sampled_from(table.roots), min_size=1, unique=True)))
    if m.get("nerve"):
        out["nerve"] = _written(draw, m["nerve"], NERVES)
    elif table is not None and draw(st.booleans()):
        out["nerve"] = _spelled(draw, draw(st.sampled_from(NERVES[table.nerve]))) + draw(
            st.sampled_from(["", " nerve"])
        )
    return out


@st.composite
def canonical_and_written(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    canonical = draw(case_document())
    written = copy.deepcopy(canonical)
    if "sex" in written:
        written["sex"] = _written(draw, written["sex"], SEXES)
    exam = written.get("exam") or {}
    for region in ("bulbar", "cervical", "thoracic", "lumbosacral"):
        signs = exam.get(region)
        if isinstance(signs, dict):
            for kind in ("umn", "lmn"):
                signs[kind] = [_written(draw, s, SIGNS) for s in signs.get(kind) or []]
    if exam.get("bulbar_symptoms"):
        exam["bulbar_symptoms"] = [_written(draw, s, SYMPTOMS) for s in exam["bulbar_symptoms"]]
    written["emg"] = [_emg(draw, m) for m in written.get("emg") or []]
    return canonical, written


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(canonical_and_written())
def test_any_accepted_synonym_gives_the_same_assessment(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    canonical, written = (Case.model_validate(d) for d in pair)
    assert written.model_dump() == canonical.model_dump()  # the same case, as the engine sees it
    a, b = assess_many([canonical, written])
    assert a.model_dump(exclude={"read_as"}) == b.model_dump(exclude={"read_as"})
    assert a.read_as == []  # nothing to echo when the canonical form was written


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(canonical_and_written(), min_size=1, max_size=4))
def test_the_cohort_reads_emg_synonyms_as_the_case_model_does(
    pairs: list[tuple[dict[str, Any], dict[str, Any]]],
) -> None:
    canonical = [case_row(Case.model_validate(c)) for c, _ in pairs]
    written = []
    for row, (_, doc) in zip(canonical, pairs, strict=True):
        emg = [
            {**m, "roots": [m["roots"]] if isinstance(m.get("roots"), str) else m.get("roots")} for m in doc["emg"]
        ]  # the flat layout's roots is a list; an element may be "C8, T1"
        written.append({**row, "emg": emg, "sex": doc.get("sex", row["sex"])})
    expected = assess_batch(rows_to_batch(canonical))
    got = assess_batch(rows_to_batch(written))
    assert got.column("invalid_reason").to_pylist() == [None] * len(pairs)
    assert got.equals(expected)
