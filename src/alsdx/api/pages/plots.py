"""The course plots on the patient and visit pages, drawn from the stored course (nothing recomputed)."""

from __future__ import annotations

import importlib.util
import io
from typing import Any

from alsdx.model.load import case_from_dict

KINDS = ("alsfrs-r", "fvc")


def plot_urls(base: str, result: dict[str, Any], version: int) -> list[tuple[str, str]]:
    """(url, caption) of the course plots this assessment has data for (none without matplotlib)."""
    if importlib.util.find_spec("matplotlib") is None:
        return []
    course = result.get("course") or {}
    out = []
    if course.get("alsfrs_r"):
        out.append((f"{base}/plots/alsfrs-r.svg?version={version}", "ALSFRS-R total and domains over time"))
    if course.get("fvc"):
        out.append((f"{base}/plots/fvc.svg?version={version}", "FVC (% predicted) over time"))
    return out


def course_svg(case_doc: dict[str, Any], result: dict[str, Any], kind: str) -> bytes | None:
    """One course plot as SVG, drawn by alsdx.report.plots from the stored course (nothing recomputed)."""
    from alsdx.engine.course_results import Course
    from alsdx.report.plots import alsfrs_figure, fvc_figure

    draw = {"alsfrs-r": alsfrs_figure, "fvc": fvc_figure}[kind]
    figure = draw(case_from_dict(case_doc), Course.model_validate(result["course"]))
    if figure is None:
        return None
    buf = io.BytesIO()
    figure.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()
