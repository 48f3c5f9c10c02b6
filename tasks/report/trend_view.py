"""Plain data for the report's deregulation log and the context figures with their trend.

The deregulation log lists every obstacle found so far (cumulative), the ones found in the
half-year marked new, and whether each has been passed on; a found-on date taken from the
engagement's start date (no `Sääntelyeste havaittu`) is marked so the report can say so.
Trended context figures (those carrying `previous`) are shown as a small table: the previous
half-year beside this one, one line per share or per category.
"""

from __future__ import annotations

from typing import Any

from schemas.report import ReportContext
from schemas.results import ContextFigure
from tasks.report.i18n import half_year_label

_DEREGULATION = "deregulation_opportunities"
DEREGULATION_ROWS = 30  # items listed in the mail; all of them are in the appendix


def deregulation_log(ctx: ReportContext) -> dict[str, Any]:
    """The log's items and its counts: total, new, not passed on, date assumed.

    At most `DEREGULATION_ROWS` items are listed, oldest first: the new ones, then those not yet
    passed on, then the rest; `hidden` says how many more the appendix holds.
    """
    figure = ctx.indicators.context.get(_DEREGULATION)
    if figure is None or "regulatory_obstacles" not in figure.rows.columns:
        return {"items": [], "hidden": 0, "total": 0, "new": 0, "not_passed": 0, "assumed": 0}
    items = [
        {
            "engagement_id": r["engagement_id"],
            "title": r.get("title") or "",
            "obstacle": r["regulatory_obstacles"],
            "found_on": r.get("found_on"),
            "assumed": bool(r.get("found_on_assumed")),
            "new": bool(r.get("new")),
            "passed_on": r.get("regulatory_passed_on") if r.get("passed_on") else None,
        }
        for r in figure.rows.to_dicts()
        if r["regulatory_obstacles"]
    ]
    ranked = sorted(
        range(len(items)), key=lambda n: (not items[n]["new"], bool(items[n]["passed_on"]))
    )
    shown = sorted(ranked[:DEREGULATION_ROWS])  # the most pressing ones, listed oldest first
    return {
        "items": [items[n] for n in shown],
        "hidden": max(0, len(items) - DEREGULATION_ROWS),
        "total": len(items),
        "new": sum(i["new"] for i in items),
        "not_passed": sum(i["passed_on"] is None for i in items),
        "assumed": sum(i["assumed"] for i in items),
    }


def _label(period: str | None, language: str) -> str:
    if not period:
        return ""
    return half_year_label(period, language)


def _lines(figure: ContextFigure, before: ContextFigure) -> list[dict[str, Any]]:
    categories = list(dict.fromkeys([*figure.counts, *before.counts]))
    lines: list[dict[str, Any]] = [
        {
            "kind": "category",
            "category": c,
            "before": before.counts.get(c, 0),
            "now": figure.counts.get(c, 0),
        }
        for c in categories
    ]
    if figure.value is not None or before.value is not None:
        lines.append({"kind": "share", "before": before.value, "now": figure.value})
    if figure.numerator is not None and figure.value is None:
        lines.append(
            {
                "kind": "total",
                "before": before.numerator,
                "now": figure.numerator,
                "of_before": before.denominator,
                "of_now": figure.denominator,
            }
        )
    return lines


def context_trend(ctx: ReportContext) -> dict[str, Any]:
    """The trended context figures: each with its lines (previous half-year, this one)."""
    trended = [f for f in ctx.indicators.context.values() if f.previous is not None]
    periods = {f.previous_period for f in trended}
    figures = [{"id": f.id, "lines": _lines(f, f.previous)} for f in trended if f.previous]
    return {
        "figures": figures,
        "before": _label(next(iter(periods), None), ctx.language),
    }
