"""First start of the service: an admin account and, on an empty registry, a few demo patients."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from alsdx.errors import AlsdxError
from alsdx.model.load import load_case
from alsdx.store import accounts, registry
from alsdx.store.schema import Patient

ADMIN_NAME = "admin"
DEMO_CLINIC = "Demo clinic"


def default_demo_dir() -> Path | None:
    """``examples/cases`` of the source checkout (the package is installed editable by ``make run``),
    else of the working directory."""
    for base in (Path(__file__).resolve().parents[3], Path.cwd()):
        candidate = base / "examples" / "cases"
        if candidate.is_dir():
            return candidate
    return None


def ensure_admin(sessions: sessionmaker[Session]) -> str | None:
    """Create user ``admin`` (clinic "Demo clinic") when there are no users; returns its new password."""
    with sessions.begin() as s:
        if accounts.has_users(s):
            return None
        password = accounts.random_password()
        accounts.create_user(s, ADMIN_NAME, password, "admin", DEMO_CLINIC)
        return password


def demo_name(path: Path) -> str:
    """'lmn-conduction-block.yaml' -> 'Demo: LMN conduction block'."""
    words = [w.upper() if w in ("lmn", "umn", "emg", "als", "pls") else w for w in path.stem.split("-")]
    return "Demo: " + " ".join(words)


def load_demo_patients(sessions: sessionmaker[Session], case_files: Iterable[Path]) -> int:
    """Store each case file as a patient with one visit in the demo clinic, if there are no patients yet."""
    with sessions.begin() as s:
        if (s.scalar(select(func.count()).select_from(Patient)) or 0) > 0:
            return 0
        clinic = accounts.get_or_create_clinic(s, DEMO_CLINIC)
        loaded = 0
        for path in sorted(case_files):
            try:
                case = load_case(path)
            except AlsdxError:
                continue  # a broken example is not a reason to refuse to start
            patient = registry.create_patient(s, clinic.id, case.id, demo_name(path))
            registry.add_visit(s, patient, case.model_dump(mode="json"), None)
            loaded += 1
        return loaded
