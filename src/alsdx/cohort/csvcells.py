"""CSV cells that a spreadsheet will not run as formulas.

The invalid-rows side file (``OUT.invalid.csv``) quotes input ids and reasons; a cohort file is data from
elsewhere, and an id such as ``=HYPERLINK("http://…")`` opened in Excel or LibreOffice runs as a formula
(CSV/formula injection; OWASP's "CSV Injection" guidance). A text cell starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading apostrophe, which spreadsheets show as text (issue 15,
finding 11). Numbers (the row and line columns) are written as they are.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: list[object]) -> list[object]:
    return [safe_cell(v) for v in values]
