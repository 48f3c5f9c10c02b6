"""Indicator results: the typed values every later stage (history, report, JSON) reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

import polars as pl


class Status(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    GREY = "grey"  # no data


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator as of a date: value, target, status, and the rows behind it."""

    id: str
    value: float | int | None
    status: Status
    target: float | int | None = None
    numerator: int | None = None
    denominator: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # JSON-ready: missing, n, colours, round...
    rows: pl.DataFrame = field(default_factory=pl.DataFrame, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The DESIGN.md JSON object of this indicator."""
        out: dict[str, Any] = {"value": self.value, "status": str(self.status)}
        if self.target is not None:
            out["target"] = self.target
        if self.numerator is not None:
            out["numerator"] = self.numerator
            out["denominator"] = self.denominator
        out.update(self.extra)
        return out


@dataclass(frozen=True)
class ContextFigure:
    """A figure shown beside the indicators, without a target (counts by category, shares)."""

    id: str
    counts: dict[str, int] = field(default_factory=dict)  # category -> count, report order
    value: float | None = None  # for shares
    numerator: int | None = None
    denominator: int | None = None
    rows: pl.DataFrame = field(default_factory=pl.DataFrame, compare=False, repr=False)


@dataclass(frozen=True)
class Indicators:
    """Everything computed for one as-of date."""

    as_of: date
    period: str | None  # "2018H1" when the as-of date is a half-year end
    results: dict[str, IndicatorResult]
    context: dict[str, ContextFigure] = field(default_factory=dict)
    fingerprint: str = ""  # hash of the input data

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "period": self.period,
            "indicators": {k: r.to_json() for k, r in self.results.items()},
        }
