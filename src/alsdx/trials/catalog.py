"""The trials a service screens against: the clinic's trial directory (``ALSDX_TRIALS_DIR``), else the bundled
trials. The web page, ``POST /v1/trials:screen`` (by id) and the CDS Hooks card read this one list, loaded and
checked when the service starts: a bad file stops start-up with the file and criterion named, as a bad ConceptMap
does (docs/trials.md "In the service").
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from alsdx.trials.model import Trial, TrialFileError, bundled_trials, load_trial

ENV_VAR: Final = "ALSDX_TRIALS_DIR"
TRIAL_FILE_SUFFIXES: Final = (".yaml", ".yml", ".json")
MAX_TRIAL_FILES: Final = 200
"""A directory is a clinic's list of open trials, not a registry; more files than this is a wrong directory."""


def trials_from_directory(directory: Path) -> tuple[Trial, ...]:
    """Every trial file (``*.yaml``, ``*.yml``, ``*.json``) of ``directory``, in file-name order; ids unique."""
    where = f"{ENV_VAR}={directory}"
    if not directory.is_dir():
        raise TrialFileError(f"{where}: not a directory; name the directory holding the clinic's trial files")
    files = sorted(p for p in directory.iterdir() if p.suffix.lower() in TRIAL_FILE_SUFFIXES and p.is_file())
    if len(files) > MAX_TRIAL_FILES:
        raise TrialFileError(f"{where}: {len(files)} trial files; at most {MAX_TRIAL_FILES} are read")
    trials: dict[str, Path] = {}
    out = []
    for path in files:
        trial = load_trial(path)
        if trial.id in trials:
            raise TrialFileError(
                f"{path}: trial id {trial.id!r} is also the id of {trials[trial.id].name}; give each trial its own id"
            )
        trials[trial.id] = path
        out.append(trial)
    return tuple(out)


def configured_trials(env: Mapping[str, str] | None = None) -> tuple[Trial, ...]:
    """``ALSDX_TRIALS_DIR``'s trials when set (an empty directory: none), otherwise the bundled trials."""
    env = os.environ if env is None else env
    directory = env.get(ENV_VAR, "").strip()
    if directory:
        return trials_from_directory(Path(directory))
    return tuple(bundled_trials().values())
