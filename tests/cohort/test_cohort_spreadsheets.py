"""Registry CSVs as spreadsheets export them (issue 14 part 5): Excel's "CSV UTF-8" (a BOM), the European
"CSV" (``;`` between fields, decimal commas), CRLF lines, ids with leading zeros, yes/no in several
languages, NA/N/A/NULL for missing. The files are written byte for byte as Excel writes them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from alsdx.cohort.runner import invalid_path, run_local
from alsdx.cohort.spreadsheet import NO, YES, sniff

HEADER = ["id", "symptom_onset", "assessment_date", "course", "cervical_umn_hoffmann", "cervical_lmn_atrophy",
          "age_at_onset"]  # fmt: skip


def _excel(path: Path, rows: list[list[str]], sep: str = ",", bom: bool = True) -> Path:
    """Rows written as Excel saves them: CRLF line ends, minimal quoting, optionally a UTF-8 BOM."""
    buffer = io.StringIO()
    w = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    w.writerows([HEADER, *rows])
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))
    return path


def _run(source: Path, tmp_path: Path) -> tuple[dict[str, dict], list[list[str]]]:
    out = tmp_path / "out.parquet"
    run_local(source, out, workers=1, progress=False)
    rows = pq.read_table(out).to_pylist()
    with open(invalid_path(out), newline="") as fh:
        side = list(csv.reader(fh))
    assert len({r["id"] for r in rows}) == len(rows)  # no two rows merged into one id
    return {r["id"]: r for r in rows}, side


ROWS = [
    ["0012", "2025-01-01", "2026-01-01", "progressive", "true", "true", "61.5"],
    ["012", "2025-01-01", "2026-01-01", "progressive", "false", "false", ""],
]


@pytest.mark.parametrize("bom", [True, False], ids=["csv-utf8-with-bom", "no-bom"])
def test_leading_zero_ids_stay_text_and_two_patients(tmp_path: Path, bom: bool) -> None:
    rows, side = _run(_excel(tmp_path / "reg.csv", ROWS, bom=bom), tmp_path)
    assert sorted(rows) == ["0012", "012"]
    assert rows["0012"]["el_escorial_1994"] == "possible" and rows["012"]["el_escorial_1994"] == "not_met"
    assert side == [["row", "id", "reason"]]


def test_european_excel_csv_semicolons_and_decimal_commas(tmp_path: Path) -> None:
    rows = [
        ["0012", "2025-01-01", "2026-01-01", "progressive", "WAHR", "ja", "61,5"],
        ["012", "2025-01-01", "2026-01-01", "progressive", "FALSCH", "nein", "62"],
        ["0013", "2025-01-01", "2026-01-01", "progressive", "vrai", "oui", "1,200"],  # ambiguous
    ]
    source = _excel(tmp_path / "reg.csv", rows, sep=";")
    assert sniff(source).delimiter == ";" and sniff(source).decimal_comma
    out, side = _run(source, tmp_path)
    assert out["0012"]["cervical_umn"] and out["0012"]["cervical_lmn_clinical"]
    assert out["012"]["invalid_reason"] is None and not out["012"]["cervical_umn"]
    reason = out["0013"]["invalid_reason"]
    assert reason.startswith("line 4: age_at_onset: '1,200' is ambiguous")
    assert "write 1200 for the whole number, or 1,2 for the decimal" in reason
    assert side[1][:2] == ["2", "0013"]


def test_decimal_comma_value_is_read_as_the_decimal(tmp_path: Path) -> None:
    """61,5 years at onset reads as 61.5 (birth date 1963-07-01 disagrees with 71.5 but not with 61.5)."""
    header = [*HEADER[:-1], "age_at_onset", "birth_date"]
    buffer = io.StringIO()
    w = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    w.writerows([header, ["a", "2025-01-01", "2026-01-01", "progressive", "", "", "61,5", "1963-07-01"],
                 ["b", "2025-01-01", "2026-01-01", "progressive", "", "", "71,5", "1963-07-01"]])  # fmt: skip
    source = tmp_path / "reg.csv"
    source.write_bytes(buffer.getvalue().encode())
    out, _ = _run(source, tmp_path)
    assert out["a"]["invalid_reason"] is None
    assert "age_at_onset" in out["b"]["invalid_reason"]


def test_missing_spellings_are_not_given(tmp_path: Path) -> None:
    rows = [[f"p{i}", "2025-01-01", "2026-01-01", "progressive", token, token, token]
            for i, token in enumerate(["NA", "N/A", "NULL", "null", "#N/A", " ", ""])]  # fmt: skip
    out, side = _run(_excel(tmp_path / "reg.csv", rows), tmp_path)
    assert side == [["row", "id", "reason"]]
    for row in out.values():
        assert row["invalid_reason"] is None
        assert row["regions_not_examined"] == ["bulbar", "cervical", "thoracic", "lumbosacral"]  # all blank


@pytest.mark.parametrize(
    ("yes", "no"),
    [("yes", "no"), ("Y", "N"), ("TRUE", "FALSE"), ("true", "false"), ("1", "0"), ("ja", "nein"), ("oui", "non"),
     ("sí", "no"), ("si", "no"), ("Sim", "Não"), ("VERO", "FALSO"), ("WAAR", "ONWAAR")],
)  # fmt: skip
def test_yes_no_spellings(tmp_path: Path, yes: str, no: str) -> None:
    rows = [["y1", "2025-01-01", "2026-01-01", "progressive", yes, yes, ""],
            ["n1", "2025-01-01", "2026-01-01", "progressive", no, no, ""]]  # fmt: skip
    out, side = _run(_excel(tmp_path / "reg.csv", rows, sep=";"), tmp_path)
    assert side == [["row", "id", "reason"]]
    assert out["y1"]["cervical_umn"] and out["y1"]["cervical_lmn_clinical"]
    assert not out["n1"]["cervical_umn"] and not out["n1"]["cervical_lmn_clinical"]
    assert out["n1"]["regions_not_examined"] == ["bulbar", "thoracic", "lumbosacral"]  # "no" = examined


def test_no_spelling_is_both_yes_and_no() -> None:
    assert not YES & NO


def test_quoted_line_breaks_keep_later_line_numbers_right(tmp_path: Path) -> None:
    """A cell with a line break inside quotes (Alt+Enter in Excel) spans two lines: the rows after it are reported
    on the line they really start on, and nothing is lost."""
    header = ["id", "symptom_onset", "assessment_date", "course", "medications"]
    source = tmp_path / "reg.csv"
    source.write_bytes(
        b"\xef\xbb\xbf" + "\r\n".join([
            ",".join(header),
            'a,2025-01-01,2026-01-01,progressive,"[\r\n]"',
            "b,2025-01-01,2026-01-01,sometimes,",
            "c,2025-01-01,2026-01-01,progressive,",
        ]).encode() + b"\r\n"
    )  # fmt: skip
    out, side = _run(source, tmp_path)
    assert list(out) == ["a", "b", "c"]
    assert out["a"]["invalid_reason"] is None
    assert out["b"]["invalid_reason"].startswith("line 4: ")
    assert [r[:2] for r in side[1:]] == [["1", "b"]]


def test_tab_separated_is_sniffed(tmp_path: Path) -> None:
    source = _excel(tmp_path / "reg.csv", ROWS, sep="\t", bom=False)
    assert sniff(source).delimiter == "\t" and not sniff(source).decimal_comma
    out, _ = _run(source, tmp_path)
    assert sorted(out) == ["0012", "012"]


def test_a_file_that_is_not_utf8_is_refused_with_what_to_do(tmp_path: Path) -> None:
    from alsdx.cohort.conform import CohortInputError

    source = tmp_path / "reg.csv"
    source.write_bytes(
        ";".join(HEADER).encode() + "\r\nM\xfcller;2025-01-01;2026-01-01;progressive;;;\r\n".encode("latin-1")
    )
    with pytest.raises(CohortInputError, match="save the CSV as UTF-8"):
        run_local(source, tmp_path / "out.parquet", workers=1, progress=False)
