"""What single addition (else which pair) would raise each criteria set (src/alsdx/next_evidence.py; issue 17)."""

from __future__ import annotations

from pathlib import Path

from alsdx import assess, load_case
from alsdx.rules.criteria import CATEGORIES
from conftest import build_case

UMN = ["hyperreflexia"]
LMN = ["atrophy", "fasciculations"]
WW = ["weakness", "atrophy"]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"


def top(name: str) -> int:
    """The top a set reaches by findings: "definite" (revised El Escorial's familial category ranks above it but
    needs a family history and a variant), Gold Coast "met"."""
    cats = CATEGORIES[name]
    return cats.index("definite") if "definite" in cats else len(cats) - 1


def test_next_evidence_names_the_awaji_emg_that_would_raise() -> None:
    result = assess(build_case(umn={"cervical": UMN, "lumbosacral": ["babinski"]}, lmn={"cervical": LMN}))
    awaji = {(n.evidence, n.would_give) for n in result.criteria.awaji.next_evidence}
    assert any("lumbosacral muscles" in e and g == "probable" for e, g in awaji)
    # the larger addition (fibrillations) is not listed when fasciculation potentials already suffice
    assert not any(e.startswith("EMG fibrillations") and "lumbosacral" in e for e, _ in awaji)


def test_next_evidence_pairs_when_no_single_addition_suffices() -> None:
    result = assess(build_case())
    assert result.criteria.el_escorial_1994.category == "not_met"
    assert any(
        " and " in n.evidence and n.would_give == "possible" for n in result.criteria.el_escorial_1994.next_evidence
    )


def test_top_category_has_no_next_evidence() -> None:
    result = assess(
        build_case(
            umn={"bulbar": UMN, "cervical": UMN, "lumbosacral": UMN},
            lmn={"bulbar": WW, "cervical": WW, "lumbosacral": WW},
        )
    )
    assert result.criteria.awaji.next_evidence == [] and result.criteria.gold_coast.next_evidence == []


def test_every_category_below_the_top_names_what_would_raise_it() -> None:
    """Issue 17: one finding, else two, for every set not at its top (the README's limb-onset-emg: Awaji probable)."""
    for path in sorted(EXAMPLES.glob("*.yaml")):
        result = assess(load_case(path))
        for name, cats in CATEGORIES.items():
            r = getattr(result.criteria, name)
            if cats.index(r.category) < top(name) and r.flags.count("progression_absent") == 0:
                assert r.next_evidence, (path.name, name, r.category)
                assert all(cats.index(n.would_give) > cats.index(r.category) for n in r.next_evidence)
    limb = assess(load_case(EXAMPLES / "limb-onset-emg.yaml"))
    assert limb.criteria.awaji.category == "probable"
    assert any(n.would_give == "definite" for n in limb.criteria.awaji.next_evidence)
