"""assess(case) -> Assessment: case -> columns -> kernels -> explained result (docs/architecture.md "engine").

Every door (library, CLI, REST, FHIR, CDS Hooks) calls this; a single patient is a batch of one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np

from alsdx import RULESET_VERSION
from alsdx.assessment import (
    AlternativeReading,
    Assessment,
    Criteria,
    CriteriaResult,
    RegionFindings,
    Regions,
)
from alsdx.care import build_plan
from alsdx.columns.from_case import case_columns
from alsdx.completeness import case_completeness, not_examined_sentences, not_met_text
from alsdx.course import Course, course_summaries
from alsdx.explain import (
    LABELS,
    SET_NAMES,
    SOURCES,
    el_escorial_sentences,
    join,
    label,
    n_regions_text,
    not_met_sentence,
    reading_text,
    regions_of,
)
from alsdx.explain_differential import (
    WORKUP_NOT_RECORDED,
    exclusion_result,
    exclusion_sentence,
    mimic_results,
    pls_result,
    side_by_side_sentence,
    supportive_features,
)
from alsdx.model.case import Case
from alsdx.model.vocab import REGIONS, SIGN_LABELS
from alsdx.next_evidence import (
    Addition,
    counterfactual_rows,
    examine_not_examined,
    next_evidence,
    single_combos,
)
from alsdx.rules.criteria import CATEGORIES, CRITERIA_SETS, criteria_from_evidence
from alsdx.rules.criteria.interpretation import Interpretation, RowReadings, single_alternatives
from alsdx.rules.criteria.regions import region_evidence
from alsdx.rules.differential import Differential, differential

__all__ = ["WORKUP_NOT_RECORDED", "assess", "assess_many"]


def assess(case: Case, interpretation: Interpretation | None = None, *, prorate_missing: bool = False) -> Assessment:
    return assess_many([case], interpretation, prorate_missing=prorate_missing)[0]


def assess_many(
    cases: Sequence[Case], interpretation: Interpretation | None = None, *, prorate_missing: bool = False
) -> list[Assessment]:
    """Assess cases as one batch through the kernels, then explain each. ``prorate_missing`` is the course
    engine's explicit option to prorate one unanswered ALSFRS-R item (docs/course.md)."""
    interp = interpretation or Interpretation()
    cols = case_columns(cases)
    ev = region_evidence(cols)
    diff = differential(cols, ev)
    ev["workup_outstanding"] = diff.exclusion["outstanding"]  # decision 14: exclusion_pending reads it
    rows = [{k: v[i : i + 1] for k, v in ev.items() if not k.startswith("emg_muscle")} for i in range(len(cases))]
    singles = [single_combos(row) for row in rows]
    results, alternatives, single_results = _one_kernel_call(ev, rows, singles, interp)
    muscle_start = np.searchsorted(cols["emg_patient"], np.arange(len(cases) + 1))
    # ENCALS's "definite ALS" predictor is the revised El Escorial category (docs/ruleset.md §9).
    definite = CATEGORIES["revised_el_escorial"].index("definite")
    courses = course_summaries(
        cases,
        prorate_missing=prorate_missing,
        reec_definite=[bool(r == definite) for r in results["revised_el_escorial"]["category"]],
    )
    out = []
    for i, case in enumerate(cases):
        m = slice(muscle_start[i], muscle_start[i + 1])
        muscles = (ev["emg_muscle_reec"][m], ev["emg_muscle_awaji"][m])
        out.append(
            _explain_one(
                case,
                i,
                rows[i],
                muscles,
                results,
                alternatives,
                (singles[i], single_results[i]),
                interp,
                (diff, cols),
                courses[i],
            )
        )
    return out


Results = dict[str, dict[str, np.ndarray]]


def _one_kernel_call(
    ev: dict[str, np.ndarray],
    rows: list[dict[str, np.ndarray]],
    singles: list[list[tuple[Addition, ...]]],
    interp: Interpretation,
) -> tuple[Results, list[tuple[str, Results]], list[Results]]:
    """One criteria-kernel call for the whole batch: the chosen reading and each single alternative (one block
    of n rows per reading), then every case's single-addition counterfactuals under the chosen reading."""
    n = len(rows)
    named = [("chosen", interp), *single_alternatives(interp)]
    plain = {key: v for key, v in ev.items() if not key.startswith("emg_muscle")}
    counterfactuals = [counterfactual_rows(row, combos) for row, combos in zip(rows, singles, strict=True) if combos]
    blocks = [plain] * len(named) + counterfactuals
    batch = {key: np.concatenate([b[key] for b in blocks]) for key in plain}
    n_counterfactual = sum(len(c) for c in singles)
    readings = RowReadings.stack([r for _, r in named for _ in range(n)] + [interp] * n_counterfactual)
    every = criteria_from_evidence(batch, readings)

    def block(start: int, stop: int) -> Results:
        return {s: {key: v[start:stop] for key, v in res.items()} for s, res in every.items()}

    by_reading = [(name, block(j * n, (j + 1) * n)) for j, (name, _) in enumerate(named)]
    start, per_case = len(named) * n, []
    for combos in singles:
        per_case.append(block(start, start + len(combos)))
        start += len(combos)
    return by_reading[0][1], by_reading[1:], per_case


def _explain_one(
    case: Case,
    i: int,
    ev: dict[str, np.ndarray],
    muscles: tuple[np.ndarray, np.ndarray],
    results: dict[str, dict[str, np.ndarray]],
    alternatives: list[tuple[str, dict[str, dict[str, np.ndarray]]]],
    singles: tuple[list[tuple[Addition, ...]], Results],
    interp: Interpretation,
    differential_stage: tuple[Differential, dict[str, np.ndarray]],
    course: Course,
) -> Assessment:
    diff, cols = differential_stage
    mimics = mimic_results(diff, i)
    exclusion = exclusion_result(diff, case.other_causes_excluded, i)
    pending_text = exclusion_sentence(
        case.other_causes_excluded, [w for w in exclusion.outstanding if w != WORKUP_NOT_RECORDED]
    )
    ranks = {name: int(results[name]["category"][i]) for name in CRITERIA_SETS}
    further = next_evidence(ev, ranks, interp, singles)
    completeness = case_completeness(case)
    examine_not_examined(further, completeness.regions_not_examined)
    incomplete = not_met_text(completeness)
    criteria = {}
    for name in CRITERIA_SETS:
        r = results[name]
        category = CATEGORIES[name][ranks[name]]
        flags = [f for f in ("exclusion_pending", "progression_not_documented", "progression_absent") if r[f][i]]
        alt = [
            AlternativeReading(interpretation=alt_name, category=CATEGORIES[name][int(res[name]["category"][i])])
            for alt_name, res in alternatives
            if int(res[name]["category"][i]) != ranks[name]
        ]
        # Unknown is not absent: "not met" is qualified when regions were not examined (docs/case-format.md).
        shown = label(name, category)
        if category == "not_met" and incomplete:
            shown = incomplete if completeness.assessable == "none" else f"criteria {incomplete}"
        side_by_side = side_by_side_sentence(shown, SET_NAMES[name], mimics)
        criteria[name] = CriteriaResult(
            category=category,
            label=shown,
            flags=flags,
            explanation=_sentences(name, category, case, ev, r, i, flags, alt, interp, pending_text)
            + not_examined_sentences(completeness, category == "not_met")
            + ([side_by_side] if side_by_side else []),
            next_evidence=further[name],
            alternatives=alt,
            source=SOURCES[name],
        )
    regions = _regions(case, ev, muscles, interp)
    pls = pls_result(diff, cols, i)
    approximate = approximate_results(case)
    if pls.caveat and "symptom_onset" in case.approximate_dates:
        months = " and ".join(d.isoformat()[:7] for d in pls.re_examine_on)
        pls = pls.model_copy(
            update={
                "caveat": pls.caveat.rsplit(":", 1)[0] + f": {months} (symptom onset was "
                "given as a month, so the anniversaries are approximate)."
            }
        )
    return Assessment(
        id=case.id,
        ruleset_version=RULESET_VERSION,
        assessment_date=case.assessment_date,
        interpretation=interp.names,
        criteria=Criteria(**criteria),
        regions=Regions(**regions),
        exclusion=exclusion,
        pls=pls,
        mimics=mimics,
        supportive=supportive_features(diff, i),
        course=course,
        plan=build_plan(case, course),
        read_as=case.readings,
        approximate=approximate,
        completeness=completeness,
    )


APPROXIMATE_WITH: Final = {
    # Which results are counted from which partial date (docs/case-format.md, "Dates").
    "symptom_onset": (
        "course: ΔFS and every rate or window counted from symptom onset",
        "course.prognosis: ENCALS (diagnostic delay, projected dates)",
        "pls: the 2- and 4-year anniversaries of onset",
    ),
    "diagnosis_date": ("course.prognosis: ENCALS (diagnostic delay and the windows around diagnosis)",),
    "birth_date": ("age at onset (ENCALS, age-dependent mimic rules)",),
}


def approximate_results(case: Case) -> list[str]:
    """The results that rest on a date given as a month or a year, each named once."""
    out: list[str] = []
    for name in case.approximate_dates:
        out += [item for item in APPROXIMATE_WITH[name] if item not in out]
    return out


def _sentences(
    name: str,
    category: str,
    case: Case,
    ev: dict[str, np.ndarray],
    r: dict[str, np.ndarray],
    i: int,
    flags: list[str],
    alternatives: list[AlternativeReading],
    interp: Interpretation,
    pending_text: str,
) -> list[str]:
    umn = ev["umn"][0]
    lmn_c = ev["lmn_clinical_with_weakness" if interp.weakness_counts_as_lmn else "lmn_clinical"][0]
    out: list[str] = []
    if "progression_absent" in flags:
        out.append(
            "The course is recorded as not progressive; every criteria set requires progression, "
            "so the criteria are not met (alsdx decision 13)."
        )
    elif name == "gold_coast":
        out += _gold_coast_sentences(category, case, ev, r, i, "progression_not_documented" in flags)
    else:
        clauses = {k: bool(r[f"possible_{k}"][i]) for k in ("same_region", "umn_two_regions", "lmn_rostral")}
        if name == "awaji":
            lmn = r["lmn"][i]
            kind = "LMN involvement (clinical, or EMG under the Awaji rule)"
        else:
            lmn, kind = lmn_c, "clinical LMN signs"
        if category == "probable_laboratory_supported":
            emg = regions_of(ev["lmn_emg_reec"][0])
            out.append(
                f"UMN signs in {join(regions_of(umn))} and LMN involvement by EMG (fibrillations or positive "
                f"sharp waves with chronic neurogenic change) in {n_regions_text(len(emg))} ({join(emg)}): revised "
                "El Escorial probable, laboratory-supported."
            )
        elif category == "definite_familial_laboratory_supported":
            genes = [v.gene for v in case.genetics.variants if v.classification in ("pathogenic", "likely_pathogenic")]
            if case.genetics.c9orf72_repeat_expansion:
                genes.append("C9orf72 repeat expansion")
            out.append(
                f"Family history of ALS, a pathogenic variant ({', '.join(genes)}) and UMN with LMN signs in "
                "at least one region: revised El Escorial definite familial, laboratory-supported (decision 11)."
            )
        elif category == "not_met":
            out.append(f"UMN signs in {join(regions_of(umn))}; {kind} in {join(regions_of(lmn))}.")
            out.append(not_met_sentence(name))
        else:
            out += el_escorial_sentences(name, category, umn, lmn, clauses, kind)
        out += _el_escorial_notes(name, ev, interp)
    if "progression_not_documented" in flags:
        out.append("Progression is not documented; the category is computed as if progressive (alsdx decision 13).")
    if "exclusion_pending" in flags:
        out.append(pending_text)
    if name == "revised_el_escorial" and category != "definite_familial_laboratory_supported":
        out += _carrier_note(case)
    for a in alternatives:
        out.append(f"Under {reading_text(a.interpretation)} the category would be: {label(name, a.category)}.")
    return out


def _el_escorial_notes(name: str, ev: dict[str, np.ndarray], interp: Interpretation) -> list[str]:
    notes = []
    rule = "lmn_emg_reec" if name == "revised_el_escorial" else "lmn_emg_awaji"
    short = (
        [
            r
            for j, r in enumerate(REGIONS)
            if ev["emg_abnormal_" + rule.removeprefix("lmn_emg_")][0, j] and not ev[rule][0, j]
        ]
        if name != "el_escorial_1994"
        else []
    )
    if short:
        notes.append(
            f"EMG abnormalities in {join(short)} do not meet the region rule (bulbar: one muscle; thoracic: "
            "paraspinal at or below T6 or abdominal; cervical and lumbosacral: two muscles differing in "
            "roots and peripheral nerve), so they do not count (decision 2)."
        )
    weak_only = regions_of(ev["weak_only"][0])
    if weak_only and not interp.weakness_counts_as_lmn:
        notes.append(f"Weakness alone in {join(weak_only)} is not counted as LMN involvement (alsdx decision 3).")
    emg_any = ev["lmn_emg_awaji"][0] | ev["lmn_emg_reec"][0]
    if name == "el_escorial_1994" and emg_any.any():
        notes.append(f"EMG evidence ({join(regions_of(emg_any))}) is not used by the 1994 categories (decision 10).")
    fasc_only = regions_of(ev["lmn_emg_awaji"][0] & ~ev["lmn_emg_reec"][0])
    if name == "revised_el_escorial" and fasc_only:
        notes.append(
            f"EMG in {join(fasc_only)} rests on fasciculation potentials, which count under Awaji and Gold "
            "Coast but not under revised El Escorial (decision 1)."
        )
    return notes


def _carrier_note(case: Case) -> list[str]:
    """Decision 11: a carrier without family history gets the ordinary categories; name the variant."""
    genes = [v.gene for v in case.genetics.variants if v.classification in ("pathogenic", "likely_pathogenic")]
    if case.genetics.c9orf72_repeat_expansion:
        genes.append("C9orf72 repeat expansion")
    if not genes:
        return []
    if case.family_history_als:
        return [
            f"Pathogenic/likely pathogenic variant recorded ({', '.join(genes)}), but not in an established "
            "autosomal-dominant ALS gene or without UMN with LMN signs in one region: the familial category "
            "is not reached (decision 11)."
        ]
    return [
        f"Pathogenic/likely pathogenic variant recorded ({', '.join(genes)}) without a family history of ALS: "
        "the ordinary categories apply; the familial laboratory-supported category needs both (decision 11)."
    ]


def _gold_coast_sentences(
    category: str, case: Case, ev: dict[str, np.ndarray], r: dict[str, np.ndarray], i: int, progression_unknown: bool
) -> list[str]:
    umn, lmn = regions_of(ev["umn_gold_coast"][0]), regions_of(ev["lmn_gold_coast"][0])
    out = [f"UMN dysfunction in {join(umn)}; LMN dysfunction (weakness with wasting, or EMG) in {join(lmn)}."]
    if not ev["normal_motor_function_before_onset"][0]:
        out.append(
            "Motor function was not normal before onset: Gold Coast requires impairment preceded by normal "
            "motor function, so it is not met."
        )
    elif category == "met":
        if r["lmn_two_regions"][i]:
            reason = f"LMN dysfunction in {n_regions_text(len(lmn))} ({join(lmn)})"
        else:
            reason = f"UMN dysfunction ({join(umn)}) and LMN dysfunction ({join(lmn)})"
        impairment = (
            "Motor impairment (progression not documented)" if progression_unknown else "Progressive motor impairment"
        )
        out.append(f"{impairment} with {reason}: {LABELS['met']}.")
    else:
        out.append(not_met_sentence("gold_coast"))
    pba = regions_of(ev["umn"][0] & ~ev["umn_gold_coast"][0])
    if pba:
        out.append("Pseudobulbar affect is not a Gold Coast UMN sign (decision 12).")
    out += _gold_coast_lmn_missing(case, regions_of(ev["lmn_clinical"][0] & ~ev["lmn_gold_coast"][0]))
    return out


def _gold_coast_lmn_missing(case: Case, regions: list[str]) -> list[str]:
    """Gold Coast LMN dysfunction is weakness AND wasting (or EMG): say which of the two each region lacks."""
    by_missing: dict[str, list[str]] = {}
    for region in regions:
        signs = set(case.exam.region(region).lmn)
        missing = [word for sign, word in (("weakness", "weakness"), ("atrophy", "wasting")) if sign not in signs]
        if not missing:  # pragma: no cover - weakness with wasting is Gold Coast LMN dysfunction
            continue
        by_missing.setdefault(" or ".join(missing), []).append(region)
    return [
        f"Clinical LMN signs in {join(where)} without {missing} (and no EMG evidence there) are not Gold Coast "
        "LMN dysfunction, which needs weakness with wasting (decision 3)."
        for missing, where in by_missing.items()
    ]


def _regions(
    case: Case, ev: dict[str, np.ndarray], muscles: tuple[np.ndarray, np.ndarray], interp: Interpretation
) -> dict[str, RegionFindings]:
    reec, awaji = muscles
    lmn_key = "lmn_clinical_with_weakness" if interp.weakness_counts_as_lmn else "lmn_clinical"
    out = {}
    for j, region in enumerate(REGIONS):
        found = case.exam.region(region)
        in_region = [k for k, m in enumerate(case.emg) if m.region == region]
        out[region] = RegionFindings(
            umn=bool(ev["umn"][0, j]),
            lmn_clinical=bool(ev[lmn_key][0, j]),
            lmn_emg_reec=bool(ev["lmn_emg_reec"][0, j]),
            lmn_emg_awaji=bool(ev["lmn_emg_awaji"][0, j]),
            lmn_gold_coast=bool(ev["lmn_gold_coast"][0, j]),
            umn_signs=[SIGN_LABELS[s] for s in found.umn],
            lmn_signs=[SIGN_LABELS[s] for s in found.lmn],
            examined=found.examined,
            emg_studied=bool(in_region),
            emg_muscles_reec=[_muscle(case, k) for k in in_region if reec[k]],
            emg_muscles_awaji=[_muscle(case, k) for k in in_region if awaji[k]],
        )
    return out


def _muscle(case: Case, k: int) -> str:
    m = case.emg[k]
    return f"{m.muscle.replace('_', ' ')} ({m.side})"
