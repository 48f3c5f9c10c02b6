"""How the report words and colours things: Finnish and English number, date and value formats,
the names of categories, the colour of a status. Texts come from `schemas.catalogue`; how an
indicator's value reads and which word its yellow takes come from its spec (`schemas.results`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from functools import cache

from schemas.catalogue import translate
from schemas.datasets import ENGAGEMENTS
from schemas.periods import parse_period, period_start
from schemas.reference import branches, vocabulary
from schemas.results import Reading, Status, indicator_spec

NBSP = "\u00a0"

# The one palette: status colours (cards, tables, charts) and what each assessment's colour is.
STATUS_COLOURS = {
    Status.GREEN: "#66bb6a",
    Status.YELLOW: "#ffd54f",
    Status.RED: "#ef5350",
    Status.GREY: "#bdbdbd",
}
NO_COLOUR = "#ffffff"  # a cell without a status (a principle not assessed)
# A shape beside every colour, so a status never rests on colour alone.
STATUS_SYMBOLS = {Status.GREEN: "✓", Status.YELLOW: "◐", Status.RED: "✗", Status.GREY: "–"}
ASSESSMENT_STATUS = {
    "toteutuu": Status.GREEN,
    "osittain": Status.YELLOW,
    "ei toteudu": Status.RED,
    "ei arvioitavissa": Status.GREY,
}
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_VOCABULARY_FIELDS = (
    "service_concept",
    "status",
    "influence_level",
    "project_stage",
    "priority",
    "support_areas",
    "investment_advice",
    "assessment",
)


def format_number(value: float | int | None, language: str, digits: int = 0) -> str:
    """Format 1234.5 as '1 234,50' (fi, no-break spaces) or '1,234.50' (en); None as '–'."""
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    if language == "fi":
        text = text.replace(",", NBSP).replace(".", ",").replace("-", "−")
    return text


def format_percent(value: float | None, language: str, digits: int = 0) -> str:
    """Format a share 0.96 as '96 %' (fi) or '96%' (en)."""
    if value is None:
        return "–"
    number = format_number(value * 100, language, digits)
    return f"{number}{NBSP}%" if language == "fi" else f"{number}%"


def format_date(value: date | str | None, language: str) -> str:
    """Format a date (or ISO string) as '30.6.2018' (fi) or '30 June 2018' (en)."""
    if value is None:
        return "–"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    if language == "fi":
        return f"{day.day}.{day.month}.{day.year}"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def format_day_month(value: date, language: str) -> str:
    """Format a date without its year: '1.1.' (fi) or '1 January' (en)."""
    if language == "fi":
        return f"{value.day}.{value.month}."
    return f"{value.day} {_MONTHS_EN[value.month - 1]}"


def status_colour(status: str | None) -> str:
    """Return the colour of a status (white for none or an unknown word)."""
    if status is None or status not in STATUS_COLOURS:
        return NO_COLOUR
    return STATUS_COLOURS[Status(status)]


def status_key(status: str, indicator_id: str, final: bool = False) -> str:
    """Return the catalogue key of the word for a goal's status (its kind decides yellow's word).

    A count with a target by the deadline (a trajectory goal) is yellow "on schedule"; a level
    (a share, a mean) is yellow "close to the target" (DESIGN.md). At and after the deadline
    (`final`) a goal is met or missed: "saavutettu" / "ei saavutettu".
    """
    if final:
        return f"status.final.{status}"
    kind = "trajectory" if indicator_spec(indicator_id).trajectory else "level"
    return f"status.{kind}.{status}"


def format_time(value: datetime, language: str) -> str:
    """Format a time of day as '8.15' (fi) or '08:15' (en)."""
    return f"{value.hour}.{value.minute:02d}" if language == "fi" else f"{value:%H:%M}"


def format_value(indicator_id: str, value: float | int | None, language: str) -> str:
    """Format an indicator's value or target the way its spec says it reads."""
    reads = indicator_spec(indicator_id).reads
    if reads is Reading.SHARE:
        return format_percent(value, language)
    return format_number(value, language, 2 if reads is Reading.MEAN else 0)


@cache
def category_names(language: str) -> dict[str, str]:
    """Map branch codes and vocabulary values to the names a reader knows."""
    out = {b.code: b.name_fi if language == "fi" else b.name_en for b in branches()}
    if language == "en":
        for name in _VOCABULARY_FIELDS:
            out.update(vocabulary(name)[2])
    return out


def half_year_label(period: str, language: str) -> str:
    """Return '1.1.–30.6.2018' (fi) / '1 January – 30 June 2018' (en) for `2018H1`."""
    start = format_day_month(period_start(period), language)
    return translate(
        language, "period_half", start=start, end=format_date(parse_period(period), language)
    )


_PARTITIVE_LAST_DIGIT = {
    1: "tä",
    2: "ta",
    3: "a",
    4: "ää",
    5: "tä",
    6: "ta",
    7: "ää",
    8: "aa",
    9: "ää",
}


def format_partitive(value: int | None, language: str) -> str:
    """A count in the Finnish partitive ("edellyttäisi 40:tä", "3:a"); as it is in English."""
    text = format_number(value, language)
    if language != "fi" or value is None:
        return text
    n = abs(int(value))
    if 11 <= n % 100 <= 19:  # yhtätoista, kahtatoista
        suffix = "ta"
    elif n % 10:
        suffix = _PARTITIVE_LAST_DIGIT[n % 10]
    elif n % 100:  # kymmentä
        suffix = "tä"
    elif n % 1000 or n == 0:  # sataa, nollaa
        suffix = "aa"
    else:  # tuhatta
        suffix = "ta"
    return f"{text}:{suffix}"


def register_headers(columns: Iterable[str], language: str) -> str:
    """The register's own headers of canonical columns, quoted: "”Tuen muoto”" (several joined
    by the catalogue's "eikä" / "or")."""
    joiner = translate(language, "context.headers_join")
    left, right = ("”", "”") if language == "fi" else ("“", "”")  # each language's own quotes
    return joiner.join(f"{left}{ENGAGEMENTS.column(c).header_fi}{right}" for c in columns)


SHY = "\u00ad"
_VOWELS = frozenset("aeiouyäöåAEIOUYÄÖÅ")
_LETTERS = r"[^\W\d_]"


def _finnish_syllables(word: str) -> str:
    """Mark a long Finnish word's syllable breaks: before a consonant followed by a vowel."""
    out = [word[0]]
    seen_vowel = word[0] in _VOWELS
    for i in range(1, len(word)):
        char = word[i]
        consonant_then_vowel = char not in _VOWELS and i + 1 < len(word) and word[i + 1] in _VOWELS
        if consonant_then_vowel and seen_vowel and i >= 2:
            out.append(SHY)
        out.append(char)
        seen_vowel = seen_vowel or char in _VOWELS
    return "".join(out)


def soft_hyphens(text: str, language: str, shortest: int = 8) -> str:
    """Give a text's long words hyphenation hints (soft hyphens at Finnish syllable breaks).

    A table column on a 320 px phone is narrower than "aikataulussa" or "Puolustusministeriö":
    the browser may then break the word at a syllable, with a hyphen, instead of widening the
    page. Only words of `shortest` letters or more get them (each costs 6 bytes as sent). English
    words are short enough and are left alone.
    """
    if language != "fi":
        return text
    return re.sub(f"{_LETTERS}{{{shortest},}}", lambda m: _finnish_syllables(m.group(0)), text)
