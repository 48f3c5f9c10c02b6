"""Prepare the plain data the report templates show, from a `ReportContext`.

The templates only lay out and format; what they show is decided here: the period label,
the headline and the goal cards (`headline`), the half-year's events (`halfyear`), the trend
table of earlier reports, the key project x principle matrix with colours and changes (at most
`MATRIX_ROWS` key projects in the mail; all of them are in the appendix), data-quality counts
per sheet (never the findings' free text, never the owners: names belong in the nudges), the
missing branches; the deregulation log and the context figures with their trend come from
`trend_view`. Every value is plain data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from schemas.catalogue import translate
from schemas.findings import Finding, Severity
from schemas.reference import branches, principles
from schemas.report import ReportContext
from schemas.results import Coverage, IndicatorResult, Indicators, PrinciplesMatrix
from tasks.report.halfyear import half_year, realisation
from tasks.report.headline import card, facts, headline
from tasks.report.i18n import (
    ASSESSMENT_STATUS,
    STATUS_SYMBOLS,
    category_names,
    format_date,
    format_value,
    half_year_label,
    status_key,
)
from tasks.report.trend_view import context_trend, deregulation_log

MATRIX_ROWS = 30  # key projects shown in the mail; a phone reader cannot use more


def period_label(indicators: Indicators, language: str) -> str:
    """Return the half-year's dates for a half-year, else the as-of date."""
    period = indicators.period
    if period and len(period) == 6 and period[4] == "H":
        return half_year_label(period, language)
    return format_date(indicators.as_of, language)


def _trend(ctx: ReportContext) -> dict[str, Any]:
    """Tabulate up to three earlier reports' values beside today's, one row per indicator."""
    as_of, results = ctx.indicators.as_of, ctx.indicators.results
    earlier = {i: {d: (v, str(s)) for d, v, s in pts if d < as_of} for i, pts in ctx.trends.items()}
    dates = sorted({d for points in earlier.values() for d in points})[-3:]
    rows = [
        {
            "id": i,
            "cells": [earlier[i].get(d) for d in dates],
            "now": (r.value, str(r.status)),
            "word": translate(ctx.language, status_key(str(r.status), i)),
            "symbol": STATUS_SYMBOLS[str(r.status)],
        }
        for i, r in results.items()
        if earlier.get(i)
    ]
    return {"dates": dates, "rows": rows}


def _matrix(result: IndicatorResult | None, language: str) -> dict[str, Any] | None:
    """Return the key project x principle cells with colour and change, or None without data."""
    detail = result.detail if result is not None else None
    if not isinstance(detail, PrinciplesMatrix) or not detail.matrix:
        return None
    numbers = [str(p.number) for p in principles()]
    change = detail.change
    rows = [
        {
            "project": project,
            "cells": [
                {
                    "assessment": cells.get(n) or "none",
                    "change": change.get(project, {}).get(n) or "same",
                    "colour": ASSESSMENT_STATUS.get(cells.get(n) or "", "none"),
                }
                for n in numbers
            ],
        }
        for project, cells in list(detail.matrix.items())[:MATRIX_ROWS]
    ]
    return {
        "period": half_year_label(detail.period, language),
        "numbers": numbers,
        "rows": rows,
        "total": len(detail.matrix),
        "realisation": realisation(detail, language),
        "left_out": list(detail.left_out),
    }


def _quality(warnings: Sequence[Finding]) -> dict[str, Any]:
    """Count findings per sheet and rule (never their free text, never who keeps the rows)."""
    open_ = [w for w in warnings if w.severity == Severity.WARNING]
    by_rule = Counter((w.dataset, w.rule) for w in open_)
    return {
        "total": len(open_),
        "blocking": sum(w.severity == Severity.BLOCKING for w in warnings),
        "by_rule": [(d, r, n) for (d, r), n in sorted(by_rule.items())],
    }


def _missing_branches(result: IndicatorResult | None, language: str) -> list[str] | None:
    if result is None or not isinstance(result.detail, Coverage):
        return None
    missing = set(result.detail.missing)
    return [category_names(language)[b.code] for b in branches() if b.code in missing]


def _chart_alts(ctx: ReportContext) -> dict[str, str]:
    """Alt texts that state each chart's data (not its caption)."""
    lang, results, out = ctx.language, ctx.indicators.results, {}
    if (done := results.get("engagements_completed")) is not None:
        out["engagements"] = translate(lang, "chart.engagements_alt", **facts(done, ctx))
    if (quick := results.get("quick_satisfaction_mean")) is not None:
        as_of = ctx.indicators.as_of
        points = [(d, v) for d, v, _ in ctx.trends.get(quick.id, ()) if d < as_of and v is not None]
        text = "; ".join(
            f"{format_date(d, lang)} {format_value(quick.id, v, lang)}"
            for d, v in [*points, (as_of, quick.value)]
        )
        out["satisfaction"] = translate(
            lang, "chart.satisfaction_alt", points=text, **facts(quick, ctx)
        )
    if (covered := results.get("branches_covered")) is not None:
        out["branches"] = translate(
            lang, "chart.branches_alt", missing=facts(covered, ctx)["names"], **facts(covered, ctx)
        )
    return out


def build_view(ctx: ReportContext) -> dict[str, Any]:
    """Prepare the plain data the templates show."""
    ind, lang = ctx.indicators, ctx.language
    return {
        "period_label": period_label(ind, lang),
        "as_of": ind.as_of,
        "team": ctx.team or translate(lang, "team_default"),
        "programme_start": ctx.programme_start,
        "programme_deadline": ctx.programme_deadline,
        "generated_at": ctx.generated_at,
        "contact": ctx.contact,
        "headline": headline(ctx),
        "cards": [card(r, ctx) for r in ind.results.values()],
        "half_year": half_year(ctx),
        "trend": _trend(ctx),
        "missing_branches": _missing_branches(ind.results.get("branches_covered"), lang),
        "matrix": _matrix(ind.results.get("principles_assessed_share"), lang),
        "principle_names": [
            (p.number, p.name_fi if lang == "fi" else p.name_en) for p in principles()
        ],
        "quality": _quality(ctx.warnings),
        "context": [
            f
            for f in ind.context.values()
            if "regulatory_obstacles" not in f.rows.columns and f.previous is None
        ],
        "chart_alts": _chart_alts(ctx),
        "deregulation_log": deregulation_log(ctx),
        "context_trend": context_trend(ctx),
    }
