"""Half-year reporting periods (`2018H1`, `2018H2`) and the programme's elapsed time.

A period's as-of date is its last day: `2018H1` -> 2018-06-30, `2018H2` -> 2018-12-31.
Period text is read case-insensitively with surrounding whitespace ignored (`" 2018h1 "`).
Half-years written by people (a `Kausi` cell, a sheet name) are read by `half_year`: `2018H1`,
`2018 H1`, `2018-H1`, `H1/2018`, `H1 2018`, `1/2018`, `2018/1`, `1H2018`, any case.
"""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction
from zoneinfo import ZoneInfo

from schemas.catalogue import translate
from schemas.errors import ConfigError

_PERIOD = re.compile(r"^(\d{4})H([12])$")
HELSINKI = ZoneInfo("Europe/Helsinki")  # the team's clock: schedules, deadlines, report times
DAYS_PER_MONTH = 365.25 / 12  # the mean calendar month, for paces "per month"
# The spellings of a half-year people write, each giving (year, half) or (half, year) groups.
_YEAR_FIRST = (r"(\d{4})\s*[-_/]?\s*H\s*([12])", r"(\d{4})\s*/\s*([12])")
_HALF_FIRST = (
    r"H\s*([12])\s*[-_/]?\s*(\d{4})",
    r"([12])\s*/\s*(\d{4})",
    r"([12])\s*H\s*[-_/]?\s*(\d{4})",
)
_SPELLINGS = [(re.compile(p), False) for p in _YEAR_FIRST] + [
    (re.compile(p), True) for p in _HALF_FIRST
]


def _split(period: str) -> tuple[int, int]:
    """Return (year, half) of a period text, or raise a one-line ConfigError."""
    match = _PERIOD.match(str(period).strip().upper())
    if match is None:
        raise ConfigError(f"period must look like 2018H1 or 2018H2 (got {period!r})")
    return int(match.group(1)), int(match.group(2))


def half_year(text: object, *, within: bool = False) -> str | None:
    """Read a half-year as people write it (`2018 H1`, `H1/2018`, `1/2018`...) as `2018H1`.

    The whole text must be the half-year, unless `within` (a sheet name such as
    'Digiperiaatteet 2018 H1'). None when no spelling matches.
    """
    clean = str(text).strip().upper()
    for pattern, half_first in _SPELLINGS:
        found = _find(pattern, clean, within)
        if found is not None:
            year, half = (found[2], found[1]) if half_first else (found[1], found[2])
            return f"{year}H{half}"
    return None


def _find(pattern: re.Pattern[str], text: str, within: bool) -> re.Match[str] | None:
    if not within:
        return pattern.fullmatch(text)
    bounded = re.compile(r"(?<![\dA-Z])" + pattern.pattern + r"(?![\dA-Z])")
    return bounded.search(text)


def parse_period(period: str) -> date:
    """Return the as-of date (last day) of a period: `2018H1` -> 2018-06-30."""
    year, half = _split(period)
    return date(year, 6, 30) if half == 1 else date(year, 12, 31)


def period_start(period: str) -> date:
    """Return the first day of a period: `2018H2` -> 2018-07-01."""
    year, half = _split(period)
    return date(year, 1, 1) if half == 1 else date(year, 7, 1)


def period_containing(day: date) -> str:
    """Return the half-year a date falls in: 2018-03-15 -> `2018H1`."""
    return f"{day.year}H{1 if day.month <= 6 else 2}"


def period_of(as_of: date) -> str | None:
    """Return the period whose last day `as_of` is, or None for any other date."""
    period = period_containing(as_of)
    return period if parse_period(period) == as_of else None


def previous_period(period: str) -> str:
    """Return the half-year before a period: `2018H1` -> `2017H2`."""
    year, half = _split(period)
    return f"{year - 1}H2" if half == 1 else f"{year}H1"


def elapsed_share(as_of: date, start: date, deadline: date) -> Fraction:
    """Return (as_of - start) / (deadline - start) exactly, clipped to [0, 1]."""
    total = (deadline - start).days
    if total <= 0:
        return Fraction(1 if as_of >= deadline else 0)
    return min(Fraction(1), max(Fraction(0), Fraction((as_of - start).days, total)))


def months_between(earlier: date, later: date) -> float:
    """Return the time from `earlier` to `later` in mean calendar months (negative if reversed)."""
    return (later - earlier).days / DAYS_PER_MONTH


def last_completed_period(today: date) -> str:
    """The half-year that ended most recently before `today` (a report's default period)."""
    return previous_period(period_containing(today))


def default_period(today: date, deadline: date | None = None) -> tuple[str, bool]:
    """The default report period: the last half-year ended, at most the deadline's half-year.

    Returns (period, clamped): `clamped` is True when the deadline's half-year replaced a later one.
    """
    period = last_completed_period(today)
    if deadline is not None and parse_period(period) > parse_period(period_containing(deadline)):
        return period_containing(deadline), True
    return period, False


def default_period_notice(
    period: str | None, as_of: date | None, today: date, deadline: date, language: str
) -> str | None:
    """The one line saying the default period was clamped to the deadline's, else None."""
    if period or as_of:
        return None
    chosen, clamped = default_period(today, deadline)
    if not clamped:
        return None
    latest = last_completed_period(today)
    return translate(language, "trust.period_clamped", latest=latest, period=chosen)


def resolve_as_of(
    period: str | None,
    as_of: date | None,
    today: date,
    deadline: date | None = None,
    start: date | None = None,
) -> date:
    """Pick the as-of date: `as_of`, else the end of `period`, else of `default_period`.

    Both given is a ConfigError: neither silently wins. So is a date before the programme
    `start`: there is nothing to report then, and 0/50 would read as "on schedule".
    """
    if period and as_of is not None:
        raise ConfigError(
            f"give a period or an as-of date, not both (period {period}, as-of {as_of})"
        )
    chosen = (
        as_of if as_of is not None else parse_period(period or default_period(today, deadline)[0])
    )
    if start is not None and chosen < start:
        asked = f"as-of date {chosen.isoformat()}" if as_of is not None else f"period {period}"
        raise ConfigError(
            f"{asked} is before the programme start {start.isoformat()} ([programme] start)"
        )
    return chosen


def period_key(as_of: date) -> str:
    """File a report under its half-year ("2018H1") or, off a half-year end, its date."""
    return period_of(as_of) or as_of.isoformat()
