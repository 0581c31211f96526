"""CSV files as spreadsheets export them: the separator and decimal mark of the file, and the spellings of
yes/no and "missing" that registries type. One place for these conventions; ``alsdx.cohort.text`` reads
the cells with them and ``alsdx.cohort.reader`` opens the file with them.

Sources: RFC 4180 (CSV; double-quoted fields may hold separators and line breaks); Microsoft Excel's
"CSV UTF-8" export writes a UTF-8 byte-order mark, and where the regional settings use a decimal comma
(most of continental Europe, Latin America) Excel saves "CSV" with ``;`` between fields and ``,`` as the
decimal mark (Windows "list separator" setting); Excel's localised TRUE/FALSE values from Microsoft's
function-name translations (de WAHR/FALSCH, fr VRAI/FAUX, es VERDADERO/FALSO, it VERO/FALSO, pt
VERDADEIRO/FALSO, nl WAAR/ONWAAR, sv SANT/FALSKT, da SAND/FALSK, nb SANN/USANN, fi TOSI/EPÄTOSI,
pl PRAWDA/FAŁSZ); yes/no words of the same languages; ``#N/A`` is Excel's "value not available".
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

YES: Final = frozenset(
    {
        "true", "1", "yes", "y",  # en
        "ja", "j", "wahr",  # de (ja also nl, sv, da, nb)
        "oui", "vrai",  # fr
        "sí", "si", "verdadero",  # es (si also it)
        "vero",  # it
        "sim", "verdadeiro",  # pt
        "waar",  # nl
        "sant", "sand", "sann",  # sv, da, nb
        "kyllä", "tosi",  # fi
        "tak", "prawda",  # pl
    }
)  # fmt: skip
NO: Final = frozenset(
    {
        "false", "0", "no", "n",  # en (no also es, it)
        "nein", "falsch",  # de
        "non", "faux",  # fr
        "falso",  # es, it, pt
        "não", "nao",  # pt
        "nee", "onwaar",  # nl
        "nej", "nei", "falskt", "falsk", "usann",  # sv, da, nb
        "ei", "epätosi",  # fi
        "nie", "fałsz",  # pl
    }
)  # fmt: skip
"""Yes/no cell spellings (compared in lower case, after trimming spaces)."""

MISSING: Final = frozenset({"", "na", "n/a", "null", "#n/a"})
"""Cells read as "not given" in every column (compared in lower case, after trimming spaces)."""

SEPARATORS: Final = (",", ";", "\t")

AMBIGUOUS_NUMBER: Final = r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$"
"""``1,200`` / ``1.200`` in a file with decimal commas: one thousand two hundred, or one point two? Refused."""
DECIMAL_COMMA: Final = r"^[+-]?(\d+,\d*|,\d+)$"


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str
    decimal_comma: bool
    """Numbers may be written with a decimal comma (files separated by ``;``, as Excel saves them where the
    comma is the decimal mark)."""
    names: tuple[str, ...]


def sniff(path: Path) -> CsvDialect:
    """The separator is the one that splits the header line into the most column names (a header holds
    names, never separators); ``;`` means decimal commas are expected. A UTF-8 BOM is skipped."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            header = fh.readline()
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text; save the CSV as UTF-8 (Excel: 'CSV UTF-8')") from None
    best = max(SEPARATORS, key=lambda sep: len(next(csv.reader([header], delimiter=sep), [])))
    names = tuple(next(csv.reader([header], delimiter=best), []))
    return CsvDialect(best, best == ";", names)


def is_ambiguous(text: str) -> bool:
    return re.fullmatch(AMBIGUOUS_NUMBER, text) is not None
