"""Course plots (matplotlib, Agg, PNG and SVG): ALSFRS-R over time and FVC over time.

The plots draw what :func:`alsdx.engine.course.course_summary` computed (visits, fitted lines, projected
crossing); nothing is recomputed here except the straight lines between points the model gives.
Figures are built with ``matplotlib.figure.Figure`` (no pyplot global state), so this is safe in servers.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import matplotlib as mpl
import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from alsdx.engine.course_results import Course
from alsdx.model.case import Case

mpl.use("Agg")
mpl.rcParams["svg.hashsalt"] = "alsdx"  # stable SVG ids, so identical input gives identical files

DOMAIN_STYLE = {
    # label, colour, marker, marker size, line width: sizes shrink so that coinciding lines stay visible.
    "bulbar": ("Bulbar (1–3)", "#1b9e77", "o", 9.0, 3.2),
    "fine_motor": ("Fine motor (4–6)", "#d95f02", "s", 7.0, 2.4),
    "gross_motor": ("Gross motor (7–9)", "#7570b3", "^", 5.5, 1.7),
    "respiratory": ("Respiratory (10–12)", "#e7298a", "D", 3.5, 1.0),
}
TOTAL_COLOUR = "#1f3b73"
PROJECTION_HORIZON = timedelta(days=730)
"""The FVC plot shows at most two years beyond the last measurement; a later crossing is written, not drawn."""
FORMATS = ("png", "svg")


def plot_course(case: Case, course: Course, out_dir: str | Path) -> list[Path]:
    """Write ``<id>-alsfrs-r.{png,svg}`` and ``<id>-fvc.{png,svg}`` (each only when there is data)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, figure in (("alsfrs-r", alsfrs_figure(case, course)), ("fvc", fvc_figure(case, course))):
        if figure is None:
            continue
        for fmt in FORMATS:
            path = out / f"{case.id}-{name}.{fmt}"
            figure.savefig(path, format=fmt, dpi=150, metadata={"Date": None} if fmt == "svg" else None)
            written.append(path)
    return written


class _MonthOnce(mdates.DateFormatter):
    """'%b %Y' tick labels, each month written once: a short span (one visit) gets ticks every few days,
    and labelling each with its month repeated the same date along the axis."""

    def format_ticks(self, values: list[float]) -> list[str]:
        labels = super().format_ticks(values)
        return [label if k == 0 or label != labels[k - 1] else "" for k, label in enumerate(labels)]


def _date_axis(ax: Axes) -> None:
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=8))
    ax.xaxis.set_major_formatter(_MonthOnce("%b %Y"))
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def alsfrs_figure(case: Case, course: Course) -> Figure | None:
    """Total (top) and the four domain subscores (bottom) per visit, the least-squares line, the ΔFS line."""
    visits = [v for v in course.history if v.total is not None]
    if not visits or course.alsfrs_r is None:
        return None
    fig = Figure(figsize=(9, 6.4), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    dates = [v.date for v in visits]
    totals = [v.total for v in visits]
    latest = course.alsfrs_r

    top.plot(
        [case.symptom_onset, latest.date],
        [48, latest.total],
        linestyle=":",
        color="#888888",
        linewidth=1.2,
        label=f"ΔFS from onset: {_rate(latest.delta_fs)} points/month",
    )
    top.plot([case.symptom_onset], [48], marker="o", markerfacecolor="white", color="#888888", linestyle="none")
    top.annotate(
        "symptom onset",
        (case.symptom_onset, 48),
        textcoords="offset points",
        xytext=(6, 3),
        fontsize=8,
        color="#666666",
    )
    top.plot(dates, totals, marker="o", color=TOTAL_COLOUR, linewidth=2, label="ALSFRS-R total")
    if course.alsfrs_fit is not None:
        fit = course.alsfrs_fit
        top.plot(
            [fit.start_date, fit.end_date],
            [fit.start_value, fit.end_value],
            linestyle="--",
            color="#c0392b",
            linewidth=1.5,
            label=f"least-squares slope: {_rate(latest.slope_per_month, signed=True)} points/month",
        )
    for v in visits:
        stage = f"King's {v.kings_stage} · MiToS {v.mitos_stage}"
        top.annotate(
            f"{_num(v.total)}\n{stage}",
            (v.date, v.total),
            textcoords="offset points",
            xytext=(0, -26),
            ha="center",
            fontsize=7.5,
            color="#333333",
        )
    top.set_ylim(0, 50.5)
    top.set_yticks(range(0, 49, 6))
    top.set_ylabel("ALSFRS-R total (0–48)")
    top.legend(loc="best", fontsize=8, frameon=True)
    band = f", {course.progression_band} progression" if course.progression_band else ""
    top.set_title(
        f"{case.id} — ALSFRS-R over time (latest {_num(latest.total)}/48 on {latest.date}{band})",
        fontsize=11,
        loc="left",
    )

    for domain, (label, colour, marker, size, width) in DOMAIN_STYLE.items():
        points = [(v.date, getattr(v.subscores, domain)) for v in visits if getattr(v.subscores, domain) is not None]
        if points:
            bottom.plot(
                [p[0] for p in points],
                [p[1] for p in points],
                marker=marker,
                markersize=size,
                linewidth=width,
                color=colour,
                label=label,
            )
    bottom.set_ylim(-0.5, 12.8)
    bottom.set_yticks(range(0, 13, 3))
    bottom.set_ylabel("Domain subscore (0–12)")
    bottom.legend(loc="best", fontsize=8, ncols=2, frameon=True)
    for ax in (top, bottom):
        _date_axis(ax)
    bottom.set_xlabel("Visit date")
    span = max(latest.date, case.symptom_onset + timedelta(days=30))
    top.set_xlim(case.symptom_onset - timedelta(days=15), span + timedelta(days=30))
    return fig


def fvc_figure(case: Case, course: Course) -> Figure | None:
    """Upright and supine FVC per date, 80 % and 50 % lines, the fitted slope and the projected 50 % date."""
    if not course.fvc_history or course.fvc is None:
        return None
    f = course.fvc
    fig = Figure(figsize=(9, 5.4), layout="constrained")
    ax = fig.subplots()
    upright = [(p.date, p.percent_predicted) for p in course.fvc_history if p.position == "upright"]
    supine = [(p.date, p.percent_predicted) for p in course.fvc_history if p.position == "supine"]
    last = max(p.date for p in course.fvc_history)
    first = min(p.date for p in course.fvc_history)
    right = last + timedelta(days=45)

    if upright:
        ax.plot(
            mdates.date2num([d for d, _ in upright]),
            [v for _, v in upright],
            marker="o",
            color=TOTAL_COLOUR,
            linewidth=2,
            label="FVC upright (% predicted)",
        )
    if supine:
        ax.plot(
            mdates.date2num([d for d, _ in supine]),
            [v for _, v in supine],
            marker="s",
            markerfacecolor="white",
            color="#8e44ad",
            linestyle="none",
            markersize=7,
            label="FVC supine (% predicted)",
        )
    if f.fit is not None:
        ax.plot(
            mdates.date2num([f.fit.start_date, f.fit.end_date]),
            [f.fit.start_value, f.fit.end_value],
            linestyle="--",
            color="#c0392b",
            linewidth=1.3,
            label=f"least-squares slope: {_rate(f.slope_per_month, True)} %/month",
        )
    crossing = f.below_50_projected_date
    anchor_date, anchor_value = f.projection_start_date, f.projection_start_percent
    if crossing is not None and anchor_date is not None and anchor_value is not None and f.slope_per_month:
        end = min(crossing, last + PROJECTION_HORIZON)
        end_value = anchor_value + f.slope_per_month * (end - anchor_date).days / (365.25 / 12)
        ax.plot(
            mdates.date2num([anchor_date, end]),
            [anchor_value, end_value],
            linestyle=(0, (4, 3)),
            color="#c0392b",
            linewidth=1.1,
            alpha=0.8,
            label="projection at the current slope",
        )
        right = max(right, end + timedelta(days=75))
        if crossing == end:
            ax.plot(mdates.date2num([crossing]), [50], marker="v", color="#c0392b", markersize=9, linestyle="none")
            ax.annotate(
                f"below 50 % projected\n{crossing:%d %b %Y}",
                (crossing, 50),
                textcoords="offset points",
                xytext=(0, 12),
                ha="center",
                fontsize=8,
                color="#c0392b",
            )
        else:
            ax.text(
                0.99,
                0.97,
                f"below 50 % projected {crossing:%d %b %Y}\n(beyond this plot)",
                transform=ax.transAxes,
                ha="right",
                va="top",
                fontsize=8,
                color="#c0392b",
            )

    ax.axhline(80, color="#27ae60", linewidth=1, linestyle="-.", label="80 % (conventional lower limit of normal)")
    ax.axhline(
        50,
        color="#c0392b",
        linewidth=1,
        linestyle="-.",
        label="50 % (NIV to be considered; discuss gastrostomy before)",
    )
    ax.axhspan(0, 30, color="#c0392b", alpha=0.06, linewidth=0)
    ax.text(
        0.995,
        15,
        "gastrostomy risk high (< 30 %)",
        transform=ax.get_yaxis_transform(),
        ha="right",
        va="center",
        fontsize=7.5,
        color="#a93226",
    )

    values = [p.percent_predicted for p in course.fvc_history]
    ax.set_ylim(0, max(110.0, max(values) + 8))
    ax.set_xlim(mdates.date2num(first - timedelta(days=30)), mdates.date2num(right))
    ax.set_ylabel("FVC (% predicted)")
    ax.set_xlabel("Date")
    _date_axis(ax)
    fig.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    niv = "NIV to be considered" if course.niv.indicated else "no NIV trigger recorded"
    ax.set_title(
        f"{case.id} — FVC over time (latest {_num(f.percent_used)} % on {f.date}; {niv})", fontsize=11, loc="left"
    )
    return fig


def _num(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _rate(x: float | None, signed: bool = False) -> str:
    if x is None:
        return "–"
    return f"{x:+.2f}" if signed else f"{x:.2f}"
