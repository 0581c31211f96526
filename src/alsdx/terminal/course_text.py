"""Plain-text rendering of a :class:`~alsdx.engine.course_results.Course` (the assess summary and ``alsdx course``)."""

from __future__ import annotations

from alsdx.engine.course_results import Course


def _n(x: float | None, digits: int = 1) -> str:
    if x is None:
        return "–"
    return f"{x:.{digits}f}".rstrip("0").rstrip(".")


def course_summary_lines(course: Course) -> list[str]:
    """A few lines: ALSFRS-R and rate, stages, FVC and triggers, ENCALS."""
    lines = []
    a = course.alsfrs_r
    if a is None:
        lines.append("ALSFRS-R: not recorded")
    else:
        s = a.subscores
        rate = f"ΔFS {a.delta_fs:.2f}/month" if a.delta_fs is not None else "ΔFS not computable (visit on onset date)"
        band = f" ({course.progression_band})" if course.progression_band else ""
        slope = (
            f"; slope {a.slope_per_month:+.2f}/month over {a.scored_visits} visits"
            if a.slope_per_month is not None
            else ""
        )
        prorated = " [prorated]" if a.prorated else ""
        lines.append(
            f"ALSFRS-R {_n(a.total)}/48{prorated} on {a.date} (bulbar {_n(s.bulbar)}, fine motor {_n(s.fine_motor)}, "
            f"gross motor {_n(s.gross_motor)}, respiratory {_n(s.respiratory)}); {rate}{band}{slope}"
        )
        lines.append(f"Stage: King's {course.kings_stage} (estimated from ALSFRS-R), MiToS {course.mitos_stage}")
    f = course.fvc
    niv = (
        f"NIV to be considered ({', '.join(course.niv.triggers)})"
        if course.niv.indicated
        else "no NIV trigger recorded"
    )
    if f is None:
        lines.append(f"FVC: not recorded; {niv}")
    else:
        values = [f"{_n(f.upright_percent)} % upright" if f.upright_percent is not None else "no upright value"]
        if f.supine_percent is not None:
            values.append(f"{_n(f.supine_percent)} % supine")
        slope = f"; slope {f.slope_per_month:+.2f} %/month" if f.slope_per_month is not None else ""
        if f.below_50_already:
            projection = "; below 50 %"
        elif f.below_50_projected_date is not None:
            projection = f"; below 50 % projected {f.below_50_projected_date}"
        else:
            projection = ""
        lines.append(f"FVC {', '.join(values)} on {f.date}{slope}; {niv}; gastrostomy risk {f.peg_risk}{projection}")
    p = course.prognosis
    if p is None:
        lines.append(f"ENCALS prognosis: not computed ({course.prognosis_unavailable})")
    else:
        lo_m, hi_m = p.quartile_months_from_onset
        first, cap = p.projection_range_months
        lo = _n(lo_m) if lo_m is not None else f"under {first:g}"
        hi = _n(hi_m) if hi_m is not None else f"beyond {cap:g}"
        lines.append(
            f"ENCALS (research use): predicted median {_n(p.median_months_from_onset)} months from onset to NIV > 23 h/day, "
            f"tracheostomy or death (around {p.median_date}); predicted quartiles {lo}–{hi} months "
            "(not a confidence interval)"
        )
    return lines


def course_to_text(case_id: str, course: Course) -> str:
    """The full course: summary, visit history, and every explanation sentence with its source."""
    out = [f"{case_id}: disease course (supports a clinician's decision; it does not diagnose)"]
    out += [f"  {line}" for line in course_summary_lines(course)]
    if course.history:
        out.append("  Visits:")
        for v in course.history:
            dfs = f"ΔFS {v.delta_fs:.2f}" if v.delta_fs is not None else "ΔFS –"
            out.append(
                f"  - {v.date}: {_n(v.total)}/48, {dfs}, King's {v.kings_stage}, MiToS {v.mitos_stage}, "
                f"item 5 on {v.item5_scale}"
            )
    if course.flags:
        out.append(f"  Flags: {', '.join(course.flags)}")
    out.append("  Why:")
    out += [f"  - {s.text} [{s.source}]" for s in course.explanation]
    return "\n".join(out)
