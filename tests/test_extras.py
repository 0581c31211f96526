"""A command whose optional extra is not installed says which one in one plain line and exits 2."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alsdx.cli import app
from alsdx.extras import EXTRAS, missing_extra

EXAMPLE = Path(__file__).parents[1] / "examples" / "cases" / "bulbar-onset.yaml"
runner = CliRunner()


def _uninstall(monkeypatch: pytest.MonkeyPatch, extra: str) -> None:
    """Make the extra's package unimportable (a ``None`` entry in sys.modules is what Python reads as absent)."""
    monkeypatch.setitem(sys.modules, EXTRAS[extra], None)


@pytest.mark.parametrize("extra", sorted(EXTRAS))
def test_installed_extras_are_not_reported_missing(extra: str) -> None:
    assert missing_extra(extra, needed_by="x") is None  # the dev install has both


def test_course_plot_without_the_plots_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _uninstall(monkeypatch, "plots")
    r = runner.invoke(app, ["course", str(EXAMPLE), "--plot", str(tmp_path / "plots")])
    assert r.exit_code == 2
    assert r.stderr == "error: --plot needs the optional extra 'plots': pip install 'alsdx[plots]'\n"
    assert r.stdout == "" and not (tmp_path / "plots").exists()


def test_spark_engine_without_the_spark_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _uninstall(monkeypatch, "spark")
    source = tmp_path / "cohort.parquet"
    source.write_bytes(b"")
    r = runner.invoke(app, ["cohort", "run", str(source), str(tmp_path / "out.parquet"), "--engine", "spark"])
    assert r.exit_code == 2
    assert r.stderr == "error: --engine spark needs the optional extra 'spark': pip install 'alsdx[spark]'\n"
    assert not (tmp_path / "out.parquet").exists()
