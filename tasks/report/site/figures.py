"""The figures the page shows: each indicator's value, target and status as `d9 indicators
--format json` writes them, in every reported half-year and now, and its trend as an SVG line.

The data-* attribute texts are the JSON's own (`json.dumps` of the same numbers), so a reader
of the page and a tool reading the JSON see the same figure; the words and symbols beside them
come from the catalogue, as in the report.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import cast

from schemas.catalogue import translate
from schemas.jsontypes import Json
from schemas.periods import period_of
from schemas.results import Indicators, Reading, Status, indicator_spec
from tasks.report.i18n import STATUS_SYMBOLS, format_date, format_value, status_key

WIDTH, HEIGHT = 320, 120  # the trend's viewBox
LEFT, RIGHT, TOP, BOTTOM = 44, 308, 12, 92  # the plot area (y labels left, x labels below)


@dataclass(frozen=True)
class Figure:
    """One indicator in one half-year as the page shows it, and its JSON attribute texts."""

    value: str  # json.dumps of the JSON's value ("null" without one)
    target: str | None  # json.dumps of the JSON's target; None: the JSON has none
    status: str
    shown: str  # the value formatted for the reader ("95 %")
    target_shown: str  # "" without a target
    word: str
    symbol: str

    def to_json(self) -> Json:
        return {
            "value": self.value,
            "target": self.target,
            "status": self.status,
            "shown": self.shown,
            "target_shown": self.target_shown,
            "word": self.word,
            "symbol": self.symbol,
        }


@dataclass(frozen=True)
class PeriodFigures:
    """Every indicator of one half-year (or of the as-of date now), by indicator id."""

    key: str  # the option's value: "2017H2", or the as-of date for the figures now
    label: str
    as_of: date
    reported: bool  # as a report recorded it (False: computed now)
    figures: dict[str, Figure]

    def to_json(self) -> Json:
        return {
            "label": self.label,
            "as_of": format_date(self.as_of, "fi"),
            "reported": self.reported,
            "figures": {k: f.to_json() for k, f in self.figures.items()},
        }


def figures(indicators: Indicators, language: str, deadline: date = date.max) -> dict[str, Figure]:
    """Each indicator's figure, from the same JSON `d9 indicators --format json` prints; at
    and after the programme's deadline each goal's word is met or missed."""
    final = indicators.as_of >= deadline
    out = {}
    for key, result in indicators.results.items():
        data = result.to_json()  # the object under "indicators" in that JSON
        value = cast(float | int | None, data.get("value"))
        target = cast(float | int | None, data.get("target"))
        status = str(data["status"])
        out[key] = Figure(
            value=json.dumps(value),
            target=json.dumps(target) if "target" in data else None,
            status=status,
            shown=format_value(key, value, language),
            target_shown=format_value(key, target, language) if target is not None else "",
            word=translate(language, status_key(status, key, final)),
            symbol=STATUS_SYMBOLS[Status(status)],
        )
    return out


def period_figures(
    indicators: Indicators,
    language: str,
    *,
    reported: bool,
    key: str = "",
    deadline: date = date.max,
) -> PeriodFigures:
    """The figures of one half-year (as reported) or of the as-of date (now)."""
    period = period_of(indicators.as_of)
    label = translate(
        language,
        "site.period_reported" if reported else "site.period_now",
        period=period or "",
        date=format_date(indicators.as_of, language),
    )
    return PeriodFigures(
        key or period or indicators.as_of.isoformat(),
        label,
        indicators.as_of,
        reported,
        figures(indicators, language, deadline),
    )


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # "30.6.2017: 21"
    tick: str  # below the point: "2017H2", or the as-of date of the figure now
    status: str
    now: bool  # the as-of date's own figure (not a reported one)


@dataclass(frozen=True)
class Trend:
    """One indicator's values over the reported half-years and now, laid out for inline SVG."""

    id: str
    points: tuple[Point, ...]
    line: str  # the polyline's points
    target_y: float | None
    top: str  # the y axis' labels
    bottom: str
    title: str  # says every point in words (the chart's accessible name)


def _scale(indicator_id: str, values: Sequence[float], target: float | None) -> tuple[float, float]:
    reads = indicator_spec(indicator_id).reads
    if reads is Reading.SHARE:
        return 0.0, 1.0
    if reads is Reading.MEAN:
        return 1.0, 5.0
    return 0.0, max([*values, target or 0.0, 1.0])


def trend(indicator_id: str, series: Sequence[Indicators], language: str) -> Trend:
    """The indicator's trend over `series` (the reported half-years, then now), oldest first."""
    known = [(s, s.results[indicator_id]) for s in series if indicator_id in s.results]
    values = [float(r.value) for _, r in known if r.value is not None]
    target = known[-1][1].target if known else None
    low, high = _scale(indicator_id, values, float(target) if target is not None else None)
    step = (RIGHT - LEFT) / max(len(known) - 1, 1)

    def y(value: float) -> float:
        return round(BOTTOM - (value - low) / ((high - low) or 1) * (BOTTOM - TOP), 1)

    points = tuple(
        Point(
            round(LEFT + i * step, 1),
            y(float(r.value)),
            f"{format_date(s.as_of, language)}: {format_value(indicator_id, r.value, language)}",
            period_of(s.as_of) or format_date(s.as_of, language),
            str(r.status),
            i == len(known) - 1,
        )
        for i, (s, r) in enumerate(known)
        if r.value is not None
    )
    said = "; ".join(p.label for p in points) or translate(language, "site.no_values")
    name = translate(language, f"indicator.{indicator_id}.name")
    return Trend(
        id=indicator_id,
        points=points,
        line=" ".join(f"{p.x},{p.y}" for p in points),
        target_y=y(float(target)) if target is not None and low <= target <= high else None,
        top=format_value(indicator_id, high, language),
        bottom=format_value(indicator_id, low, language),
        title=translate(language, "site.trend_title", name=name, points=said),
    )
