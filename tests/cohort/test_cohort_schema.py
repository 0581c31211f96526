"""The flat layout is generated from the case model: every field is covered, codes and sign combinations
are the model's, and a list field without a layout rule is refused."""

from __future__ import annotations

import typing

import pyarrow as pa
import pytest
from pydantic import BaseModel

from alsdx.cohort import schema as sch
from alsdx.cohort.schema import CODE, flat_fields, flat_schema
from alsdx.columns.codes import SIGN_COLUMNS, VARIANT_COLUMNS, sign_column
from alsdx.model.case import Case
from alsdx.model.vocab import UMN_SIGN_ONLY_IN


def _leaf_paths(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every field path of the case model (descending into nested models, not into list items)."""
    out = set()
    for name, info in model.model_fields.items():
        base, _, _ = sch._unwrap(info.annotation)
        if isinstance(base, type) and issubclass(base, BaseModel):
            out |= _leaf_paths(base, (*prefix, name))
        else:
            out.add((*prefix, name))
    return out


def test_every_case_field_has_columns():
    covered = {f.path for f in flat_fields()}
    missing = _leaf_paths(Case) - covered
    assert not missing, f"case fields without a flat column: {missing}"


def test_sign_columns_are_the_kernels_names_for_allowed_combinations_only():
    signs = {f.name for f in flat_fields() if f.rule == "contains" and ("_umn_" in f.name or "_lmn_" in f.name)}
    assert signs <= set(SIGN_COLUMNS)
    assert sign_column("cervical", "umn", "hoffmann") in signs
    for sign, region in UMN_SIGN_ONLY_IN.items():
        for other in ("bulbar", "cervical", "thoracic", "lumbosacral"):
            assert (sign_column(other, "umn", sign) in signs) == (other == region)


def test_codes_are_the_models_literals():
    by_name = sch.fields_by_name()
    assert by_name["course"].allowed == typing.get_args(Case.model_fields["course"].annotation)
    assert by_name["course"].type == CODE and by_name["course"].required
    assert by_name["sex"].default == "unknown" and not by_name["sex"].required
    assert by_name["cervical_spine_mri"].default == "not_done"


def test_variants_one_column_per_known_gene_plus_other():
    assert [f.name for f in flat_fields() if f.rule == "plp"] == list(VARIANT_COLUMNS)


def test_optional_group_fields_stay_null_and_latest_rules_are_typed():
    by_name = sch.fields_by_name()
    assert by_name["ncs_motor_conduction_block"].default is None  # NCS not done is not "no block"
    assert by_name["ck_u_per_l"].rule == "latest" and by_name["ck_u_per_l_date"].type == pa.date32()
    assert by_name["alsfrs_r_speech"].type == pa.int8() and by_name["alsfrs_r_speech"].le == 4
    assert by_name["fvc_supine_percent_predicted"].gt == 10 and by_name["fvc_supine_percent_predicted"].le == 200


def test_emg_is_a_list_of_records_with_the_model_fields():
    emg = sch.fields_by_name()["emg"]
    struct = emg.type.value_type
    assert [struct.field(i).name for i in range(struct.num_fields)] == [
        "muscle",
        "side",
        "region",
        "roots",
        "nerve",
        "fibrillations_psw",
        "fasciculation_potentials",
        "chronic_neurogenic",
    ]
    assert struct.field("roots").type == pa.list_(pa.string())


def test_schema_metadata_names_sources():
    field = flat_schema().field("cervical_umn_hoffmann")
    assert field.metadata[b"source"] == b"exam.cervical.umn contains hoffmann"


def test_a_list_field_without_a_rule_is_refused():
    class Extra(BaseModel):
        when: int

    class Widened(BaseModel):
        id: str
        notes: list[Extra]

    with pytest.raises(TypeError, match="no flat-layout rule"):
        sch._walk(Widened, (), "", top=True)
