"""What the indicators and the context figures share: the engagements reached, filled cells,
traffic-light rules and the rows kept for the appendix."""

from __future__ import annotations

from datetime import date

import polars as pl
import polars.selectors as cs

from schemas.register import ENGAGEMENT_COLUMNS as ENGAGEMENT_COLUMNS
from schemas.results import IndicatorSpec, Status
from schemas.settings import Settings
from schemas.tables import ROW, SHEET

REACHED_STATUSES = ("käynnissä", "toteutettu")


def filled(column: str) -> pl.Expr:
    """Return an expression true when a text cell holds something besides whitespace."""
    return pl.col(column).str.strip_chars().str.len_chars().fill_null(0) > 0


def reached(engagements: pl.DataFrame, as_of: date, settings: Settings) -> pl.DataFrame:
    """Return the engagements reached by as_of (ongoing or completed, started, in the programme)."""
    return engagements.filter(
        pl.col("status").is_in(REACHED_STATUSES)
        & (pl.col("start_date") <= as_of)
        & (pl.col("end_date").is_null() | (pl.col("end_date") >= settings.programme.start))
    )


def appendix(frame: pl.DataFrame, columns: tuple[str, ...], *extra: pl.Expr) -> pl.DataFrame:
    """Return the rows behind a figure: the chosen columns that exist, then _row and _sheet."""
    keep = [c for c in dict.fromkeys(columns) if c in frame.columns]
    tail = [c for c in (ROW, SHEET) if c in frame.columns]
    out = frame.select(*keep, *extra, *tail)
    return out.with_columns(cs.by_dtype(pl.List(pl.String)).list.join("; "))


def by_thresholds(value: float | None, green: float, yellow: float) -> Status:
    """Return the colour of a value against green and yellow floors (ties: the better one)."""
    if value is None:
        return Status.GREY
    return Status.GREEN if value >= green else Status.YELLOW if value >= yellow else Status.RED


def share_status(numerator: int, denominator: int, yellow: float) -> Status:
    """Return the colour of a share whose target is 1.0: grey without a denominator."""
    if denominator == 0:
        return Status.GREY
    return by_thresholds(numerator / denominator, 1.0, yellow)


def at_deadline(status: Status, as_of: date, settings: Settings) -> Status:
    """At and after the deadline a goal is met or missed: yellow becomes red (DESIGN.md)."""
    if as_of >= settings.programme.deadline and status is Status.YELLOW:
        return Status.RED
    return status


def target_of(spec: IndicatorSpec, settings: Settings) -> float:
    """Return an indicator's target, read from the settings key its spec names."""
    if spec.target_key is None:
        raise ValueError(f"indicator {spec.id!r} has no target key")
    value: object = settings
    for part in spec.target_key.split("."):
        value = getattr(value, part)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"setting {spec.target_key} is not a number: {value!r}")
    return value
