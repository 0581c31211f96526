"""The one clinical vocabulary: how nerves, muscles, roots, signs, sides and sex are written, and what they mean.

Every door (the case model, the cohort row checks, the importers, the web form) reads written values through
these functions, so a value written one way in a YAML file and another in a registry export means the same.
A function returns the canonical value or raises :class:`VocabularyError`, whose message names what was
written and what to write instead (the nearest accepted value, or the accepted forms).

Written forms are compared after lower-casing and folding ``-``, ``_``, ``.``, ``/`` and spaces into one
space, so ``Deep-Peroneal``, ``deep_peroneal`` and ``deep peroneal nerve`` are one nerve.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

from alsdx.model.muscles import Muscle, muscle_table

GRAY: Final = "Standring S (ed). Gray's Anatomy, 42nd ed. Elsevier 2021"
PRESTON: Final = "Preston DC, Shapiro BE. Electromyography and Neuromuscular Disorders, 3rd ed. Elsevier 2013"
MRC: Final = "Medical Research Council. Aids to the Examination of the Peripheral Nervous System, 5th ed. 2010"
DEJONG: Final = "Campbell WW. DeJong's The Neurologic Examination, 8th ed. Wolters Kluwer 2019"


class VocabularyError(ValueError):
    """A written value the vocabulary does not know; the message says what to write instead."""


def fold(text: str) -> str:
    """Lower case, with ``-``, ``_``, ``.``, ``/`` and runs of spaces folded into one space."""
    return " ".join(re.sub(r"[-_./\u2013\u2014]+", " ", text.lower()).split())


def nearest(written: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The accepted form closest to what was written (difflib's ratio), if any is close."""
    found = difflib.get_close_matches(fold(written), list(choices), n=1, cutoff=cutoff)
    return found[0] if found else None


def _did_you_mean(suggestion: str | None) -> str:
    return f"; did you mean {suggestion!r}?" if suggestion else ""


# --- Nerves -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Nerve:
    """A peripheral nerve trunk (the name the muscle table uses) with the branches and synonyms that
    belong to it: two muscles of one trunk never count as "different peripheral nerves"."""

    name: str
    also: tuple[str, ...]
    source: str


CRANIAL_NUMERALS: Final = {5: "V", 7: "VII", 9: "IX", 10: "X", 11: "XI", 12: "XII"}
"""The motor cranial nerves a case file may name (docs/ruleset.md Decision 20)."""
_ROMAN: Final = {"v": 5, "vii": 7, "ix": 9, "x": 10, "xi": 11, "xii": 12}

NERVES: Final = (
    # Cranial nerves: Gray's 42nd ed., chapters on the cranial nerves (number and name).
    Nerve("trigeminal", ("cn v", "mandibular", "mandibular division", "masseteric"), GRAY),
    Nerve("facial", ("cn vii",), GRAY),
    Nerve("glossopharyngeal", ("cn ix",), GRAY),
    Nerve("vagus", ("cn x",), GRAY),
    Nerve("spinal_accessory", ("accessory", "cn xi", "spinal accessory"), GRAY),
    Nerve("hypoglossal", ("cn xii",), GRAY),
    # Upper limb: branches are given as their parent trunk (Preston & Shapiro, Appendix; MRC Aids figures).
    Nerve("phrenic", (), MRC),
    Nerve("dorsal_scapular", (), MRC),
    Nerve("long_thoracic", (), MRC),
    Nerve("suprascapular", (), MRC),
    Nerve("axillary", ("circumflex",), MRC),
    Nerve("musculocutaneous", (), MRC),
    Nerve("thoracodorsal", (), MRC),
    Nerve("radial", ("posterior interosseous", "pin", "deep radial", "deep branch radial"), PRESTON),
    Nerve("median", ("anterior interosseous", "ain"), PRESTON),
    Nerve("ulnar", ("deep ulnar", "deep branch ulnar"), PRESTON),
    # Trunk: the lower intercostal nerves continue as the thoracoabdominal nerves (Gray's 42nd ed.,
    # abdominal wall); the paraspinal muscles are supplied by the dorsal (posterior) rami.
    Nerve("thoracoabdominal", ("intercostal", "intercostals", "subcostal", "thoracoabdominal intercostal"), GRAY),
    Nerve(
        "dorsal_ramus",
        ("posterior ramus", "dorsal rami", "posterior rami", "dorsal primary ramus", "posterior primary ramus"),
        GRAY,
    ),
    # Lower limb: fibular = peroneal (Terminologia Anatomica, Gray's 42nd ed.); the deep and superficial
    # fibular nerves are the common fibular nerve's branches; the plantar nerves end the tibial nerve, whose
    # older name below the knee is posterior tibial (Preston & Shapiro, Appendix).
    Nerve("femoral", (), MRC),
    Nerve("obturator", (), MRC),
    Nerve("superior_gluteal", (), MRC),
    Nerve("inferior_gluteal", (), MRC),
    Nerve("sciatic", (), MRC),
    Nerve(
        "peroneal",
        (
            "fibular",
            "common peroneal",
            "common fibular",
            "deep peroneal",
            "deep fibular",
            "superficial peroneal",
            "superficial fibular",
        ),
        GRAY,
    ),
    Nerve("tibial", ("posterior tibial", "medial plantar", "lateral plantar"), PRESTON),
)

_NERVE_NOISE: Final = frozenset({"nerve", "nerves", "n", "branch", "of", "the"})


def _nerve_key(text: str) -> str:
    key = fold(text).replace("cranial nerve", "cn")
    key = re.sub(r"\bcn ?([ivx]+|\d+)\b", _cranial_key, key)
    return " ".join(w for w in key.split() if w not in _NERVE_NOISE)


def _cranial_key(m: re.Match[str]) -> str:
    number = m.group(1)
    n = int(number) if number.isdigit() else _ROMAN.get(number, 0)
    return f"cn {CRANIAL_NUMERALS[n].lower()}" if n in CRANIAL_NUMERALS else m.group(0)


@cache
def nerve_forms() -> dict[str, str]:
    """Every accepted written form (folded) -> canonical trunk."""
    forms: dict[str, str] = {}
    for nerve in NERVES:
        for written in (nerve.name, *nerve.also):
            forms[_nerve_key(written)] = nerve.name
    return forms


def nerve(written: str) -> str:
    """The canonical trunk of a written nerve name (``Deep Peroneal`` -> ``peroneal``, ``CN 11`` ->
    ``spinal_accessory``)."""
    found = nerve_forms().get(_nerve_key(written))
    if found is None:
        guess = nearest(_nerve_key(written), nerve_forms())
        raise VocabularyError(
            f"{written!r} is not a nerve alsdx knows{_did_you_mean(nerve_forms()[guess] if guess else None)} "
            f"(write the nerve trunk, e.g. ulnar, median, radial, peroneal, tibial; branches such as "
            f"deep peroneal or anterior interosseous are read as their trunk)"
        )
    return found


# --- Roots ------------------------------------------------------------------------------------------------

SPINAL: Final = {"c": 8, "t": 12, "l": 5, "s": 5}
SPINAL_ORDER: Final = tuple(f"{s.upper()}{i}" for s, n in SPINAL.items() for i in range(1, n + 1))
CRANIAL_ROOTS: Final = tuple(f"CN {r}" for r in CRANIAL_NUMERALS.values())
ROOTS_HELP: Final = "write roots as e.g. C8, T1 or 'C8-T1', 'L4/L5', 'T10', 'CN XII' (C1-C8, T1-T12, L1-L5, S1-S5)"

REGION_ROOTS: Final[dict[str, frozenset[str]]] = {
    # Segments whose muscles belong to each region of the El Escorial/Gold Coast counting (Brooks 1994:
    # bulbar, cervical = neck, arm, hand and diaphragm, thoracic = back and abdomen, lumbosacral = back,
    # abdomen, leg and foot). T1 also supplies the hand (Preston & Shapiro, Appendix: FDI, APB C8 T1).
    "bulbar": frozenset(CRANIAL_ROOTS),
    "cervical": frozenset({*(f"C{i}" for i in range(1, 9)), "T1"}),
    "thoracic": frozenset(f"T{i}" for i in range(1, 13)),
    "lumbosacral": frozenset({*(f"L{i}" for i in range(1, 6)), *(f"S{i}" for i in range(1, 6))}),
}

_ROOT_TOKEN: Final = re.compile(
    r"(?P<cn>(?:cn|cranial nerve)\s*(?P<cnn>[ivx]+|\d+))"
    r"|(?P<seg>(?P<lvl>th|c|t|d|l|s)\s*(?P<num>\d+))"
    r"|(?P<roman>\b[ivx]+\b)"
    r"|(?P<bare>\d+)"
    r"|(?P<dash>[-\u2010-\u2015~]|\bto\b)"
    r"|(?P<sep>[,;/+&]|\band\b)"
    r"|(?P<space>\s+)"
)


def roots(written: str | Sequence[str]) -> list[str]:
    """Canonical roots, in the order written, each once: ``"C8-T1"``, ``"C8–T1"``, ``"C8, T1"``,
    ``"L4/L5"``, ``"L4-5"``, ``"c8 t1"``, ``"Th10"``/``"D10"`` (dorsal) -> ``T10``, ``"CN 12"``/``"XII"``
    -> ``CN XII``; a list may hold any of these."""
    parts = [written] if isinstance(written, str) else list(written)
    out: list[str] = []
    for part in parts:
        if not isinstance(part, str):
            raise VocabularyError(f"{part!r} is not a root; {ROOTS_HELP}")
        out += _parse_roots(part)
    if not out:
        raise VocabularyError(f"no root given; {ROOTS_HELP}")
    return list(dict.fromkeys(out))


def _parse_roots(text: str) -> list[str]:
    low, pos, tokens = text.lower().strip(), 0, []
    while pos < len(low):
        m = _ROOT_TOKEN.match(low, pos)
        if m is None:
            raise VocabularyError(f"{text!r} is not a list of roots; {ROOTS_HELP}")
        pos = m.end()
        if m.group("cn") or m.group("roman"):
            numeral = m.group("cnn") or m.group("roman")
            n = int(numeral) if numeral.isdigit() else _ROMAN.get(numeral, 0)
            if n not in CRANIAL_NUMERALS:
                raise VocabularyError(
                    f"{text!r}: cranial nerve {numeral.upper()} has no muscle the criteria count "
                    f"(accepted: {', '.join(CRANIAL_ROOTS)})"
                )
            tokens.append(f"CN {CRANIAL_NUMERALS[n]}")
        elif m.group("seg"):
            tokens.append(_segment(m.group("lvl"), int(m.group("num")), text))
        elif m.group("bare"):  # "L4-5": the segment letter of the range's start
            if len(tokens) < 2 or tokens[-1] != "-" or tokens[-2].startswith("CN"):
                raise VocabularyError(f"{text!r}: give each root its segment letter; {ROOTS_HELP}")
            tokens.append(_segment(tokens[-2][0].lower(), int(m.group("bare")), text))
        elif m.group("dash"):
            if not tokens or tokens[-1] == "-":
                raise VocabularyError(f"{text!r}: a range needs a root on each side, e.g. C8-T1")
            tokens.append("-")
    if tokens and tokens[-1] == "-":
        raise VocabularyError(f"{text!r}: a range needs a root on each side, e.g. C8-T1")
    out: list[str] = []
    for i, token in enumerate(tokens):
        if token == "-":
            continue
        if i >= 2 and tokens[i - 1] == "-":
            out += _span(tokens[i - 2], token, text)[1:]
        else:
            out.append(token)
    return out


def _segment(level: str, number: int, text: str) -> str:
    letter = "t" if level in ("th", "d") else level
    if not 1 <= number <= SPINAL[letter]:
        raise VocabularyError(
            f"{text!r}: {letter.upper()}{number} is not a spinal root "
            f"({letter.upper()}1-{letter.upper()}{SPINAL[letter]}); {ROOTS_HELP}"
        )
    return f"{letter.upper()}{number}"


def _span(first: str, last: str, text: str) -> list[str]:
    if first.startswith("CN") or last.startswith("CN"):
        raise VocabularyError(f"{text!r}: list cranial nerves one by one (e.g. CN V, CN VII), not as a range")
    a, b = SPINAL_ORDER.index(first), SPINAL_ORDER.index(last)
    if b < a:
        raise VocabularyError(f"{text!r}: the range {first}-{last} runs backwards; write {last}-{first}")
    return list(SPINAL_ORDER[a : b + 1])


def outside_region(given: Iterable[str], region: str) -> list[str]:
    """The roots that do not belong to a region's segments (a 'cervical' muscle with roots L4-L5)."""
    return [r for r in given if r not in REGION_ROOTS[region]]


# --- Muscles ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MuscleReading:
    """What a written muscle name was read as: a table muscle (or a name outside the table) and, for a
    paraspinal muscle written with its level ("T10 paraspinal"), the roots that level gives."""

    name: str
    in_table: bool
    roots: tuple[str, ...] = ()


@dataclass(frozen=True)
class Abbreviation:
    written: str
    muscle: str
    source: str


@cache
def abbreviations() -> tuple[Abbreviation, ...]:
    """The abbreviation table (package data ``data/muscle_abbreviations.csv``; its header names the sources)."""
    text = resources.files("alsdx.model").joinpath("data/muscle_abbreviations.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return tuple(Abbreviation(fold(r["written"]), r["muscle"], r["source"]) for r in rows)


@cache
def muscle_forms() -> dict[str, str]:
    """Every accepted written form (folded) -> muscle table name."""
    forms = {fold(name): name for name in muscle_table()}
    for a in abbreviations():
        forms[a.written] = a.muscle
    return forms


_PARASPINAL: Final = re.compile(
    r"^(?:(?P<before>(?:th|[ctdls]) ?\d[a-z0-9 ,/\u2013-]*?) )?(?:(?P<region>cervical|thoracic|lumbar|lumbosacral|sacral) )?"
    r"(?:paraspinals?|paravertebrals?)(?: muscles?)?(?: (?:at )?(?P<after>(?:th|[ctdls]) ?\d[a-z0-9 ,/\u2013-]*))?$"
)
_PARASPINAL_REGION: Final = {
    "cervical": "cervical",
    "thoracic": "thoracic",
    "lumbar": "lumbosacral",
    "lumbosacral": "lumbosacral",
    "sacral": "lumbosacral",
}
FDP_PARTS: Final = {"median": "flexor_digitorum_profundus_median", "ulnar": "flexor_digitorum_profundus_ulnar"}
_FDP: Final = frozenset({"fdp", "flexor digitorum profundus"})
_MUSCLE_NOISE: Final = re.compile(r"^m |^musculus | muscles?$")
"""Words around a muscle's name ("m. deltoideus", "tibialis anterior muscle"), never inside it."""


def muscle(written: str, nerve_written: str | None = None) -> MuscleReading:
    """Read an EMG report's muscle name. A name outside the table is kept (as ``snake_case``) for the case to
    give its region, roots and nerve; a near miss of a table name is refused with "did you mean"."""
    key = " ".join(_MUSCLE_NOISE.sub(" ", fold(written)).split())
    if not key:
        raise VocabularyError("no muscle name given (write e.g. first_dorsal_interosseous, FDI or 'tib ant')")
    found = muscle_forms().get(key)
    if found is not None:
        return MuscleReading(found, True)
    if key in _FDP:
        return MuscleReading(_fdp_part(written, nerve_written), True)
    if "paraspinal" in key or "paravertebral" in key:
        return _paraspinal(written, " ".join(re.sub(r"[_.]+| muscles?$", " ", written.lower()).split()))
    name = key.replace(" ", "_")
    if not re.fullmatch(r"[a-z][a-z0-9_]{1,63}", name):
        raise VocabularyError(
            f"{written!r} is not a muscle name: write the muscle in words (letters, digits and spaces, "
            "e.g. first_dorsal_interosseous, FDI or 'tib ant')"
        )
    return MuscleReading(name, False)


def muscle_suggestion(written: str) -> str | None:
    """The table muscle nearest a name the table does not hold (for "did you mean")."""
    guess = nearest(written, muscle_forms(), cutoff=0.75)
    return muscle_forms()[guess] if guess else None


def _fdp_part(written: str, nerve_written: str | None) -> str:
    trunk = nerve(nerve_written) if nerve_written else None
    if trunk in FDP_PARTS:
        return FDP_PARTS[trunk]
    raise VocabularyError(
        f"{written!r}: flexor digitorum profundus has a median part (digits 2-3) and an ulnar part (digits "
        "4-5); write 'FDP 2-3' or 'FDP 4-5', or give nerve: median or nerve: ulnar"
    )


def _paraspinal(written: str, key: str) -> MuscleReading:
    m = _PARASPINAL.match(key)
    levels = [t for t in (m.group("before"), m.group("after")) if t] if m else []
    region_word = m.group("region") if m else None
    if m is None or (not levels and not region_word):
        raise VocabularyError(
            f"{written!r}: give the paraspinal muscle's level, e.g. 'T10 paraspinal' or "
            "thoracic_paraspinal with roots [T10]"
        )
    level_roots = tuple(roots(levels)) if levels else ()
    if region_word:
        region = _PARASPINAL_REGION[region_word]
    else:  # T1 paraspinal muscles are thoracic, though T1 also supplies the hand
        regions = [r for r in ("thoracic", "cervical", "lumbosacral") if not outside_region(level_roots, r)]
        if not regions:
            raise VocabularyError(
                f"{written!r}: the levels {', '.join(level_roots)} span two regions; list one paraspinal "
                "muscle per region"
            )
        region = regions[0]
    return MuscleReading(f"{region}_paraspinal", True, level_roots)


def table_muscle(name: str) -> Muscle | None:
    return muscle_table().get(name)


# --- Signs, symptoms, sides, sex --------------------------------------------------------------------------

SIGN_SYNONYMS: Final[dict[str, tuple[str, ...]]] = {
    # The signs of the El Escorial / Gold Coast lists as examiners write them (DeJong's The Neurologic
    # Examination, 8th ed.: "extensor plantar response (Babinski sign)"; Hoffmann is often spelled Hoffman).
    "babinski": (
        "extensor plantar",
        "extensor plantar response",
        "extensor plantars",
        "babinski sign",
        "upgoing plantar",
        "up going plantar",
        "upgoing toe",
        "upgoing toes",
        "plantar extensor",
    ),
    "hoffmann": ("hoffman", "hoffmann sign", "hoffman sign", "hoffmann reflex", "hoffman reflex"),
    "hyperreflexia": (
        "brisk reflexes",
        "brisk reflex",
        "hyperreflexic",
        "increased reflexes",
        "pathologically brisk reflexes",
        "reflexes brisk",
    ),
    "spasticity": ("spastic", "spastic tone"),
    "clonus": ("sustained clonus", "ankle clonus"),
    "jaw_jerk": ("brisk jaw jerk", "jaw reflex", "brisk jaw reflex", "masseter reflex"),
    "snout": ("snout reflex",),
    "pseudobulbar_affect": ("emotional lability", "pathological laughing and crying", "pseudobulbar"),
    "crossed_adductor": ("crossed adductor reflex", "crossed adductors"),
    "spread_of_reflexes": ("spread reflexes", "reflex spread"),
    "reflex_preserved_in_weak_wasted_muscle": ("preserved reflex in weak wasted muscle",),
    "slowed_movements": ("slow movements",),
    # LMN signs (Gold Coast 2020 / El Escorial: weakness, wasting, fasciculations).
    "atrophy": ("wasting", "muscle wasting", "amyotrophy", "atrophic", "wasted"),
    "fasciculations": ("fasciculation", "fasciculating", "fasics", "fascics"),
    "hyporeflexia": (
        "areflexia",
        "reduced reflexes",
        "absent reflexes",
        "diminished reflexes",
        "hyporeflexic",
        "reflexes reduced",
        "reflexes absent",
        "reduced absent reflexes",
    ),
    "flaccidity": ("flaccid", "flaccid tone"),
    "weakness": ("weak", "paresis"),
}
SYMPTOM_SYNONYMS: Final[dict[str, tuple[str, ...]]] = {
    "sialorrhea": ("sialorrhoea", "drooling", "drooling of saliva"),
    "dysarthria": ("slurred speech",),
    "dysphagia": ("swallowing difficulty", "difficulty swallowing"),
    "voice_change": ("dysphonia", "hoarseness"),
}
SIDES: Final[dict[str, tuple[str, ...]]] = {
    "left": ("l", "lt", "lft", "left side"),
    "right": ("r", "rt", "rgt", "right side"),
    "midline": ("mid", "middle", "centre", "center"),
}
SEXES: Final[dict[str, tuple[str, ...]]] = {
    "male": ("m", "man"),
    "female": ("f", "woman"),
    "other": (),
    "unknown": ("u", "not known"),
}


def _forms(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    forms = {fold(code): code for code in table}
    for code, also in table.items():
        for written in also:
            forms[fold(written)] = code
    return forms


_SIGNS: Final = _forms(SIGN_SYNONYMS)
_SYMPTOMS: Final = _forms(SYMPTOM_SYNONYMS)
_SIDES: Final = _forms(SIDES)
_SEXES: Final = _forms(SEXES)


def _code(written: object, forms: dict[str, str]) -> object:
    """The code a written value stands for; anything else is returned as written, for the field's own
    check to refuse (with its list of accepted codes)."""
    if isinstance(written, str):
        return forms.get(fold(written), written)
    return written


def sign(written: object) -> object:
    """``extensor plantar`` -> ``babinski``, ``Hoffman`` -> ``hoffmann``, ``wasting`` -> ``atrophy`` ..."""
    return _code(written, _SIGNS)


def bulbar_symptom(written: object) -> object:
    return _code(written, _SYMPTOMS)


def side(written: object) -> object:
    """``Left``/``L``/``lt`` -> ``left`` ..."""
    return _code(written, _SIDES)


def sex(written: object) -> object:
    """``Male``/``M`` -> ``male`` ..."""
    return _code(written, _SEXES)


# --- Field names ------------------------------------------------------------------------------------------

FIELD_NAMES_AS_WRITTEN: Final[dict[str, str]] = {
    # EMG reports (Preston & Shapiro 2013, ch. 15: "fibs", "PSWs", "fascics", "large MUPs, reduced recruitment"):
    # the case format keeps one field per finding the criteria read (docs/case-format.md).
    "fibrillations": "fibrillations_psw",
    "fibs": "fibrillations_psw",
    "fibrillation potentials": "fibrillations_psw",
    "positive sharp waves": "fibrillations_psw",
    "psw": "fibrillations_psw",
    "psws": "fibrillations_psw",
    "fibs psw": "fibrillations_psw",
    "fasciculations": "fasciculation_potentials",
    "fascics": "fasciculation_potentials",
    "fasciculation": "fasciculation_potentials",
    "neurogenic": "chronic_neurogenic",
    "chronic neurogenic changes": "chronic_neurogenic",
    "reduced recruitment": "chronic_neurogenic",
    "large mups": "chronic_neurogenic",
    # Demographics and dates as clinic systems name them.
    "dob": "birth_date",
    "date of birth": "birth_date",
    "gender": "sex",
    "onset": "symptom_onset",
    "onset date": "symptom_onset",
    "date of onset": "symptom_onset",
    # A measurement written in another section.
    "fvc": "fvc",
    "fvc percent": "fvc",
    "fvc percent predicted": "fvc",
    "fvc pct": "fvc",
}
"""Field names seen in EMG reports and clinic exports, and the case-format field that holds the same finding. Used
only to say what to write instead: an unknown field is still refused (the contract's names stay one set)."""

ELSEWHERE: Final[dict[str, str]] = {
    "fvc": "FVC goes in its own list: fvc: [{date, percent_predicted, position}]",
}
"""Where a finding written in the wrong section belongs (docs/case-format.md)."""


def unknown_field_hint(written: str, accepted: Iterable[str]) -> str | None:
    """What to write instead of the unknown field ``written`` where ``accepted`` are the fields allowed there:
    the field an EMG report or export name means, else the nearest accepted name, else None."""
    accepted = list(accepted)
    meant = FIELD_NAMES_AS_WRITTEN.get(fold(written))
    if meant in accepted:
        return f"did you mean {meant!r}?"
    if meant in ELSEWHERE:
        return ELSEWHERE[meant]
    by_folded = {fold(name): name for name in accepted}
    near = nearest(written, by_folded)
    return f"did you mean {by_folded[near]!r}?" if near else None
