"""`alsdx user add`, `alsdx token create` and the first-start bootstrap of `alsdx serve`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from alsdx.api.bootstrap import default_demo_dir, ensure_admin, load_demo_patients
from alsdx.cli import app
from alsdx.store import accounts, open_store, registry

runner = CliRunner()


@pytest.fixture
def db_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("ALSDX_DATABASE_URL", url)
    return url


def test_user_add_then_token_create_prints_a_working_token(db_env: str) -> None:
    r = runner.invoke(
        app,
        ["user", "add", "ana", "--role", "clinician", "--clinic", "North", "--password-stdin"],
        input="long-password-1\n",
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["token", "create", "ana", "--days", "2"])
    assert r.exit_code == 0, r.output
    token = r.output.strip().splitlines()[-1]
    with open_store(db_env).begin() as s:
        who = accounts.authenticate(s, token)
        assert who is not None and (who.name, who.clinic_name) == ("ana", "North")
        assert accounts.check_password(s, "ana", "long-password-1") is not None


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["user", "add", "ana", "--role", "clinician", "--clinic", "N", "--password-stdin"],
            "short\n",
            "password",
        ),
        (
            ["user", "add", "ana", "--role", "nurse", "--clinic", "N", "--password-stdin"],
            "long-password-1\n",
            "role",
        ),
        (["token", "create", "nobody"], "", "no user named"),
    ],
)
def test_bad_requests_exit_2_with_a_message(db_env: str, args: list[str], stdin: str, message: str) -> None:
    r = runner.invoke(app, args, input=stdin)
    assert r.exit_code == 2 and message in r.output


def test_duplicate_user_is_refused(db_env: str) -> None:
    args = ["user", "add", "ana", "--role", "admin", "--clinic", "N", "--password-stdin"]
    assert runner.invoke(app, args, input="long-password-1\n").exit_code == 0
    r = runner.invoke(app, args, input="long-password-1\n")
    assert r.exit_code == 2 and "already exists" in r.output


def test_first_start_creates_one_admin_and_demo_patients(db_env: str) -> None:
    sessions = open_store(db_env)
    password = ensure_admin(sessions)
    assert password is not None and ensure_admin(sessions) is None
    folder = default_demo_dir()
    assert folder is not None
    n = len(list(folder.glob("*.yaml")))
    assert n >= 3 and load_demo_patients(sessions, folder.glob("*.yaml")) == n
    assert load_demo_patients(sessions, folder.glob("*.yaml")) == 0  # not on a non-empty registry
    with sessions.begin() as s:
        admin = accounts.check_password(s, "admin", password)
        assert admin is not None and admin.role == "admin"
        rows, total = registry.list_patients(s, admin.clinic_id)
        assert total == n and all(r.visits == 1 for r in rows)
        assert "example-bulbar-onset" in [r.patient.reference for r in rows]
