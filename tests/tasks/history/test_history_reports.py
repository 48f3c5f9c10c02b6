"""What the history gives a report: only reported half-years in the trend, and every value a
report showed (indicators, context figures, the findings counted) back from a stored snapshot.

Contract under test (tasks.history): `reported_trend` keeps the latest "report" snapshot per
half-year end and ignores ad-hoc `d9 indicators` runs and off-period dates; `stored` returns
the context figures (with the rows the report lists), the findings and the trend recorded with
the values, and when they were recorded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from schemas.findings import Finding, Severity
from schemas.report import TrendPoint
from schemas.request import ReportKind
from schemas.results import ContextFigure, IndicatorResult, Indicators, Status
from tasks.history import record, reported_trend, stored
from tasks.statedb import sqlite_store

REPORTED, QUERY = (ReportKind.REPORT,), ReportKind.INDICATORS

H1, H2, MID = date(2017, 6, 30), date(2017, 12, 31), date(2017, 10, 15)


def make(as_of: date, completed: int, fp: str = "fp") -> Indicators:
    result = IndicatorResult("engagements_completed", completed, Status.YELLOW, target=50)
    return Indicators(as_of, None, {"engagements_completed": result}, fingerprint=fp)


def at(hour: int) -> datetime:
    return datetime(2018, 1, 2, hour, tzinfo=UTC)


def test_trend_shows_only_the_latest_report_per_half_year(tmp_path: Path) -> None:
    store, report = sqlite_store(tmp_path), ReportKind.REPORT
    record(store, make(H1, 10, "a"), report, at(8))
    record(store, make(H1, 11, "b"), report, at(9))  # H1 reported again: this one counts
    record(store, make(H1, 99, "c"), QUERY, at(10))  # ad-hoc query: never in a trend
    record(store, make(MID, 15, "d"), report, at(11))  # off a half-year end: not a column
    record(store, make(H2, 20, "e"), QUERY, at(12))  # queried, never reported
    points = reported_trend(store, "engagements_completed", date(2018, 6, 30))
    assert [(d, v) for d, v, _ in points] == [(H1, 11)]


def test_stored_report_gives_back_context_figures_and_findings(tmp_path: Path) -> None:
    obstacles = pl.DataFrame(
        {
            "engagement_id": ["E1"],
            "start_date": [date(2017, 2, 1)],
            "regulatory_obstacles": ["Laki X vaatii paperin"],
            "_row": [7],
        }
    )
    context = {
        "by_branch": ContextFigure("by_branch", counts={"VM": 3, "UM": 0}),
        "cross_administrative_share": ContextFigure(
            "cross_administrative_share", value=0.25, numerator=1, denominator=4
        ),
        "deregulation_opportunities": ContextFigure(
            "deregulation_opportunities", counts={"VM": 1}, numerator=1, rows=obstacles
        ),
    }
    ends = pl.DataFrame({"engagement_id": ["E1", "E2"], "end_date": [date(2017, 3, 1), None]})
    done = IndicatorResult("engagements_completed", 10, Status.YELLOW, target=50, rows=ends)
    indicators = Indicators(H1, "2017H1", {"engagements_completed": done}, context, "fp")
    finding = Finding(
        "engagements", "s.xlsx", "Toimeksiannot", 7, "Elämänpolku", "", "expected",
        Severity.WARNING, "suositeltava tieto puuttuu", "E1", "a@example.org",
    )  # fmt: skip
    shown = {
        "engagements_completed": [
            TrendPoint(date(2016, 12, 31), 3, Status.RED),
            TrendPoint(H1, 10, Status.YELLOW),
        ]
    }
    record(sqlite_store(tmp_path), indicators, ReportKind.REPORT, at(8), ((finding,), shown))
    record(sqlite_store(tmp_path), make(H1, 99, "other"), QUERY, at(9))  # a later ad-hoc query
    found = stored(sqlite_store(tmp_path), H1, REPORTED)
    assert found is not None
    assert found.recorded_at == at(8)
    assert found.findings == (finding,)
    assert found.trends == shown  # the trend as the report showed it, even if re-reported later
    back = found.indicators
    assert back.results["engagements_completed"].value == 10
    # the end dates the cumulative chart draws come back; the other columns are not kept
    assert back.results["engagements_completed"].rows.equals(ends.select("end_date"))
    assert list(back.context) == list(context)
    assert back.context["by_branch"].counts == {"VM": 3, "UM": 0}
    share = back.context["cross_administrative_share"]
    assert (share.value, share.numerator, share.denominator) == (0.25, 1, 4)
    assert back.context["deregulation_opportunities"].rows.equals(obstacles)  # types kept
    assert back.context["by_branch"].rows.is_empty()  # rows the report does not list: not kept
    latest = stored(sqlite_store(tmp_path), H1)  # of any kind: the ad-hoc query came later
    assert latest is not None and latest.indicators.results["engagements_completed"].value == 99
    assert stored(sqlite_store(tmp_path), H2, REPORTED) is None


def test_a_figure_not_recorded_reads_back_not_recorded() -> None:
    """A report rendered from history still says "not recorded", never zero (issue 20)."""
    from schemas.results import ContextFigure
    from tasks.history.codec import context_from_json, context_json

    figure = ContextFigure("by_support_area", unrecorded=("support_areas",))
    back = context_from_json(context_json({"by_support_area": figure}))["by_support_area"]
    assert (back.recorded, back.unrecorded, back.counts) == (False, ("support_areas",), {})
    recorded = context_from_json(context_json({"x": ContextFigure("x", counts={"a": 1})}))["x"]
    assert recorded.recorded and recorded.unrecorded == ()
