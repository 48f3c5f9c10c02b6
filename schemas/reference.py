"""Reference data shipped in `data/reference/`: branches, principles and value vocabularies."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache

from schemas.contract import normalise_label
from schemas.resources import reference_csv


@dataclass(frozen=True)
class Branch:
    """One of the twelve ministries' administrative branches."""

    code: str
    name_fi: str
    name_sv: str
    name_en: str
    other_names: tuple[str, ...]


@dataclass(frozen=True)
class Principle:
    """One of the nine digitalisation principles (February 2016)."""

    number: int
    name_fi: str
    name_en: str


def _rows(name: str) -> list[dict[str, str]]:
    with io.TextIOWrapper(reference_csv(name).open("rb"), encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def branches() -> tuple[Branch, ...]:
    """The twelve branches in their official order."""
    return tuple(
        Branch(
            r["code"],
            r["name_fi"],
            r["name_sv"],
            r["name_en"],
            tuple(n for n in r["other_names"].split("|") if n),
        )
        for r in _rows("branches.csv")
    )


@cache
def principles() -> tuple[Principle, ...]:
    """The nine principles, numbered 1-9."""
    return tuple(
        Principle(int(r["number"]), r["name_fi"], r["name_en"]) for r in _rows("principles.csv")
    )


@cache
def branch_aliases() -> dict[str, str]:
    """Map every accepted spelling (normalised) of a branch to its code."""
    out: dict[str, str] = {}
    for b in branches():
        for name in (b.code, b.name_fi, b.name_sv, b.name_en, *b.other_names):
            out[normalise_label(name)] = b.code
    return out


@cache
def principle_aliases() -> dict[str, str]:
    """Map a principle's number or name (fi/en, normalised) to its number as text."""
    out: dict[str, str] = {}
    for p in principles():
        for name in (str(p.number), f"p{p.number}", f"{p.number}.", p.name_fi, p.name_en):
            out[normalise_label(name)] = str(p.number)
            out[normalise_label(f"{p.number} {name}")] = str(p.number)
            out[normalise_label(f"{p.number}. {name}")] = str(p.number)
    return out


@cache
def vocabulary(field: str) -> tuple[tuple[str, ...], dict[str, str], dict[str, str]]:
    """Return (canonical values, alias -> value, value -> English label) for a field."""
    rows = [r for r in _rows("vocabulary.csv") if r["field"] == field]
    values = tuple(r["value"] for r in rows)
    aliases = {
        normalise_label(a): r["value"] for r in rows for a in (r["value"], *r["aliases"].split("|"))
    }
    labels_en = {r["value"]: r["label_en"] for r in rows}
    return values, aliases, labels_en
