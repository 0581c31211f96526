"""Hostile input to the case parser: the only outcomes are a Case or a typed alsdx error.

Every parsed case must also go through ``assess`` and give strict JSON (no NaN), because a case the
parser accepts is a case every door will try to assess.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hostile_values import FUZZ, json_values, mutated, paths
from hypothesis import example, given
from hypothesis import strategies as st

from alsdx.engine.assess import assess
from alsdx.errors import AlsdxError, CaseFileError, CaseValidationError
from alsdx.model.case import Case
from alsdx.model.load import MAX_CASE_BYTES, MAX_YAML_BYTES, load_case, parse_case_text

EXAMPLES = sorted(Path(__file__).resolve().parents[2].joinpath("examples", "cases").glob("*.yaml"))
BASES = [yaml.safe_load(p.read_text()) for p in EXAMPLES]
FIELD_NAMES = sorted({str(path[-1]) for base in BASES for path in paths(base) if isinstance(path[-1], str)})
"""Real field names, so that added keys are often duplicates or near misses rather than noise."""


def outcome(text: str) -> Case | AlsdxError:
    """Parse; a typed error is an outcome, any other exception fails the test."""
    try:
        case = parse_case_text(text)
    except AlsdxError as exc:
        assert str(exc), "a typed error must carry a message"
        return exc
    json.dumps(assess(case).model_dump(mode="json"), allow_nan=False)
    return case


def _yaml(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True)


@FUZZ
@given(st.text(max_size=2000))
@example("{")
@example("[1, 2")
@example(": :")
@example("- - - -")
@example("!!binary aGk=")
@example("\ufeffid: x")
def test_arbitrary_text(text):
    outcome(text)


@FUZZ
@given(json_values)
def test_arbitrary_json_and_yaml_values(value):
    outcome(json.dumps(value))
    outcome(_yaml(value))


@FUZZ
@given(st.data())
def test_mutated_example_cases(data):
    base = data.draw(st.sampled_from(BASES))
    doc = data.draw(mutated(base, keys=st.sampled_from(FIELD_NAMES) | st.text(max_size=12)))
    result = outcome(json.dumps(doc, default=str))
    if isinstance(result, CaseValidationError):
        assert result.errors and all(e.path for e in result.errors), "validation errors name a field path"
    outcome(_yaml(json.loads(json.dumps(doc, default=str))))


@pytest.mark.parametrize("depth", [50, 1_000, 100_000])
@pytest.mark.parametrize(
    "make",
    [
        lambda n: "[" * n + "]" * n,  # JSON arrays
        lambda n: '{"a":' * n + "1" + "}" * n,  # JSON objects
        lambda n: "[" * n,  # unterminated: JSON fails, YAML tries next
        lambda n: "a: " * n + "1",  # YAML compact nested mappings? (invalid: becomes an error)
        lambda n: "".join("  " * i + "- \n" for i in range(min(n, 1_000))),  # YAML block sequences
    ],
    ids=["json-arrays", "json-objects", "unterminated", "yaml-inline-maps", "yaml-block"],
)
def test_deep_nesting_is_a_typed_error(make, depth):
    with pytest.raises(AlsdxError):
        parse_case_text(make(depth))


@pytest.mark.parametrize(
    "text",
    [
        '{"id": "a", "age_at_onset": ' + "9" * 5_000 + "}",
        "id: a\nage_at_onset: " + "9" * 5_000,
        "id: a\nage_at_onset: 0x" + "f" * 5_000,
    ],
    ids=["json", "yaml", "yaml-hex"],
)
def test_integer_with_thousands_of_digits_is_a_typed_error(text):
    with pytest.raises(AlsdxError):
        parse_case_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "id: a\nsymptom_onset: 2025-02-30\n",
        "id: a\nsymptom_onset: 2025-13-01\n",
        "id: a\nsymptom_onset: 2025-01-01 25:00:00\n",
    ],
)
def test_impossible_yaml_timestamp_is_a_typed_error(text):
    with pytest.raises(AlsdxError):
        parse_case_text(text)


def test_huge_document_is_refused_before_parsing():
    with pytest.raises(CaseFileError, match="larger than"):
        parse_case_text("id: " + "a" * MAX_CASE_BYTES)


def test_huge_string_in_a_field_is_a_validation_error():
    with pytest.raises(CaseValidationError) as info:
        parse_case_text(json.dumps({**BASES[0], "id": "a" * (MAX_CASE_BYTES - 10_000)}, default=str))
    assert [e.path for e in info.value.errors] == ["id"]


@pytest.mark.parametrize(
    "text",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:os.system ['touch {marker}']",
        "id: !!python/name:os.system",
        "id: !!python/module:os",
        "!!python/object:pathlib.Path {{}}",
        "!!python/object/apply:subprocess.check_output [['touch', '{marker}']]",
    ],
)
def test_python_tags_are_refused_and_run_nothing(text, tmp_path):
    marker = tmp_path / "ran"
    with pytest.raises(CaseFileError, match="tag"):
        parse_case_text(text.format(marker=marker))
    assert not marker.exists()


@pytest.mark.parametrize(
    "text",
    [
        # billion laughs: 9 levels of 9 aliases
        "a0: &a0 [lol]\n" + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)),
        "base: &b {id: x}\ncase:\n  <<: *b\n",
        "a: &a [*a]\n",  # self-reference
    ],
    ids=["billion-laughs", "merge-key-alias", "recursive-alias"],
)
def test_yaml_aliases_are_refused(text):
    with pytest.raises(CaseFileError, match="aliases"):
        parse_case_text(text)


@pytest.mark.parametrize("twice", ['{"id": "a", "id": "b"}', "id: a\nid: b\n", "exam:\n  bulbar: {}\n  bulbar: {}\n"])
def test_duplicate_keys_are_refused(twice):
    with pytest.raises(CaseFileError, match="duplicate"):
        parse_case_text(twice)


def test_duplicate_keys_name_the_field():
    doc = json.dumps(BASES[0], default=str)[:-1] + ', "course": "not_progressive"}'
    with pytest.raises(CaseFileError, match="'course'"):
        parse_case_text(doc)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252", "utf-8-sig"])
def test_case_file_in_another_encoding(tmp_path, encoding):
    text = EXAMPLES[0].read_text(encoding="utf-8").replace("#", "# é ", 1)
    path = tmp_path / "case.yaml"
    path.write_bytes(text.encode(encoding))
    try:
        case = load_case(path)
    except CaseFileError as exc:
        assert "UTF-8" in str(exc)
    else:  # UTF-8 with a byte-order mark is still UTF-8
        assert encoding == "utf-8-sig"
        assert case == load_case(EXAMPLES[0])


@FUZZ
@given(st.binary(max_size=4000))
@example(codecs.BOM_UTF16_LE + "id: x".encode("utf-16-le"))
@example(b"\xff\xfe\x00\x00")
@example(b"id: \xc3\x28")
def test_arbitrary_bytes_file(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("bytes") / "case.json"
    path.write_bytes(raw)
    with contextlib.suppress(AlsdxError):
        load_case(path)


def test_unreadable_path_is_a_typed_error(tmp_path):
    with pytest.raises(CaseFileError, match="cannot read"):
        load_case(tmp_path)  # a directory
    with pytest.raises(CaseFileError, match="cannot read"):
        load_case(tmp_path / "missing.yaml")


@pytest.mark.parametrize(
    "text",
    [
        "a: [" + ",".join(["1"] * 40_000) + "]",  # the slowest shape for PyYAML: 43 s at 1.8 MB
        "- a\n" * 20_000,
        "\n".join(f"k{i}: {i}" for i in range(10_000)),
    ],
    ids=["flow-list", "block-list", "many-keys"],
)
def test_large_yaml_is_refused_before_parsing(text):
    assert MAX_YAML_BYTES < len(text) < MAX_CASE_BYTES
    with pytest.raises(CaseFileError, match="use JSON for large cases"):
        parse_case_text(text)


def test_large_json_is_still_read():
    doc = {**json.loads(json.dumps(BASES[0], default=str)), "padding": "x" * (MAX_YAML_BYTES * 2)}
    with pytest.raises(CaseValidationError) as info:
        parse_case_text(json.dumps(doc))
    assert [e.path for e in info.value.errors] == ["padding"]


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 40 + "]" * 40,  # not JSON (the leading key), so the YAML loader sees it
        "".join("  " * i + "- \n" for i in range(40)),
        "".join("  " * i + f"k{i}:\n" for i in range(40)) + "  " * 40 + "1\n",
        json.dumps(json.loads("[" * 40 + "]" * 40)),
    ],
    ids=["yaml-flow", "yaml-block-seq", "yaml-block-map", "json"],
)
def test_nesting_beyond_the_limit_names_the_reason(text):
    with pytest.raises(CaseFileError, match="nested more than 32 levels"):
        parse_case_text(text)


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("9999-12-31", "assessment_date"),  # crashed the care plan (date + 12 months overflowed)
        ("2200-01-01", "assessment_date"),
        ("1849-12-31", "symptom_onset"),
    ],
)
def test_dates_outside_the_supported_range_name_the_field(value, field):
    doc = {**json.loads(json.dumps(BASES[0], default=str)), field: value}
    with pytest.raises(CaseValidationError) as info:
        parse_case_text(json.dumps(doc))
    assert field in [e.path for e in info.value.errors]
    assert "outside 1850-01-01 to 2199-12-31" in str(info.value)


def test_last_supported_assessment_date_assesses():
    """Today is the latest assessment date (issue 14: a date after today is a typing error); the model's
    outer bound 2199-12-31 still keeps every other date inside Python's calendar."""
    today = dt.date.today().isoformat()
    doc = {**json.loads(json.dumps(BASES[0], default=str)), "assessment_date": today}
    assert outcome(json.dumps(doc)).assessment_date.isoformat() == today  # type: ignore[union-attr]
    late = outcome(json.dumps({**doc, "assessment_date": "2199-12-31"}))
    assert isinstance(late, CaseValidationError) and "is after today" in str(late)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2025-02-30", "2025-02-30"),
        ("2025-01-01 10:00:00", "2025-01-01 10:00:00"),
    ],
)
def test_yaml_dates_are_checked_by_the_case_model(text, reason):
    yaml_doc = _yaml(json.loads(json.dumps(BASES[0], default=str))).replace(
        f"symptom_onset: '{BASES[0]['symptom_onset']}'", f"symptom_onset: {text}"
    )
    assert f"symptom_onset: {text}" in yaml_doc
    with pytest.raises(CaseValidationError) as info:
        parse_case_text(yaml_doc)
    assert [e.path for e in info.value.errors] == ["symptom_onset"]
    assert reason in str(info.value)


def test_plain_yaml_dates_still_read():
    assert parse_case_text(EXAMPLES[0].read_text()) == load_case(EXAMPLES[0])
