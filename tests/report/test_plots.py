"""Course plots: what they draw is the case's data (visits, measurements, fitted slope), in both formats,
titled with the patient id, deterministic SVG."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import matplotlib.dates as mdates
import matplotlib.image as mpimg
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from alsdx.engine.course import course_summary
from alsdx.model.load import case_from_dict, load_case
from alsdx.report.plots import alsfrs_figure, fvc_figure, plot_course

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"


def test_writes_png_and_svg_of_both_plots_named_and_titled_by_the_case(tmp_path: Path) -> None:
    case = load_case(EXAMPLES / "bulbar-onset.yaml")
    paths = plot_course(case, course_summary(case), tmp_path / "plots")
    assert sorted(p.name for p in paths) == sorted(
        f"{case.id}-{plot}.{fmt}" for plot in ("alsfrs-r", "fvc") for fmt in ("png", "svg")
    )
    for p in paths:
        if p.suffix == ".png":
            pixels = mpimg.imread(p)
            assert pixels.ndim == 3 and pixels.min() < pixels.max()  # an image with something drawn on it
        else:
            assert f"<!-- {case.id} — " in p.read_text()  # matplotlib writes each text as a comment: the title


def line(ax: Axes, label: str) -> Line2D:
    (found,) = [ln for ln in ax.get_lines() if ln.get_label() == label]
    return found


def as_dates(xs: Any) -> list[date]:
    return [x if isinstance(x, date) else mdates.num2date(x).date() for x in xs]


def test_alsfrs_plot_draws_each_visit_of_the_case() -> None:
    """The total line passes through every ALSFRS-R visit (date, sum of the 12 items); the four domain lines
    through each visit's subscores (items 1-3, 4-6, 7-9, 10-12; Cedarbaum 1999); the fitted slope is the course's."""
    case = load_case(EXAMPLES / "bulbar-onset.yaml")
    course = course_summary(case)
    fig = alsfrs_figure(case, course)
    assert fig is not None
    top, bottom = fig.axes
    visits = sorted(case.alsfrs_r, key=lambda v: v.date)
    scores = [list(v.items.model_dump().values()) for v in visits]
    total = line(top, "ALSFRS-R total")
    assert as_dates(total.get_xdata()) == [v.date for v in visits]
    assert list(total.get_ydata()) == [sum(s) for s in scores]
    for k, domain in enumerate(("Bulbar (1–3)", "Fine motor (4–6)", "Gross motor (7–9)", "Respiratory (10–12)")):
        drawn = line(bottom, domain)
        assert as_dates(drawn.get_xdata()) == [v.date for v in visits]
        assert list(drawn.get_ydata()) == [sum(s[3 * k : 3 * k + 3]) for s in scores], domain
    assert course.alsfrs_r is not None and course.alsfrs_r.slope_per_month is not None
    legend = [t.get_text() for t in top.get_legend().get_texts()]
    assert f"least-squares slope: {course.alsfrs_r.slope_per_month:+.2f} points/month" in legend
    assert top.get_title(loc="left").startswith(case.id)
    assert top.get_ylabel() and bottom.get_ylabel() and bottom.get_xlabel()


def test_fvc_plot_draws_each_measurement_of_the_case_and_the_two_thresholds() -> None:
    """Upright and supine FVC are drawn at the case's dates and values; the 80 % and 50 % lines (docs/ruleset.md
    §10) are horizontal lines at those values; the projected 50 % date is the course's."""
    case = load_case(EXAMPLES / "bulbar-onset.yaml")
    course = course_summary(case)
    fig = fvc_figure(case, course)
    assert fig is not None
    (ax,) = fig.axes
    for position in ("upright", "supine"):
        measured = sorted((m.date, m.percent_predicted) for m in case.fvc if m.position == position)
        drawn = line(ax, f"FVC {position} (% predicted)")
        assert list(zip(as_dates(drawn.get_xdata()), drawn.get_ydata(), strict=True)) == measured, position
    levels = {
        tuple(ln.get_ydata()) for ln in ax.get_lines() if len(set(ln.get_ydata())) == 1 and len(ln.get_ydata()) == 2
    }
    assert {(80, 80), (50, 50)} <= levels
    assert course.fvc is not None and course.fvc.below_50_projected_date is not None
    projected = f"below 50 % projected\n{course.fvc.below_50_projected_date:%d %b %Y}"
    assert any(t.get_text() == projected for t in ax.texts)
    assert ax.get_title(loc="left").startswith(case.id)
    assert ax.get_ylabel() and ax.get_xlabel()


def test_svg_is_deterministic(tmp_path: Path) -> None:
    case = load_case(EXAMPLES / "limb-onset-emg.yaml")
    course = course_summary(case)
    first = [p.read_bytes() for p in plot_course(case, course, tmp_path / "a") if p.suffix == ".svg"]
    second = [p.read_bytes() for p in plot_course(case, course, tmp_path / "b") if p.suffix == ".svg"]
    assert first == second


def test_nothing_to_plot_without_series(tmp_path: Path) -> None:
    case = case_from_dict(
        {"id": "empty", "symptom_onset": "2025-01-01", "assessment_date": "2025-06-01", "course": "unknown"}
    )
    assert plot_course(case, course_summary(case), tmp_path) == []


def test_one_fvc_point_writes_each_month_on_the_axis_once() -> None:
    """One measurement gives a short date span with ticks every few days: each month is labelled once."""
    case = case_from_dict(
        {
            "id": "one-point",
            "symptom_onset": "2025-01-01",
            "assessment_date": "2026-01-10",
            "course": "progressive",
            "fvc": [{"date": "2026-01-10", "percent_predicted": 72, "position": "upright"}],
        }
    )
    fig = fvc_figure(case, course_summary(case))
    assert fig is not None
    fig.canvas.draw()
    (ax,) = fig.axes
    ticks = ax.get_xticks()
    labels = [t.get_text() for t in ax.get_xticklabels()]
    shown = [label for label in labels if label]
    assert len(ticks) > len(shown) >= 2  # several ticks, fewer labels: the repeats were blanked
    assert len(shown) == len(set(shown))
