"""How a snapshot keeps what it stores beside the indicator values, as JSON text: the context
figures (their rows only where the report lists them, e.g. the deregulation opportunities), the
columns of an indicator's rows the report draws or reads (the completed engagements' end dates
of the cumulative chart, the columns of the half-year section), the findings a report counted
and the trend it showed. Rows are kept as Arrow IPC (base64): their types come back."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TypedDict

import polars as pl

from schemas.findings import Finding
from schemas.report import TrendPoint, Trends
from schemas.results import ContextFigure, IndicatorId, Indicators, Status

SHOWN_ROWS = "regulatory_obstacles"  # a figure whose rows carry this column lists them
# indicator -> columns of its rows the report draws or reads: the cumulative chart (end dates);
# the half-year section (engagements started, branches reached for the first time, examples
# of change in operations among those completed in the half-year).
DRAWN = {
    IndicatorId.ENGAGEMENTS_COMPLETED: ("end_date",),
    IndicatorId.BRANCHES_COVERED: ("branch", "start_date"),
    IndicatorId.EFFECTS_DESCRIBED_SHARE: (
        "engagement_id",
        "title",
        "branch",
        "end_date",
        "change_in_operations",
    ),
}


class FigureJson(TypedDict, total=False):
    """A context figure as stored."""

    id: str
    counts: dict[str, int]
    value: float | None
    numerator: int | None
    denominator: int | None
    rows: str | None  # Arrow IPC, base64
    previous: FigureJson
    previous_period: str | None
    unrecorded: list[str]  # optional register columns the sheet lacked: "not recorded"
    partial: list[str]  # optional columns it can do without that the sheet lacked


@dataclass(frozen=True)
class Stored:
    """A stored snapshot: its values, the findings its report counted, when it was recorded."""

    indicators: Indicators
    findings: tuple[Finding, ...]
    recorded_at: datetime
    trends: dict[str, list[TrendPoint]] = field(default_factory=dict)  # as the report showed them


def _ipc(frame: pl.DataFrame) -> str:
    buffer = io.BytesIO()
    frame.write_ipc(buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _frame(text: str | None) -> pl.DataFrame:
    return pl.read_ipc(io.BytesIO(base64.b64decode(text))) if text else pl.DataFrame()


def drawn_json(indicators: Indicators) -> str:
    """The charted columns of the indicators' rows, as JSON text."""
    out = {}
    for iid, columns in DRAWN.items():
        result = indicators.results.get(iid)
        if result is not None and set(columns) <= set(result.rows.columns):
            out[str(iid)] = _ipc(result.rows.select(columns))
    return json.dumps(out)


def with_drawn(indicators: Indicators, text: str) -> Indicators:
    """The indicators with the charted rows of `drawn_json` text put back."""
    results = dict(indicators.results)
    for iid, rows in json.loads(text).items():
        if iid in results:
            results[iid] = replace(results[iid], rows=_frame(rows))
    return replace(indicators, results=results)


def _figure_json(figure: ContextFigure) -> FigureJson:
    rows = _ipc(figure.rows) if SHOWN_ROWS in figure.rows.columns else None
    out = FigureJson(
        id=figure.id,
        counts=figure.counts,
        value=figure.value,
        numerator=figure.numerator,
        denominator=figure.denominator,
        rows=rows,
    )
    if figure.unrecorded:
        out["unrecorded"] = list(figure.unrecorded)
    if figure.partial:
        out["partial"] = list(figure.partial)
    if figure.previous is not None:  # the previous half-year's figure shown beside it
        out["previous"] = _figure_json(figure.previous)
        out["previous_period"] = figure.previous_period
    return out


def _figure(item: FigureJson) -> ContextFigure:
    previous = item.get("previous")
    return ContextFigure(
        item["id"],
        item.get("counts", {}),
        item.get("value"),
        item.get("numerator"),
        item.get("denominator"),
        rows=_frame(item.get("rows")),
        previous=_figure(previous) if previous else None,
        previous_period=item.get("previous_period"),
        unrecorded=tuple(item.get("unrecorded", ())),
        partial=tuple(item.get("partial", ())),
    )


def context_json(context: Mapping[str, ContextFigure]) -> str:
    """The context figures as JSON text, in report order."""
    return json.dumps([_figure_json(f) for f in context.values()], ensure_ascii=False)


def context_from_json(text: str) -> dict[str, ContextFigure]:
    """Read the context figures back from `context_json` text."""
    return {item["id"]: _figure(item) for item in json.loads(text)}


def trends_json(trends: Trends) -> str:
    """The trend points per indicator as JSON text."""
    out = {i: [[d.isoformat(), v, str(s)] for d, v, s in pts] for i, pts in trends.items()}
    return json.dumps(out)


def trends_from_json(text: str) -> dict[str, list[TrendPoint]]:
    """Read trend points back from `trends_json` text (values keep int or float)."""
    items = json.loads(text)
    return {
        i: [TrendPoint(date.fromisoformat(d), v, Status(s)) for d, v, s in pts]
        for i, pts in items.items()
    }
