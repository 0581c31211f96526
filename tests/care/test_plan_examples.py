"""The shipped example cases' plans, asserted to the day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from alsdx.care import RespiratoryInputs, build_plan
from alsdx.model.load import load_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"


def test_bulbar_onset_plan() -> None:
    plan = build_plan(load_case(EXAMPLES / "bulbar-onset.yaml"))
    assert (plan.case_id, plan.assessment_date, plan.horizon_end) == (
        "example-bulbar-onset",
        date(2026, 1, 20),
        date(2027, 1, 20),
    )
    assert [r.discipline for r in plan.referrals] == [
        "neurology_mdt",
        "speech_language_therapy",
        "pulmonology",
        "nutrition_gastroenterology",
        "physiotherapy",
        "occupational_therapy",
        "mobility_wheelchair_services",
        "palliative_care",
        "psychology_cognitive",
    ]
    assert plan.referrals[2].triggers == ["pulm_alsfrs_respiratory"]  # dyspnoea 3/4; FVC needs course
    (riluzole,) = plan.medications
    assert (riluzole.status, riluzole.start_date) == ("current", date(2025, 5, 10))
    # ALT above ULN on 2025-12-01: monthly checks from that result (EU SmPC 4.4 "more frequently"); the
    # 2026-01-01 check was missed, so one is due on the assessment date, then the 1st of each month.
    monthly = "ALT (serum transaminases), riluzole monthly (ALT above ULN on 2025-12-01) check"
    assert [(m.date, m.test) for m in riluzole.monitoring] == [
        (
            date(2026, 1, 20),
            "ALT (serum transaminases), riluzole monthly (ALT above ULN on 2025-12-01; due since 2026-01-01) check",
        ),
        *[(date(2026, month, 1), monthly) for month in range(2, 13)],
        (date(2027, 1, 1), monthly),
    ]
    # ALT 58 / ULN 40 on 2025-12-01 = 1.45 x ULN: raised, below the stop threshold; month 6 (2025-11-10) met.
    assert [(a.id, a.severity) for a in plan.alerts] == [("riluzole_alt_above_uln", "warning")]
    assert "1.45 x ULN" in plan.alerts[0].message
    assert [s.id for s in plan.symptomatic] == ["pseudobulbar_affect", "sialorrhoea", "cramps", "gastrostomy"]
    assert [f.date for f in plan.follow_up] == [
        date(2026, 4, 20),
        date(2026, 7, 20),
        date(2026, 10, 20),
        date(2027, 1, 20),
    ]
    assert [(d.date, d.item.split(":")[0]) for d in plan.next_due] == [
        (date(2026, 1, 20), "Riluzole"),
        (date(2026, 4, 20), "Multidisciplinary clinic review"),
    ]


def test_bulbar_onset_plan_with_course_outputs() -> None:
    course = RespiratoryInputs(
        fvc_percent=71,
        fvc_date=date(2026, 1, 20),
        fvc_slope_per_month=-2.4,
        niv_indicated=False,
        peg_risk="low",
    )
    plan = build_plan(load_case(EXAMPLES / "bulbar-onset.yaml"), course)
    pulm = next(r for r in plan.referrals if r.discipline == "pulmonology")
    assert pulm.triggers == ["pulm_fvc_below_80", "pulm_fvc_falling", "pulm_alsfrs_respiratory"]
    gastrostomy = next(s for s in plan.symptomatic if s.id == "gastrostomy")
    assert "Procedural risk from FVC 71 %: low" in gastrostomy.options[1]
    assert "niv" not in {s.id for s in plan.symptomatic}
    assert not any("not supplied" in n for n in plan.notes)


def test_limb_onset_plan() -> None:
    plan = build_plan(load_case(EXAMPLES / "limb-onset-emg.yaml"))
    assert [r.discipline for r in plan.referrals] == [
        "neurology_mdt",
        "physiotherapy",
        "occupational_therapy",
        "palliative_care",
    ]
    assert [(m.name, m.status) for m in plan.medications] == [("riluzole", "to_be_considered")]
    assert plan.alerts == []
    assert [s.id for s in plan.symptomatic] == ["cramps", "spasticity"]
    assert plan.next_due[0].date == date(2026, 6, 2)  # assessment 2026-03-02 + 3 months


def test_lmn_conduction_block_plan() -> None:
    plan = build_plan(load_case(EXAMPLES / "lmn-conduction-block.yaml"))
    assert [r.discipline for r in plan.referrals] == [
        "neurology_mdt",
        "physiotherapy",
        "occupational_therapy",
        "mobility_wheelchair_services",
        "palliative_care",
    ]
    assert plan.alerts == []
    assert [s.id for s in plan.symptomatic] == ["cramps"]
