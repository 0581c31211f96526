"""Behaviour snapshot: everything alsdx outputs for a fixed set of inputs, so a refactor can prove it changed nothing.

Issue 18 asks that every assessment, plan and cohort output be identical before and after the restructuring.
This script writes one JSON file holding:

- ``examples``: the full assessment (care plan included) of every case in ``examples/cases``, as JSON;
- ``random_cases``: a digest of the full assessment of N case documents drawn, derandomized, from the test
  suite's Hypothesis strategy (every part of the case model, every reading);
- ``cohort``: a digest of every output column of ``alsdx cohort run`` on a synthetic cohort (seed 7).

Run it on two checkouts and compare::

    PYTHONPATH=src python tools/behaviour_snapshot.py before.json            # on the old tree
    PYTHONPATH=src python tools/behaviour_snapshot.py after.json             # on the new tree
    python tools/behaviour_snapshot.py --compare before.json after.json      # exit 1 and a list if they differ

``--cohort-rows`` (default 100,000) and ``--cases`` (default 2,000) set the sizes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _examples() -> dict[str, Any]:
    from alsdx import assess
    from alsdx.model.load import load_case

    return {
        path.name: assess(load_case(path)).model_dump(mode="json")
        for path in sorted((ROOT / "examples" / "cases").glob("*.yaml"))
    }


def _random_documents(n: int) -> list[dict[str, Any]]:
    """N case documents from the suite's strategy; derandomized, so the same N gives the same documents."""
    sys.path.insert(0, str(ROOT / "tests" / "cohort"))
    from cohort_strategies import case_document  # type: ignore[import-not-found]
    from hypothesis import HealthCheck, given, settings

    docs: list[dict[str, Any]] = []

    @settings(
        max_examples=n,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case_document())
    def collect(doc: dict[str, Any]) -> None:
        docs.append({**doc, "id": f"r-{len(docs)}"})

    collect()
    return docs


def _random_cases(n: int) -> dict[str, str]:
    from alsdx import assess_many
    from alsdx.model.case import Case
    from alsdx.rules.criteria.interpretation import Interpretation

    cases = [Case.model_validate(d) for d in _random_documents(n)]
    out: dict[str, str] = {}
    for name, interp in (
        ("default", Interpretation()),
        ("all_readings", Interpretation(*(True,) * len(fields(Interpretation)))),
    ):
        for a in assess_many(cases, interp):
            out[f"{name}/{a.id}"] = _digest(a.model_dump(mode="json"))
    return out


def _cohort(rows: int) -> dict[str, str]:
    import pyarrow.parquet as pq

    from alsdx.cohort.convert import write_synth
    from alsdx.cohort.runner import run_local

    with tempfile.TemporaryDirectory() as tmp:
        source, output = Path(tmp) / "in.parquet", Path(tmp) / "out.parquet"
        write_synth(rows, source, seed=7, progress=False)
        summary = run_local(source, output, workers=1, progress=False)
        table = pq.read_table(output)
        out = {name: _digest(table.column(name).to_pylist()) for name in table.column_names}
        out["_summary"] = _digest(summary.as_dict())
        invalid = output.with_name(output.stem + ".invalid.csv")
        out["_invalid"] = _digest(invalid.read_text() if invalid.exists() else "")
        return out


def compare(before: Path, after: Path) -> int:
    a, b = json.loads(before.read_text()), json.loads(after.read_text())
    differences = []
    for section in sorted(set(a) | set(b)):
        sa, sb = a.get(section, {}), b.get(section, {})
        for key in sorted(set(sa) | set(sb)):
            if key not in sa:
                differences.append(f"{section}/{key}: only in {after}")
            elif key not in sb:
                differences.append(f"{section}/{key}: only in {before}")
            elif sa[key] != sb[key]:
                differences.append(f"{section}/{key}: differs")
    for line in differences:
        print(line)
    sizes = {s: len(a.get(s, {})) for s in a}
    print(f"{len(differences)} difference(s); compared {sizes}")
    return 1 if differences else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", type=Path, nargs="?")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--cases", type=int, default=2_000)
    parser.add_argument("--cohort-rows", type=int, default=100_000)
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if args.output is None:
        parser.error("give OUTPUT or --compare BEFORE AFTER")
    snapshot = {
        "examples": _examples(),
        "random_cases": _random_cases(args.cases),
        "cohort": _cohort(args.cohort_rows),
    }
    args.output.write_text(json.dumps(snapshot, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.output}: { {k: len(v) for k, v in snapshot.items()} }")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
