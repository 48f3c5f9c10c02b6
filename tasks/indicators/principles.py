"""The digital principles: the share of key project x principle cells assessed in a half-year."""

from __future__ import annotations

from datetime import date

import polars as pl

from schemas.periods import period_containing, previous_period
from schemas.results import Change, IndicatorId, IndicatorResult, PrinciplesMatrix, Status
from schemas.settings import Settings
from schemas.tables import Frames
from tasks.indicators.common import appendix, by_thresholds, filled

RANK = {"ei toteudu": 0, "osittain": 1, "toteutuu": 2}
PRINCIPLES = tuple(str(n) for n in range(1, 10))


def _in_period(period: str) -> pl.Expr:
    return pl.col("period").str.strip_chars().str.to_uppercase() == period


def _cells(principles: pl.DataFrame, period: str) -> pl.DataFrame:
    """Return one row per (key project, principle) of a half-year, the last non-blank assessment."""
    return (
        principles.with_columns(pl.col("key_project").str.strip_chars())
        .filter(_in_period(period) & filled("key_project"))
        .group_by("key_project", "principle", maintain_order=True)
        .agg(pl.col("assessment").drop_nulls().last())
    )


def _matrix(cells: pl.DataFrame) -> dict[str, dict[str, str | None]]:
    triples = cells.select("key_project", "principle", "assessment").iter_rows()
    found = {(k, p): a for k, p, a in triples}
    projects = cells["key_project"].unique(maintain_order=True).to_list()
    return {k: {p: found.get((k, p)) for p in PRINCIPLES} for k in projects}


def _change(now: str | None, before: str | None) -> Change | None:
    if now is None or now not in RANK:
        return None
    if before is None or before not in RANK:
        return Change.NEW
    step = RANK[now] - RANK[before]
    return Change.BETTER if step > 0 else Change.WORSE if step < 0 else Change.SAME


def _with_left_out(
    matrix: dict[str, dict[str, str | None]], before: dict[str, dict[str, str | None]]
) -> tuple[dict[str, dict[str, str | None]], tuple[str, ...]]:
    """Add the key projects of the previous half-year missing now, with nine blank cells."""
    left_out = tuple(k for k in before if k not in matrix)
    return matrix | {k: dict.fromkeys(PRINCIPLES) for k in left_out}, left_out


def _status(numerator: int, denominator: int, settings: Settings) -> Status:
    """Green at the assumed target share of cells assessed (100 % by default)."""
    if denominator == 0:
        return Status.GREY
    target, yellow = settings.assumptions.principles_target, settings.targets.principles_yellow
    return by_thresholds(numerator / denominator, target, min(yellow, target))


def principles_assessed_share(frames: Frames, as_of: date, settings: Settings) -> IndicatorResult:
    """Return the share of key project x principle cells assessed in the half-year of as_of.

    The key projects are those with rows in the half-year or in the previous one: a project
    left out of this half-year counts as nine cells not assessed and is named in the detail.
    """
    period = period_containing(as_of)
    before = _matrix(_cells(frames.principles, previous_period(period)))
    matrix, left_out = _with_left_out(_matrix(_cells(frames.principles, period)), before)
    change = {
        k: {p: _change(a, before.get(k, {}).get(p)) for p, a in cells.items()}
        for k, cells in matrix.items()
    }
    numerator = sum(a in RANK for cells in matrix.values() for a in cells.values())
    denominator = len(matrix) * len(PRINCIPLES)
    return IndicatorResult(
        IndicatorId.PRINCIPLES_ASSESSED_SHARE,
        numerator / denominator if denominator else None,
        _status(numerator, denominator, settings),
        target=settings.assumptions.principles_target,
        numerator=numerator,
        denominator=denominator,
        detail=PrinciplesMatrix(period, matrix, change, left_out),
        rows=period_rows(frames.principles, period),
    )


def period_rows(principles: pl.DataFrame, period: str) -> pl.DataFrame:
    """The principle rows of a half-year, as the appendix lists them."""
    return appendix(
        principles.filter(_in_period(period)),
        ("period", "key_project", "principle", "assessment", "notes", "_cell"),
    )
