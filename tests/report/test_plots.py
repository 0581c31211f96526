"""Course plots: files written in both formats, titled with the patient id, deterministic SVG."""

from __future__ import annotations

from pathlib import Path

from alsdx.engine.course import course_summary
from alsdx.model.load import case_from_dict, load_case
from alsdx.report.plots import alsfrs_figure, fvc_figure, plot_course

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"


def test_writes_png_and_svg_for_both_plots(tmp_path: Path) -> None:
    case = load_case(EXAMPLES / "bulbar-onset.yaml")
    paths = plot_course(case, course_summary(case), tmp_path / "plots")
    names = sorted(p.name for p in paths)
    assert names == [
        "example-bulbar-onset-alsfrs-r.png",
        "example-bulbar-onset-alsfrs-r.svg",
        "example-bulbar-onset-fvc.png",
        "example-bulbar-onset-fvc.svg",
    ]
    for p in paths:
        data = p.read_bytes()
        if p.suffix == ".png":
            assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
        else:
            text = data.decode()
            assert "<svg" in text and "example-bulbar-onset" in text


def test_titles_name_the_patient_and_axes_are_labelled() -> None:
    case = load_case(EXAMPLES / "bulbar-onset.yaml")
    course = course_summary(case)
    alsfrs, fvc = alsfrs_figure(case, course), fvc_figure(case, course)
    assert alsfrs is not None and fvc is not None
    top, bottom = alsfrs.axes
    assert top.get_title(loc="left").startswith("example-bulbar-onset")
    assert top.get_ylabel() and bottom.get_ylabel() and bottom.get_xlabel()
    labels = [t.get_text() for t in top.get_legend().get_texts()]
    assert any("least-squares slope: -1.05" in label for label in labels)
    (ax,) = fvc.axes
    assert ax.get_title(loc="left").startswith("example-bulbar-onset")
    legend = [t.get_text() for t in fvc.legends[0].get_texts()]
    assert any(label.startswith("80 %") for label in legend) and any(label.startswith("50 %") for label in legend)
    assert any("below 50 % projected" in t.get_text() for t in ax.texts)


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
