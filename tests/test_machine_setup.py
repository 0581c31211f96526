""".ci/machine_setup.sh (run by `make test`): installs Chromium and starts PostgreSQL when it may (as root),
otherwise stops with one line saying what to do. The system commands are replaced by recording stand-ins."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[1] / ".ci" / "machine_setup.sh"

STANDINS = {
    # `id -u` / `id -un` of the pretended user
    "id": 'if [ "$1" = -u ]; then echo "$FAKE_UID"; else echo "$FAKE_USER"; fi',
    "apt-get": 'echo "apt-get $*" >> "$CALLS"',
    # PostgreSQL answers once pg_ctlcluster has "started" it (or from the start with FAKE_PG_UP=1)
    "pg_isready": '[ "${FAKE_PG_UP:-0}" = 1 ] || [ -e "$CALLS.started" ]',
    "pg_ctlcluster": 'echo "pg_ctlcluster $*" >> "$CALLS"; touch "$CALLS.started"',
    "npm": 'echo "npm $*" >> "$CALLS"',
}


def run_setup(
    tmp_path: Path,
    *,
    root: bool,
    chromium: bool,
    pg_up: bool,
    pg_versions: tuple[str, ...] = ("15",),
    npm_installed: bool = True,
    lock_changed: bool = False,
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in STANDINS.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    browser = tmp_path / "chromium"
    if chromium:
        browser.write_text("#!/bin/sh\n")
        browser.chmod(0o755)
    pg_etc = tmp_path / "etc-postgresql"
    for version in pg_versions:
        (pg_etc / version / "main").mkdir(parents=True)
    node_dir = tmp_path / "node"
    (node_dir / "node_modules").mkdir(parents=True)
    (node_dir / "package-lock.json").write_text("{}")
    if npm_installed:
        (node_dir / "node_modules" / ".package-lock.json").write_text("{}")
    if lock_changed:  # installed long before the lock file was last written
        os.utime(node_dir / "node_modules" / ".package-lock.json", (1, 1))
    calls = tmp_path / "calls"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "ALSDX_CHROMIUM": str(browser),
        "ALSDX_PG_ETC": str(pg_etc),
        "ALSDX_NODE_DIR": str(node_dir),
        "CALLS": str(calls),
        "FAKE_UID": "0" if root else "1000",
        "FAKE_USER": "root" if root else "dev",
        "FAKE_PG_UP": "1" if pg_up else "0",
    }
    r = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, env=env, timeout=60)
    return r, calls.read_text().splitlines() if calls.exists() else []


def test_nothing_to_do_on_a_set_up_machine(tmp_path: Path) -> None:
    r, calls = run_setup(tmp_path, root=True, chromium=True, pg_up=True)
    assert (r.returncode, calls, r.stdout, r.stderr) == (0, [], "", "")


def test_as_root_installs_debian_chromium(tmp_path: Path) -> None:
    r, calls = run_setup(tmp_path, root=True, chromium=False, pg_up=True)
    assert r.returncode == 0, r.stderr
    assert calls == ["apt-get update -q", "apt-get install -y -q chromium"]


def test_not_root_names_the_chromium_package_in_one_line(tmp_path: Path) -> None:
    r, calls = run_setup(tmp_path, root=False, chromium=False, pg_up=True)
    assert r.returncode == 1 and calls == []
    assert len(r.stderr.splitlines()) == 1 and "sudo apt-get install chromium" in r.stderr


def test_as_root_starts_the_newest_postgresql_cluster(tmp_path: Path) -> None:
    r, calls = run_setup(tmp_path, root=True, chromium=True, pg_up=False, pg_versions=("13", "15"))
    assert r.returncode == 0, r.stderr
    assert calls == ["pg_ctlcluster --skip-systemctl-redirect 15 main start"]


@pytest.mark.parametrize(
    ("root", "versions", "advice"),
    [
        (False, ("15",), "sudo pg_ctlcluster 15 main start"),
        (True, (), "sudo apt-get install postgresql"),
    ],
)
def test_postgresql_it_cannot_start_is_one_line(
    tmp_path: Path, root: bool, versions: tuple[str, ...], advice: str
) -> None:
    r, calls = run_setup(tmp_path, root=root, chromium=True, pg_up=False, pg_versions=versions)
    assert r.returncode == 1 and calls == []
    assert len(r.stderr.splitlines()) == 1 and advice in r.stderr


def test_installs_the_pinned_fhir_checks_with_npm_ci(tmp_path: Path) -> None:
    r, calls = run_setup(tmp_path, root=False, chromium=True, pg_up=True, npm_installed=False)
    assert r.returncode == 0, r.stderr
    assert calls == [f"npm ci --prefix {tmp_path / 'node'} --no-audit --no-fund --loglevel=error"]


def test_reinstalls_the_fhir_checks_when_the_lock_file_changed(tmp_path: Path) -> None:
    r, calls = run_setup(tmp_path, root=False, chromium=True, pg_up=True, lock_changed=True)
    assert r.returncode == 0, r.stderr
    assert calls == [f"npm ci --prefix {tmp_path / 'node'} --no-audit --no-fund --loglevel=error"]
