"""pyproject.toml against the code: the core install carries every package the code imports, except the
optional extras' packages, which only their own modules import; no package is pinned twice; ruff is pinned to
one version. (.ci/wheel_smoke.sh checks the same end to end on an installed wheel.)"""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from alsdx.extras import EXTRAS

ROOT = Path(__file__).parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
OPTIONAL = PROJECT["optional-dependencies"]
# The only modules that import an extra's package (each checks first with alsdx.extras.missing_extra).
EXTRA_MODULES = {"matplotlib": {"src/alsdx/report/plots.py"}, "pyspark": {"src/alsdx/cohort/spark.py"}}


def _names(requirements: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(r).name) for r in requirements}


def _closure(requirements: list[str]) -> set[str]:
    """The distributions these requirements install (with their extras), as pip resolved them here."""
    seen: set[str] = set()
    todo = [Requirement(r) for r in requirements]
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        for line in metadata.requires(req.name) or []:
            dep = Requirement(line)
            if dep.marker is None or any(dep.marker.evaluate({"extra": e}) for e in ("", *req.extras)):
                todo.append(dep)
    return seen


def _third_party_imports() -> dict[str, set[str]]:
    """top-level module -> the files of src/alsdx importing it (anywhere in the file, lazily or not)."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / "src" / "alsdx").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top not in sys.stdlib_module_names and top != "alsdx":
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_the_core_install_carries_every_import_but_the_extras() -> None:
    core = _closure(PROJECT["dependencies"])
    distributions = metadata.packages_distributions()
    for module, files in _third_party_imports().items():
        if module in EXTRA_MODULES:
            assert files == EXTRA_MODULES[module], f"{module} (an optional extra) imported by {sorted(files)}"
            continue
        dists = {canonicalize_name(d) for d in distributions.get(module, [module])}
        assert dists & core, f"{module} (imported by {sorted(files)}) is not installed by the core dependencies"


def test_the_extras_are_the_optional_features_and_the_former_ones_are_empty() -> None:
    assert set(EXTRAS) <= set(OPTIONAL)
    for extra, module in EXTRAS.items():
        assert module in {canonicalize_name(n) for n in _names(OPTIONAL[extra])}
    assert OPTIONAL["fhir"] == [] and OPTIONAL["cds"] == []  # now in the core; kept so old commands still work
    assert {"fhir-resources", "phenopackets", "pyjwt", "httpx"} <= _names(PROJECT["dependencies"])


def test_no_package_is_pinned_twice() -> None:
    core = _names(PROJECT["dependencies"])
    for extra, requirements in OPTIONAL.items():
        names = [canonicalize_name(Requirement(r).name) for r in requirements]
        assert len(names) == len(set(names)), extra
        assert not (set(names) & core), f"[{extra}] repeats core dependencies: {set(names) & core}"
    extras_only = [n for e in EXTRAS for n in _names(OPTIONAL[e])]
    assert not (set(extras_only) & _names(OPTIONAL["dev"])), "dev repeats an extra (use alsdx[extra])"


def test_ruff_is_pinned_to_one_version() -> None:
    (ruff,) = [Requirement(r) for r in OPTIONAL["dev"] if Requirement(r).name == "ruff"]
    (spec,) = ruff.specifier
    assert spec.operator == "=="
