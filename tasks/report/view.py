"""Build the report view (`schemas.view.ReportView`) once from a `ReportContext`.

The channels only lay out and format; what the report shows is decided here and in the
section modules: the headline and the goal cards (`headline`), what changed since the last
report (`changes`), the half-year's events
(`halfyear`), the comparisons with earlier reports (`trends`), the matrix, the missing
branches, the deregulation log and the data-quality counts (`tables`), and the charts
(`charts`, with alt texts that state their data and their captions).
"""

from __future__ import annotations

from collections.abc import Callable

from schemas.catalogue import translate
from schemas.reference import principles
from schemas.report import ReportContext
from schemas.results import IndicatorId, Indicators
from schemas.view import Chart, PrincipleName, ReportView
from tasks.report.changes import changes
from tasks.report.charts import report_charts
from tasks.report.halfyear import half_year
from tasks.report.headline import card, facts, headline
from tasks.report.i18n import format_date, format_value, half_year_label
from tasks.report.tables import deregulation_log, matrix, missing_branches, quality
from tasks.report.trends import context_trend, trend_table


def period_label(indicators: Indicators, language: str) -> str:
    """Return the half-year's dates for a half-year, else the as-of date."""
    period = indicators.period
    if period and len(period) == 6 and period[4] == "H":
        return half_year_label(period, language)
    return format_date(indicators.as_of, language)


def _engagements_alt(ctx: ReportContext) -> str:
    done = ctx.indicators.results[IndicatorId.ENGAGEMENTS_COMPLETED]
    return translate(ctx.language, "chart.engagements_alt", **facts(done, ctx))


def _satisfaction_alt(ctx: ReportContext) -> str:
    lang, as_of = ctx.language, ctx.indicators.as_of
    quick = ctx.indicators.results[IndicatorId.QUICK_SATISFACTION_MEAN]
    points = [(d, v) for d, v, _ in ctx.trends.get(quick.id, ()) if d < as_of and v is not None]
    text = "; ".join(
        f"{format_date(d, lang)} {format_value(quick.id, v, lang)}"
        for d, v in [*points, (as_of, quick.value)]
    )
    return translate(lang, "chart.satisfaction_alt", points=text, **facts(quick, ctx))


# Alt texts state each chart's data (not its caption): one per chart id of `report_charts`.
_ALTS: dict[str, Callable[[ReportContext], str]] = {
    "engagements": _engagements_alt,
    "satisfaction": _satisfaction_alt,
}


def charts(ctx: ReportContext) -> tuple[Chart, ...]:
    """The report's charts that have data, in report order, each with its alt text and caption."""
    return tuple(
        Chart(chart_id, png, _ALTS[chart_id](ctx), translate(ctx.language, f"chart.{chart_id}"))
        for chart_id, png in report_charts(ctx).items()
    )


def build_view(ctx: ReportContext) -> ReportView:
    """Build everything the report shows, once, for every channel."""
    ind, lang = ctx.indicators, ctx.language
    return ReportView(
        language=lang,
        period=ind.period,
        period_label=period_label(ind, lang),
        as_of=ind.as_of,
        team=ctx.team or translate(lang, "team_default"),
        programme_start=ctx.programme_start,
        programme_deadline=ctx.programme_deadline,
        generated_at=ctx.generated_at,
        contact=ctx.contact,
        headline=headline(ctx),
        cards=tuple(card(r, ctx) for r in ind.results.values()),
        half_year=half_year(ctx),
        trend=trend_table(ctx),
        missing_branches=missing_branches(ind.results.get(IndicatorId.BRANCHES_COVERED), lang),
        matrix=matrix(ind.results.get(IndicatorId.PRINCIPLES_ASSESSED_SHARE), lang),
        principle_names=tuple(
            PrincipleName(p.number, p.name_fi if lang == "fi" else p.name_en) for p in principles()
        ),
        quality=quality(ctx.warnings),
        # The deregulation log and the trended figures have sections of their own.
        context=tuple(
            f
            for f in ind.context.values()
            if f.id != "deregulation_opportunities"
            and "regulatory_obstacles" not in f.rows.columns
            and f.previous is None
        ),
        charts=charts(ctx),
        deregulation_log=deregulation_log(ctx),
        context_trend=context_trend(ctx),
        changes=changes(ind, ctx.previous, lang, ctx.programme_deadline),
        commentary=ctx.commentary.strip(),
    )
