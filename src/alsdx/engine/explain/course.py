"""Course kernel columns of one case -> :class:`~alsdx.engine.course_results.Course` with its sentences.

Every figure comes from ``alsdx.rules.course`` (via ``pipeline.course_kernel``); this module only turns kernel
columns into the output model and explanation sentences, and never re-derives a decision.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import numpy as np

from alsdx.engine.course_results import (
    AlsfrsSummary,
    Course,
    CurvePoint,
    FitLine,
    FvcPoint,
    FvcSummary,
    Gastrostomy,
    Niv,
    Prognosis,
    Sentence,
    Subscores,
    Visit,
)
from alsdx.model.case import ALSFRS_ITEMS, Case
from alsdx.rules.course import alsfrs_r, fvc, kings, mitos, prognosis
from alsdx.rules.course.months import DAYS_PER_MONTH
from alsdx.rules.course.pipeline import CourseKernelOutput

POLICY_SOURCE = "alsdx course policy (docs/course.md)"
CURVE_MONTHS = tuple(range(0, 121, 3))
"""Months from onset at which the ENCALS survival curve is tabulated for reports and plots."""


def _f(x: float, digits: int = 4) -> float | None:
    return None if not np.isfinite(x) else round(float(x), digits)


def _i(x: float) -> int | None:
    return None if not np.isfinite(x) else int(x)


def _day(x: float) -> date:
    return date.fromordinal(round(x))


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def _months_after(onset: int, months: float | None) -> date | None:
    return None if months is None else _day(onset + months * DAYS_PER_MONTH)


def _num(x: float, digits: int = 1) -> str:
    text = f"{x:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class CourseExplainer:
    """Kernel columns of a batch of one -> output model and sentences."""

    def __init__(self, case: Case, out: CourseKernelOutput) -> None:
        self.case = case
        self.v = out.visits
        self.p = {k: a[0] for k, a in out.patients.items()}
        self.sentences: list[Sentence] = []
        self.flags: list[str] = []

    def say(self, text: str, source: str) -> None:
        self.sentences.append(Sentence(text=text, source=source))

    def course(self) -> Course:
        summary = self.alsfrs()
        band = self.band()
        kings_stage = self.kings()
        mitos_stage = self.mitos()
        fvc_summary = self.fvc()
        niv = self.niv(fvc_summary)
        gastrostomy = self.gastrostomy(fvc_summary)
        prog, unavailable = self.prognosis()
        return Course(
            alsfrs_r=summary,
            kings_stage=kings_stage,
            mitos_stage=mitos_stage,
            progression_band=band,
            fvc=fvc_summary,
            niv=niv,
            gastrostomy=gastrostomy,
            prognosis=prog,
            prognosis_unavailable=unavailable,
            flags=self.flags,
            history=self.history(),
            fvc_history=[
                FvcPoint(date=m.date, percent_predicted=m.percent_predicted, position=m.position)
                for m in sorted(self.case.fvc, key=lambda m: m.date)
            ],
            alsfrs_fit=self.fit_line(
                "alsfrs_slope_per_month",
                "alsfrs_fit_mean_month",
                "alsfrs_fit_mean_total",
                self.v["alsfrs_day"],
            ),
            explanation=self.sentences,
        )

    # ALSFRS-R -------------------------------------------------------------------------------------
    @staticmethod
    def _subscores(get: dict[str, float]) -> Subscores:
        return Subscores(**{d: _i(get[f"alsfrs_{d}"]) for d in alsfrs_r.DOMAINS})

    def _missing(self, values: dict[str, float]) -> list[str]:
        return [i for i in ALSFRS_ITEMS if not np.isfinite(values[f"alsfrs_{i}"])]

    def alsfrs(self) -> AlsfrsSummary | None:
        p = self.p
        if not p["has_alsfrs"]:
            self.say("No ALSFRS-R recorded: no total, progression rate or stage.", alsfrs_r.SOURCE)
            return None
        subs = self._subscores(p)
        missing = self._missing(p)
        when = _day(p["alsfrs_day"])
        scale = "5b (gastrostomy)" if p["alsfrs_item5_scale_5b"] else "5a (no gastrostomy)"
        self.say(
            f"ALSFRS-R on {when}: {_num(p['alsfrs_total'])}/48 (bulbar {_show(subs.bulbar)}/12, fine motor "
            f"{_show(subs.fine_motor)}/12, gross motor {_show(subs.gross_motor)}/12, respiratory "
            f"{_show(subs.respiratory)}/12); item 5 scored on {scale}.",
            f"{alsfrs_r.SOURCE}; {alsfrs_r.SOURCE_DOMAINS}",
        )
        if p["alsfrs_prorated"]:
            self.flags.append("alsfrs_r_prorated")
            self.say(
                f"Total prorated on request: {', '.join(missing)} not answered; total = mean of the 11 "
                "answered items x 12; the domain holding the missing item has no subscore.",
                POLICY_SOURCE,
            )
        rate = _f(p["alsfrs_delta_fs"])
        months = float(p["alsfrs_months_from_onset"])
        if rate is None:
            self.flags.append("delta_fs_zero_duration")
            self.say(
                f"ΔFS not computed: the ALSFRS-R visit ({when}) is not after symptom onset "
                f"({self.case.date_as_written('symptom_onset')}), so the months from onset are {_num(months, 2)}.",
                alsfrs_r.SOURCE_RATE,
            )
        else:
            self.say(
                f"ΔFS = (48 − {_num(p['alsfrs_total'])}) / {_num(months, 1)} months from symptom onset = "
                f"{rate:.2f} points/month.",
                alsfrs_r.SOURCE_RATE,
            )
        slope = _f(p["alsfrs_slope_per_month"])
        n_visits = int(p["alsfrs_n_scored_visits"])
        if slope is not None:
            self.say(
                f"ALSFRS-R slope over {n_visits} visits (least squares): {slope:+.2f} points/month.",
                POLICY_SOURCE,
            )
        return AlsfrsSummary(
            date=when,
            total=round(float(p["alsfrs_total"]), 4),
            subscores=subs,
            delta_fs=rate,
            slope_per_month=slope,
            months_from_onset=round(months, 4),
            prorated=bool(p["alsfrs_prorated"]),
            missing_items=missing,
            scored_visits=n_visits,
        )

    def band(self) -> Literal["slow", "intermediate", "fast"] | None:
        code = int(self.p["progression_band"])
        if code < 0:
            return None
        band = alsfrs_r.BANDS[code]
        self.say(
            f"Progression band {band} (ΔFS {self.p['alsfrs_delta_fs']:.2f}; slow < 0.5, "
            "intermediate 0.5–1.0, fast > 1.0 points/month).",
            f"{alsfrs_r.SOURCE_RATE}; docs/ruleset.md §7",
        )
        return band  # type: ignore[return-value]

    def kings(self) -> str | None:
        p = self.p
        if not p["has_alsfrs"]:
            return None
        label = kings.LABELS[int(p["kings_stage"])]
        regions = [
            name
            for name, key in (
                ("bulbar", "kings_bulbar"),
                ("upper limb", "kings_upper_limb"),
                ("lower limb", "kings_lower_limb"),
            )
            if p[key]
        ]
        parts = [f"regions with an abnormal item: {', '.join(regions) if regions else 'none'}"]
        if p["kings_4a"]:
            parts.append("4A: gastrostomy (item 5 on scale 5b)")
        if p["kings_4b"]:
            parts.append("4B: dyspnea item 0 or respiratory insufficiency item < 4 (NIV)")
        self.say(f"King's stage {label} estimated from the ALSFRS-R ({'; '.join(parts)}).", kings.SOURCE)
        if p["kings_no_region_item_abnormal"] and not (p["kings_4a"] or p["kings_4b"]):
            self.say(
                "No Balendra region item is abnormal in a symptomatic patient: reported as stage 1.",
                "alsdx ruleset Decision 18 (docs/ruleset.md)",
            )
        if p["kings_lower_bound"]:
            self.flags.append("kings_stage_lower_bound")
            self.say("An item the King's estimate reads is missing: the stage is a lower bound.", POLICY_SOURCE)
        return label

    def mitos(self) -> int | None:
        p = self.p
        if not p["has_alsfrs"]:
            return None
        stage = int(p["mitos_stage"])
        lost = [d for d in mitos.DOMAINS if p[f"mitos_{d}_lost"]]
        detail = f"domains lost: {', '.join(lost)}" if lost else "functional involvement, no domain lost"
        self.say(f"MiToS stage {stage} ({detail}).", mitos.SOURCE)
        if p["mitos_lower_bound"]:
            self.flags.append("mitos_stage_lower_bound")
            self.say("An item the MiToS stage reads is missing: the stage is a lower bound.", POLICY_SOURCE)
        return stage

    def history(self) -> list[Visit]:
        v = self.v
        rows = []
        for r in range(len(v["patient"])):
            values = {k: a[r] for k, a in v.items()}
            scored = bool(values["alsfrs_scorable"])
            rows.append(
                Visit(
                    date=_day(values["alsfrs_day"]),
                    total=_f(values["alsfrs_total"]),
                    subscores=self._subscores(values),
                    item5_scale="5b" if values["alsfrs_item5_scale_5b"] else "5a",
                    delta_fs=_f(values["alsfrs_delta_fs"]),
                    kings_stage=kings.LABELS[int(values["kings_stage"])] if scored else None,
                    mitos_stage=int(values["mitos_stage"]) if scored else None,
                    prorated=bool(values["alsfrs_prorated"]),
                    missing_items=self._missing(values),
                )
            )
        return rows

    # FVC, NIV, gastrostomy ------------------------------------------------------------------------
    def fvc(self) -> FvcSummary | None:
        p = self.p
        if not np.isfinite(p["fvc_latest_day"]):
            self.say("No FVC recorded: respiratory thresholds use the other recorded measures only.", fvc.SOURCE)
            return None
        when = _day(p["fvc_latest_day"])
        upright, supine = _f(p["fvc_upright_latest"]), _f(p["fvc_supine_latest"])
        drop = _f(p["fvc_drop_percent"])
        shown = [f"upright {_num(upright)} %" if upright is not None else "no upright value"]
        if supine is not None:
            shown.append(f"supine {_num(supine)} %")
        if drop is not None:
            shown.append(f"upright–supine drop {_num(drop)} % of the upright value")
        self.say(f"Latest FVC ({when}, % predicted): {', '.join(shown)}.", fvc.SOURCE_DECISION)
        if p["fvc_supine_fallback"]:
            self.flags.append("fvc_supine_fallback")
            self.say(
                f"The latest date has only a supine FVC: thresholds use the supine value {_num(supine or 0)} %.",
                fvc.SOURCE_DECISION,
            )
        if p["fvc_diaphragm_weakness"]:
            self.flags.append("fvc_supine_drop_over_25_percent")
            self.say(
                "The supine FVC is more than 25 % below the upright value: suggests diaphragmatic weakness.",
                fvc.SOURCE_DECISION,
            )
        slope = _f(p["fvc_slope_per_month"])
        if slope is not None:
            self.say(f"Upright FVC slope (least squares): {slope:+.2f} % predicted/month.", POLICY_SOURCE)
        projected = _f(p["fvc_below_50_day"])
        return FvcSummary(
            date=when,
            upright_percent=upright,
            supine_percent=supine,
            percent_used=float(p["fvc_percent_used"]),
            supine_fallback=bool(p["fvc_supine_fallback"]),
            upright_supine_drop_percent=drop,
            diaphragmatic_weakness_flag=bool(p["fvc_diaphragm_weakness"]),
            slope_per_month=slope,
            niv_indicated=bool(p["niv_indicated"]),
            peg_risk=fvc.PEG_RISK[int(p["peg_risk"])],  # type: ignore[arg-type]
            below_50_already=bool(p["fvc_already_below_50"]),
            below_50_projected_date=_day(projected) if projected is not None else None,
            projection_start_date=_day(p["fvc_anchor_day"]) if np.isfinite(p["fvc_anchor_day"]) else None,
            projection_start_percent=_f(p["fvc_anchor_percent"]),
            fit=self.fit_line(
                "fvc_slope_per_month",
                "fvc_fit_mean_month",
                "fvc_fit_mean_percent",
                np.array([m.date.toordinal() for m in self.case.fvc if m.position == "upright"], dtype=float),
            ),
        )

    def niv(self, fvc_summary: FvcSummary | None) -> Niv:
        p = self.p
        labels = {
            "orthopnea": "orthopnea (exam, or ALSFRS-R orthopnea item ≤ 3)",
            "fvc_upright": "upright FVC < 50 %",
            "fvc_supine": "supine FVC < 50 %",
            "snip": f"SNIP {_num(p['snip_cm_h2o'])} cm H2O < 40",
            "mip": f"MIP {_num(p['mip_cm_h2o'])} cm H2O weaker than −60",
            "nocturnal_oximetry": "abnormal nocturnal oximetry",
        }
        triggers = [t for t in fvc.NIV_TRIGGERS if p[f"niv_{t}"]]
        not_recorded = [
            name
            for name, key in (
                ("FVC", "fvc_latest_day"),
                ("SNIP", "snip_cm_h2o"),
                ("MIP", "mip_cm_h2o"),
                ("nocturnal oximetry", "nocturnal_oximetry_abnormal"),
            )
            if not np.isfinite(p[key])
        ]
        if p["niv_indicated"]:
            self.say(
                f"NIV to be considered: {'; '.join(labels[t] for t in triggers)}.",
                f"{fvc.SOURCE}; {fvc.SOURCE_DECISION}",
            )
        else:
            absent = f" Not recorded: {', '.join(not_recorded)}." if not_recorded else ""
            self.say(f"No NIV trigger among the recorded measures.{absent}", f"{fvc.SOURCE}; {fvc.SOURCE_DECISION}")
        return Niv(indicated=bool(p["niv_indicated"]), triggers=triggers, not_recorded=not_recorded)

    def gastrostomy(self, fvc_summary: FvcSummary | None) -> Gastrostomy:
        p = self.p
        in_place = bool(p["alsfrs_gastrostomy"])
        code = int(p["peg_risk"])
        risk = fvc.PEG_RISK[code] if code >= 0 else None
        projected = fvc_summary.below_50_projected_date if fvc_summary else None
        if in_place:
            self.say("Gastrostomy in place (latest ALSFRS-R item 5 on scale 5b).", alsfrs_r.SOURCE)
        if risk is not None:
            ranges = {"low": "> 50 %", "moderate": "30–50 %", "high": "< 30 %"}
            self.say(
                f"Gastrostomy procedural risk from FVC {_num(p['fvc_percent_used'])} %: {risk} ({ranges[risk]}).",
                fvc.SOURCE,
            )
        if not in_place and fvc_summary is not None:
            if fvc_summary.below_50_already:
                self.say(
                    "FVC is already below 50 %: gastrostomy should have been discussed before this point; "
                    "procedural risk is raised.",
                    fvc.SOURCE_PEG_TIMING,
                )
            elif projected is not None and fvc_summary.slope_per_month is not None:
                self.say(
                    "Gastrostomy should be discussed before FVC falls below 50 %: at "
                    f"{fvc_summary.slope_per_month:+.2f} %/month from {_num(p['fvc_anchor_percent'])} % "
                    f"({_day(p['fvc_anchor_day'])}), upright FVC is projected to reach 50 % "
                    f"around {projected}.",
                    fvc.SOURCE_PEG_TIMING,
                )
        return Gastrostomy(in_place=in_place, peg_risk=risk, discuss_before_date=None if in_place else projected)

    # ENCALS ---------------------------------------------------------------------------------------
    def prognosis(self) -> tuple[Prognosis | None, str | None]:
        p = self.p
        reason = self._prognosis_unavailable()
        if reason is not None:
            self.say(f"ENCALS prognosis not computed: {reason}.", prognosis.SOURCE)
            return None, reason
        onset = self.case.symptom_onset.toordinal()
        lp = float(p["encals_lp"])
        median = float(p["encals_median_months"])
        q = (_f(p["encals_t75_months"]), _f(p["encals_t25_months"]))  # None outside the projection range
        low, cap = float(np.exp(prognosis.U_MIN)), float(np.exp(prognosis.U_MAX))
        early = f"by {_num(q[0])} months" if q[0] is not None else f"within {_num(low, 4)} months"
        late = f"by {_num(q[1])} months" if q[1] is not None else f"only beyond {_num(cap)} months, the model's cap"
        flags = ["research_use"]
        if p["encals_c9_assumed_negative"]:
            flags.append("c9orf72_unknown_taken_as_negative")
        curve = prognosis.survival(np.array(CURVE_MONTHS[1:], dtype=float), lp)
        result = Prognosis(
            linear_predictor=round(lp, 4),
            median_months_from_onset=round(median, 2),
            median_date=_day(onset + median * DAYS_PER_MONTH),
            quartile_months_from_onset=(_round(q[0]), _round(q[1])),
            quartile_dates=(_months_after(onset, q[0]), _months_after(onset, q[1])),
            inputs={
                "delta_fs": round(float(p["encals_delta_fs"]), 4),
                "diagnostic_delay_months": round(float(p["encals_diagnostic_delay_months"]), 2),
                "age_at_onset_years": round(float(p["age_at_onset_julian_years"]), 2),
                "fvc_percent": float(p["encals_fvc_percent"]),
                "bulbar_onset": bool(p["onset_bulbar"]),
                "definite_reec": bool(p["reec_definite"]),
                "frontotemporal_dementia": bool(p["frontotemporal_dementia"]),
                "c9orf72": bool(p["c9orf72"] == 1),
            },
            flags=flags,
            curve=[CurvePoint(months_from_onset=0, survival=1.0)]
            + [
                CurvePoint(months_from_onset=m, survival=round(float(s), 4))
                for m, s in zip(CURVE_MONTHS[1:], curve, strict=True)
            ],
        )
        self.say(
            "ENCALS model (research use; a risk statement for clinicians, not a diagnosis): predicted "
            "median time from symptom onset to NIV > 23 h/day, tracheostomy or death "
            f"{_num(median)} months (around {result.median_date}); a quarter of patients with this profile "
            f"reach it {early} and three quarters {late} (predicted "
            "quartiles, not a confidence interval).",
            prognosis.SOURCE,
        )
        if p["encals_c9_assumed_negative"]:
            self.say("C9orf72 status unknown: taken as no repeat expansion for the ENCALS model.", POLICY_SOURCE)
        return result, None

    def _prognosis_unavailable(self) -> str | None:
        p = self.p
        if self.case.diagnosis_date is None:
            return "diagnosis_date is needed: the diagnostic delay and the model's inputs are taken at diagnosis"
        if p["encals_missing_diagnostic_delay"]:
            return "the diagnostic delay is zero: the model needs a diagnosis after symptom onset"
        if p["encals_missing_age_at_onset"]:
            return "age at onset is needed: give age_at_onset or birth_date"
        months = _num(prognosis.MAX_MONTHS_FROM_DIAGNOSIS)
        if p["encals_missing_delta_fs"]:
            return "an ALSFRS-R visit after symptom onset is needed for ΔFS at diagnosis"
        if p["encals_alsfrs_not_near_diagnosis"]:
            return f"no ALSFRS-R visit within {months} months of diagnosis_date for ΔFS at diagnosis"
        if p["encals_missing_fvc"]:
            return "an upright FVC is needed"
        if p["encals_fvc_not_near_diagnosis"]:
            return f"no upright FVC within {months} months of diagnosis_date"
        if p["encals_missing_definite_reec"]:
            return "the revised El Escorial category is needed: assess() supplies it"
        if not p["encals_computable"] or not np.isfinite(p["encals_median_months"]):
            return "the predicted median lies outside the reported range (up to 100 years after onset)"
        return None

    # plots ----------------------------------------------------------------------------------------
    def fit_line(self, slope_key: str, mean_x_key: str, mean_y_key: str, days: np.ndarray) -> FitLine | None:
        slope = _f(self.p[slope_key])
        if slope is None or days.size == 0:
            return None
        mean_day = float(self.p[mean_x_key]) * DAYS_PER_MONTH
        mean_y = float(self.p[mean_y_key])
        first, last = float(np.nanmin(days)), float(np.nanmax(days))

        def at(d: float) -> float:
            return round(mean_y + slope * (d - mean_day) / DAYS_PER_MONTH, 3)

        return FitLine(start_date=_day(first), start_value=at(first), end_date=_day(last), end_value=at(last))


def _show(value: int | None) -> str:
    return "–" if value is None else str(value)
