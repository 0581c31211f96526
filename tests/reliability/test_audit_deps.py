"""The CI dependency audit's verdict (.ci/audit_deps.py) on pip-audit reports of each kind."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("audit_deps", Path(__file__).parents[2] / ".ci" / "audit_deps.py")
assert _spec is not None and _spec.loader is not None
audit_deps = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit_deps)

CLEAN = {"name": "pyyaml", "version": "6.0.3", "vulns": []}
SKIPPED = {"name": "typer", "version": "0.29.2", "skip_reason": "Dependency not found on PyPI"}
VULNERABLE = {
    "name": "jinja2",
    "version": "3.1.2",
    "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"], "aliases": [], "description": ""}],
}


@pytest.mark.parametrize("required", [False, True])
def test_a_vulnerability_fails_ci(required):
    code, lines = audit_deps.verdict({"dependencies": [CLEAN, SKIPPED, VULNERABLE]}, required)
    assert code == 1
    assert "jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in: 3.1.3)" in "\n".join(lines)


def test_clean_audit_passes_and_lists_what_was_not_audited():
    code, lines = audit_deps.verdict({"dependencies": [CLEAN, SKIPPED]}, required=True)
    assert code == 0
    assert lines[0] == "dependency audit: 1 dependencies audited, no known vulnerability"
    assert "typer" in lines[1]


@pytest.mark.parametrize("report", [None, {"dependencies": [SKIPPED, SKIPPED]}, {"dependencies": []}])
def test_unavailable_advisories_warn_by_default_and_fail_when_required(report):
    code, lines = audit_deps.verdict(report, required=False)
    assert code == 0 and "NOT AUDITED" in lines[0]
    code, lines = audit_deps.verdict(report, required=True)
    assert code == 2 and "NOT AUDITED" in lines[0]
