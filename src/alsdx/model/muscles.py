"""The shipped muscle table (package data ``data/muscles.csv``; its header names the sources)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Muscle:
    name: str
    region: str
    roots: tuple[str, ...]
    """Empty for paraspinal muscles, whose level the case file must give."""
    nerve: str


@cache
def muscle_table() -> dict[str, Muscle]:
    text = resources.files("alsdx.model").joinpath("data/muscles.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {r["name"]: Muscle(r["name"], r["region"], tuple(_split_roots(r["roots"])), r["nerve"]) for r in rows}


def _split_roots(text: str) -> list[str]:
    """'C5 C6' -> ['C5', 'C6']; 'CN XII' stays one root."""
    out: list[str] = []
    for token in text.split():
        if out and out[-1] == "CN":
            out[-1] = f"CN {token}"
        else:
            out.append(token)
    return out
