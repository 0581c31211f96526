"""Dependency audit for CI: pip-audit over the installed environment, with an explicit verdict when
advisories cannot be fetched.

pip-audit reads advisories from PyPI's per-release JSON API (https://pypi.org/pypi/NAME/VERSION/json),
so it needs the package registry. Where the registry serves packages but not that API (as on the
project's offline build machine, where every dependency comes back "not found on PyPI"), nothing is
audited; pip-audit itself would still exit 0. This script says so instead:

    exit 0  every dependency audited, no known vulnerability
            (or advisories unavailable and ALSDX_AUDIT is not "required": a loud warning is printed)
    exit 1  a known vulnerability in an installed dependency
    exit 2  advisories unavailable and ALSDX_AUDIT=required (set it where CI has the registry)

Run with the interpreter of the environment to audit: ``.venv/bin/python .ci/audit_deps.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any


def verdict(report: dict[str, Any] | None, required: bool) -> tuple[int, list[str]]:
    """Exit code and message lines for a pip-audit JSON report (None: pip-audit could not run)."""
    if report is None:
        return _unavailable("pip-audit could not reach an advisory service", required)
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if "skip_reason" in d]
    audited = [d for d in deps if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    if vulnerable:
        lines = [f"dependency audit: {len(vulnerable)} vulnerable package(s):"]
        for d in vulnerable:
            for v in d["vulns"]:
                fix = ", ".join(v.get("fix_versions") or []) or "no fixed release"
                lines.append(f"  {d['name']} {d['version']}: {v['id']} (fixed in: {fix})")
        return 1, lines
    if not audited:
        return _unavailable(f"advisories unavailable for all {len(deps)} dependencies", required)
    lines = [f"dependency audit: {len(audited)} dependencies audited, no known vulnerability"]
    if skipped:
        lines.append(f"  not audited ({len(skipped)}): " + ", ".join(sorted(d["name"] for d in skipped)))
    return 0, lines


def _unavailable(why: str, required: bool) -> tuple[int, list[str]]:
    head = f"dependency audit: NOT AUDITED: {why} (pip-audit needs https://pypi.org/pypi/NAME/VERSION/json)"
    if required:
        return 2, [head, "  ALSDX_AUDIT=required: failing"]
    return 0, [head, "  set ALSDX_AUDIT=required where CI has the package registry to make this fail"]


def main() -> int:
    cmd = [sys.executable, "-m", "pip_audit", "-f", "json", "--local", "--skip-editable", "--progress-spinner", "off"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        sys.stderr.write(proc.stderr[-2000:])
        report = None
    code, lines = verdict(report, os.environ.get("ALSDX_AUDIT") == "required")
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
