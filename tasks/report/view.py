"""Prepare the plain data the report templates show, from a `ReportContext`.

The templates only lay out and format; what they show is decided here: the period label,
the trend table of earlier reports, the key project x principle matrix with colours and
changes, data-quality counts (never the findings' free text), the missing branches and the
regulatory obstacles found. Every value is plain data (dicts, lists, dates, numbers).
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
from tasks.report.i18n import ASSESSMENT_STATUS, category_names, format_date


def period_label(indicators: Indicators, language: str) -> str:
    """Return '1/2018' (fi) / 'H1 2018' (en) for a half-year, else the as-of date."""
    period = indicators.period
    if period and len(period) == 6 and period[4] == "H":
        return translate(language, "period_half", half=period[5], year=period[:4])
    return format_date(indicators.as_of, language)


def _trend(ctx: ReportContext) -> dict[str, Any]:
    """Tabulate up to three earlier reports' values beside today's, one row per indicator."""
    as_of, results = ctx.indicators.as_of, ctx.indicators.results
    earlier = {i: {d: (v, str(s)) for d, v, s in pts if d < as_of} for i, pts in ctx.trends.items()}
    dates = sorted({d for points in earlier.values() for d in points})[-3:]
    rows = [
        {"id": i, "cells": [earlier[i].get(d) for d in dates], "now": (r.value, str(r.status))}
        for i, r in results.items()
        if earlier.get(i)
    ]
    return {"dates": dates, "rows": rows}


def _matrix(result: IndicatorResult | None) -> dict[str, Any] | None:
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
        for project, cells in detail.matrix.items()
    ]
    left_out = list(detail.left_out)
    return {"period": detail.period, "numbers": numbers, "rows": rows, "left_out": left_out}


def _quality(warnings: Sequence[Finding]) -> dict[str, Any]:
    """Count findings per dataset and rule and per owner (never their free text)."""
    open_ = [w for w in warnings if w.severity == Severity.WARNING]
    by_rule = Counter((w.dataset, w.rule) for w in open_)
    by_owner = Counter(w.owner for w in open_)
    return {
        "total": len(open_),
        "blocking": sum(w.severity == Severity.BLOCKING for w in warnings),
        "by_rule": [(d, r, n) for (d, r), n in sorted(by_rule.items())],
        "by_owner": sorted(by_owner.items(), key=lambda item: (item[0] == "", item[0])),
    }


def _deregulation(ctx: ReportContext) -> list[dict[str, Any]]:
    """List the regulatory obstacles found, by engagement, from any figure whose rows carry them."""
    out: list[dict[str, Any]] = []
    for figure in ctx.indicators.context.values():
        if "regulatory_obstacles" in figure.rows.columns:
            out.extend(r for r in figure.rows.to_dicts() if r["regulatory_obstacles"])
    return out


def _missing_branches(result: IndicatorResult | None, language: str) -> list[str] | None:
    if result is None or not isinstance(result.detail, Coverage):
        return None
    missing = set(result.detail.missing)
    return [category_names(language)[b.code] for b in branches() if b.code in missing]


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
        "results": list(ind.results.values()),
        "trend": _trend(ctx),
        "missing_branches": _missing_branches(ind.results.get("branches_covered"), lang),
        "matrix": _matrix(ind.results.get("principles_assessed_share")),
        "principle_names": [
            (p.number, p.name_fi if lang == "fi" else p.name_en) for p in principles()
        ],
        "quality": _quality(ctx.warnings),
        "context": [
            f for f in ind.context.values() if "regulatory_obstacles" not in f.rows.columns
        ],
        "deregulation": _deregulation(ctx),
    }
