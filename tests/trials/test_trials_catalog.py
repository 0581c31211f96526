"""The service's trial list (``ALSDX_TRIALS_DIR`` or the bundled trials): checked at start, ids unique."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alsdx.trials.catalog import ENV_VAR, configured_trials
from alsdx.trials.model import TrialFileError, bundled_trials

TRIAL = "id: {id}\ntitle: T\nsource: test\ncriteria:\n  - {{id: fvc, kind: inclusion, fact: fvc_upright_percent, min: 60}}\n"


def test_unset_means_the_bundled_trials() -> None:
    assert [t.id for t in configured_trials({})] == list(bundled_trials())


def test_directory_replaces_the_bundled_trials_in_file_name_order(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(TRIAL.format(id="second"))
    (tmp_path / "a.json").write_text(
        '{"id": "first", "title": "T", "source": "s", "criteria": [{"id": "c", "kind": "inclusion", "manual": true}]}'
    )
    (tmp_path / "notes.txt").write_text("not a trial")
    assert [t.id for t in configured_trials({ENV_VAR: str(tmp_path)})] == ["first", "second"]


def test_an_empty_directory_means_no_trials(tmp_path: Path) -> None:
    assert configured_trials({ENV_VAR: str(tmp_path)}) == ()


def test_a_bad_file_names_the_file_and_criterion(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(TRIAL.format(id="x").replace("fvc_upright_percent", "fvc_percent"))
    with pytest.raises(
        TrialFileError, match=r"bad.yaml: criterion 'fvc' \(criteria\[0\]\): unknown fact 'fvc_percent'"
    ):
        configured_trials({ENV_VAR: str(tmp_path)})


def test_duplicate_ids_and_a_missing_directory_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(TRIAL.format(id="same"))
    (tmp_path / "b.yml").write_text(TRIAL.format(id="same"))
    with pytest.raises(TrialFileError, match=re.escape("b.yml: trial id 'same' is also the id of a.yaml")):
        configured_trials({ENV_VAR: str(tmp_path)})
    with pytest.raises(TrialFileError, match="not a directory"):
        configured_trials({ENV_VAR: str(tmp_path / "missing")})
