"""The report's comparisons with earlier half-years: the goals' values in up to three earlier
reports beside today's, and the trended context figures beside the previous half-year.

Trend tables show only reported half-years (DESIGN.md): the points come from history's reported
trend (`ReportContext.trends`), never from ad-hoc queries. A trended context figure (one carrying
`previous`) is shown as lines of the previous half-year beside this one: one per category, the
share, or the total with its denominator.
"""

from __future__ import annotations

from schemas.catalogue import translate
from schemas.report import ReportContext
from schemas.results import ContextFigure
from schemas.view import (
    CategoryLine,
    ContextLine,
    ContextTrend,
    ShareLine,
    TotalLine,
    TrendedFigure,
    TrendRow,
    TrendTable,
    TrendValue,
)
from tasks.report.i18n import STATUS_SYMBOLS, half_year_label, status_key

EARLIER_REPORTS = 3  # columns of earlier reports beside today's


def trend_table(ctx: ReportContext) -> TrendTable:
    """Tabulate up to three earlier reports' values beside today's, one row per indicator."""
    as_of, results = ctx.indicators.as_of, ctx.indicators.results
    earlier = {
        i: {d: TrendValue(v, s) for d, v, s in points if d < as_of}
        for i, points in ctx.trends.items()
    }
    dates = tuple(sorted({d for points in earlier.values() for d in points})[-EARLIER_REPORTS:])
    rows = tuple(
        TrendRow(
            id=r.id,
            cells=tuple(earlier[i].get(d) for d in dates),
            now=TrendValue(r.value, r.status),
            word=translate(ctx.language, status_key(r.status, i, as_of >= ctx.programme_deadline)),
            symbol=STATUS_SYMBOLS[r.status],
        )
        for i, r in results.items()
        if earlier.get(i)
    )
    return TrendTable(dates, rows)


def _lines(figure: ContextFigure, before: ContextFigure) -> tuple[ContextLine, ...]:
    categories = list(dict.fromkeys([*figure.counts, *before.counts]))
    lines: list[ContextLine] = [
        CategoryLine(c, before.counts.get(c, 0), figure.counts.get(c, 0)) for c in categories
    ]
    if figure.value is not None or before.value is not None:
        lines.append(ShareLine(before.value, figure.value))
    if figure.numerator is not None and figure.value is None:
        lines.append(
            TotalLine(before.numerator, figure.numerator, before.denominator, figure.denominator)
        )
    return tuple(lines)


def context_trend(ctx: ReportContext) -> ContextTrend:
    """The trended context figures: each with its lines (previous half-year, this one)."""
    trended = [f for f in ctx.indicators.context.values() if f.previous is not None]
    period = next(iter({f.previous_period for f in trended}), None)
    figures = tuple(
        TrendedFigure(f.id, _lines(f, f.previous), f.unrecorded) for f in trended if f.previous
    )
    return ContextTrend(figures, half_year_label(period, ctx.language) if period else "")
