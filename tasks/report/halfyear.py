"""What the steering group also needs beside the goals: what happened in the half-year, how well
each principle is realised in the key projects, the pace of the branch goal, and whether this
year's agency survey round is still to come.

Read from the rows and details the indicators already carry (no second computation):
engagements started = rows of `branches_covered` (the engagements reached) with a start date in
the half-year; completed = rows of `engagements_completed` ending in it; examples of change =
the `change_in_operations` text of `effects_described_share` rows completed in the half-year,
latest first (never feedback comments, never owners).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import polars as pl

from schemas.periods import months_between, period_containing, period_start
from schemas.reference import principles
from schemas.report import ReportContext
from schemas.results import Coverage, IndicatorId, IndicatorResult, PrinciplesMatrix, SurveyColours
from schemas.view import BranchPace, Example, HalfYear, PrincipleCount, Realisation, SurveyRound
from tasks.report.i18n import category_names

EXAMPLES = 3
_EXAMPLE_COLUMNS = ("engagement_id", "title", "branch", "change_in_operations")


def _rows(ctx: ReportContext, indicator_id: IndicatorId) -> pl.DataFrame:
    result = ctx.indicators.results.get(indicator_id)
    return result.rows if result is not None else pl.DataFrame()


def _between(rows: pl.DataFrame, column: str, first: date, last: date) -> pl.DataFrame:
    if column not in rows.columns:
        return rows.clear()
    return rows.filter(pl.col(column).is_between(first, last))


def _examples(ctx: ReportContext, first: date) -> tuple[Example, ...]:
    effects = _rows(ctx, IndicatorId.EFFECTS_DESCRIBED_SHARE)
    rows = _between(effects, "end_date", first, ctx.indicators.as_of)
    if not set(_EXAMPLE_COLUMNS) <= set(rows.columns):
        return ()
    described = rows.filter(pl.col("change_in_operations").str.strip_chars().str.len_chars() > 0)
    latest = described.sort(["end_date", "engagement_id"], descending=[True, False])
    names = category_names(ctx.language)
    return tuple(
        Example(
            r["engagement_id"],
            r["title"],
            names.get(r["branch"], r["branch"]),
            r["change_in_operations"],
        )
        for r in latest.head(EXAMPLES).iter_rows(named=True)
    )


def _branch_pace(ctx: ReportContext, first: date) -> BranchPace | None:
    result = ctx.indicators.results.get(IndicatorId.BRANCHES_COVERED)
    if result is None or not isinstance(result.detail, Coverage) or result.value is None:
        return None
    rows, names = result.rows, category_names(ctx.language)
    new: list[str] | None = None
    if {"branch", "start_date"} <= set(rows.columns):
        firsts = (
            rows.group_by("branch")
            .agg(pl.col("start_date").min())
            .filter(pl.col("start_date") >= first)
        )
        new = [names.get(b, b) for b in sorted(firsts["branch"].drop_nulls().to_list())]
    return BranchPace(
        value=int(result.value),
        target=int(result.target or 0),
        added=len(new) if new is not None else _added_since(ctx, result, first),
        new=tuple(new or ()),
        gap=len(result.detail.missing),
        months=max(0, round(months_between(ctx.indicators.as_of, ctx.programme_deadline))),
    )


def _added_since(ctx: ReportContext, result: IndicatorResult, first: date) -> int | None:
    """Without rows: the difference to the last earlier report before the half-year began."""
    earlier = [v for d, v, _ in ctx.trends.get(result.id, ()) if d < first and v is not None]
    return int(result.value or 0) - int(earlier[-1]) if earlier else None


def survey_round(ctx: ReportContext) -> SurveyRound | None:
    """Whether this year's agency survey round is done, and which round the figure rests on."""
    result = ctx.indicators.results.get(IndicatorId.AGENCY_SURVEY_GREEN_SHARE)
    if result is None or not isinstance(result.detail, SurveyColours):
        return None
    year, round_ = str(ctx.indicators.as_of.year), result.detail.round
    if not round_:
        return SurveyRound("none", year, "")
    if round_ >= year:
        return SurveyRound("done", year, round_)
    ended = (ctx.indicators.as_of.month, ctx.indicators.as_of.day) == (12, 31)
    return SurveyRound("missed" if ended else "pending", year, round_)


def realisation(detail: PrinciplesMatrix, language: str) -> Realisation:
    """Count, per principle, the key projects where it is realised, partly, not realised."""
    rows = []
    for p in principles():
        counts = Counter(cells.get(str(p.number)) for cells in detail.matrix.values())
        name = p.name_fi if language == "fi" else p.name_en
        realised, partly, not_realised = (counts[a] for a in ("toteutuu", "osittain", "ei toteudu"))
        rows.append(PrincipleCount(p.number, name, realised, partly, not_realised))
    return Realisation(len(detail.matrix), tuple(rows))


def half_year(ctx: ReportContext) -> HalfYear:
    """What happened in the half-year containing the as-of date."""
    as_of = ctx.indicators.as_of
    first = period_start(period_containing(as_of))
    completed = _between(_rows(ctx, IndicatorId.ENGAGEMENTS_COMPLETED), "end_date", first, as_of)
    reached = _rows(ctx, IndicatorId.BRANCHES_COVERED)
    started = _between(reached, "start_date", first, as_of)
    return HalfYear(
        first=first,
        started=started.height if "start_date" in reached.columns else None,
        completed=completed.height,
        examples=_examples(ctx, first),
        branches=_branch_pace(ctx, first),
        survey=survey_round(ctx),
    )
