"""Symptomatic items (AAN 2009 part 2, EFNS 2012, Weiss 2016 / Oskarsson 2018), triggers both sides."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from care_cases import NORMAL_ITEMS, MakeCase, care_make_case  # noqa: F401  (the make_case fixture)

from alsdx.care import RespiratoryInputs, build_plan
from alsdx.care.models import SymptomItem
from alsdx.model.case import Case


def items(case: Case, course: Any = None) -> dict[str, SymptomItem]:
    return {s.id: s for s in build_plan(case, course).symptomatic}


def test_nothing_for_an_empty_case(make_case: MakeCase) -> None:
    assert items(make_case()) == {}


def test_pseudobulbar_affect(make_case: MakeCase) -> None:
    case = make_case(exam={"bulbar": {"umn": ["pseudobulbar_affect"]}})
    assert (
        "Dextromethorphan/quinidine to be considered (AAN 2009, level B)"
        in items(case)["pseudobulbar_affect"].options[0]
    )
    on = make_case(
        exam={"bulbar": {"umn": ["pseudobulbar_affect"]}},
        medications=[{"name": "dextromethorphan_quinidine", "start_date": "2025-10-01"}],
    )
    got = items(on)["pseudobulbar_affect"]
    assert got.options[0].startswith("Review response")
    assert [m.status for m in build_plan(on).medications if m.name == "dextromethorphan_quinidine"] == ["current"]


@pytest.mark.parametrize(("salivation", "fires"), [(4, False), (3, True)])
def test_sialorrhoea_from_salivation_item(make_case: MakeCase, salivation: int, fires: bool) -> None:
    case = make_case(
        alsfrs_r=[{"date": "2026-01-20", "gastrostomy": False, "items": {**NORMAL_ITEMS, "salivation": salivation}}]
    )
    got = items(case).get("sialorrhoea")
    assert (got is not None) is fires
    if got:
        assert got.finding == "ALSFRS-R salivation 3/4"
        assert got.options[0].startswith("An anticholinergic first")
        assert "Botulinum toxin B to be considered if refractory (AAN 2009, level B)" in got.options[1]


def test_cramps_conditional_on_lmn_signs(make_case: MakeCase) -> None:
    got = items(make_case(exam={"cervical": {"lmn": ["fasciculations"]}}))
    assert set(got) == {"cramps"}
    assert "mexiletine to be considered (off-label" in got["cramps"].options[0]
    assert "cramps" not in items(make_case(exam={"cervical": {"umn": ["hyperreflexia"]}}))


@pytest.mark.parametrize("lmn", [[], ["fasciculations"]])
def test_reported_cramps_raise_mexiletine_with_or_without_lmn_signs(make_case: MakeCase, lmn: list[str]) -> None:
    got = items(make_case(exam={"muscle_cramps": True, "cervical": {"lmn": lmn}}))
    assert got["cramps"].finding == "muscle cramps reported"
    assert got["cramps"].options[0].startswith("For troublesome cramps: mexiletine to be considered (off-label")
    case = make_case(exam={"muscle_cramps": True, "cervical": {"lmn": lmn}})
    assert [i.id for i in build_plan(case).symptomatic].count("cramps") == 1  # the reported item only


def test_spasticity(make_case: MakeCase) -> None:
    got = items(make_case(exam={"lumbosacral": {"umn": ["spasticity"]}}))
    assert set(got) == {"spasticity"}
    assert any("Baclofen or tizanidine" in o for o in got["spasticity"].options)
    assert items(make_case(exam={"lumbosacral": {"umn": ["babinski"]}})) == {}


def test_niv_only_from_the_course_trigger(make_case: MakeCase) -> None:
    assert "niv" not in items(make_case(), RespiratoryInputs(fvc_percent=45, niv_indicated=False))
    got = items(make_case(), RespiratoryInputs(fvc_percent=45, niv_indicated=True))
    assert got["niv"].finding == "AAN 2009 NIV trigger reached per the course outputs (latest FVC 45 %)"
    assert "level B" in got["niv"].options[0]


@pytest.mark.parametrize(("fvc", "fires"), [(50.0, False), (49.9, True)])
def test_gastrostomy_from_fvc_below_50(make_case: MakeCase, fvc: float, fires: bool) -> None:
    got = items(make_case(), RespiratoryInputs(fvc_percent=fvc, peg_risk="moderate" if fires else "low"))
    assert ("gastrostomy" in got) is fires
    if fires:
        assert any("Procedural risk from FVC 49.9 %: moderate" in o for o in got["gastrostomy"].options)


@pytest.mark.parametrize(("projected", "fires"), [(date(2026, 7, 22), True), (date(2026, 7, 23), False)])
def test_gastrostomy_from_projected_fvc_50(make_case: MakeCase, projected: date, fires: bool) -> None:
    # assessment 2026-01-20 + 183 days = 2026-07-22
    resp = RespiratoryInputs(fvc_percent=70, fvc_50_projected_date=projected)
    assert ("gastrostomy" in items(make_case(), resp)) is fires


def test_gastrostomy_from_dysphagia_not_when_already_placed(make_case: MakeCase) -> None:
    got = items(make_case(exam={"bulbar_symptoms": ["dysphagia"]}))
    assert got["gastrostomy"].finding == "dysphagia or reduced ALSFRS-R swallowing"
    assert "needs the course FVC outputs" in got["gastrostomy"].options[1]
    placed = make_case(
        exam={"bulbar_symptoms": ["dysphagia"]},
        alsfrs_r=[{"date": "2026-01-20", "gastrostomy": True, "items": {**NORMAL_ITEMS, "swallowing": 1}}],
    )
    assert "gastrostomy" not in items(placed)
