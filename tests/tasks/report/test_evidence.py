"""The findings a report counts and the evidence sheets of its appendix (issue 10, items 6, 9).

Contract under test (tasks.report.evidence): a report counts only the findings on the rows its
figures use, by sheet and spreadsheet row (indicator rows, context rows, evidence rows); the
appendix gains a sheet of stored trend values per reported half-year, one of the findings
counted, one of the branches still missing, and the previous half-year's principle cells.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import polars as pl

from schemas.findings import Finding, Severity
from schemas.report import ReportContext
from schemas.results import ContextFigure, Coverage, IndicatorResult, Indicators, Status
from tasks.report import build_appendix, counted_findings, evidence_frames

AS_OF = date(2017, 12, 31)


def _rows(sheet: str, rows: list[int]) -> pl.DataFrame:
    return pl.DataFrame({"engagement_id": [f"E{r}" for r in rows], "_row": rows, "_sheet": sheet})


def _indicators() -> Indicators:
    done = IndicatorResult(
        "engagements_completed", 2, Status.RED, target=50, rows=_rows("Toimeksiannot", [3, 4])
    )
    branches = IndicatorResult(
        "branches_covered", 10, Status.YELLOW, target=12, detail=Coverage(("UM", "YM"))
    )
    context = {"by_branch": ContextFigure("by_branch", {"VM": 2}, rows=_rows("Toimeksiannot", [5]))}
    previous = pl.DataFrame(
        {"period": ["2017H1"], "key_project": ["A"], "_row": [7], "_sheet": ["Digi 2017H1"]}
    )
    return Indicators(
        AS_OF,
        "2017H2",
        {"engagements_completed": done, "branches_covered": branches},
        context,
        evidence={"principles_previous": previous},
    )


def _finding(sheet: str, row: int, rule: str = "expected") -> Finding:
    return Finding(
        "engagements", "s.xlsx", sheet, row, "Elämänpolku", "", rule, Severity.WARNING, "puuttuu"
    )


def test_only_findings_on_rows_the_figures_use_are_counted() -> None:
    findings = [
        _finding("Toimeksiannot", 3),  # a completed engagement: counted
        _finding("Toimeksiannot", 5),  # in a context figure: counted
        _finding("Toimeksiannot", 9),  # e.g. started after the as-of date: not counted
        _finding("Digi 2017H1", 7, "project_left_out"),  # behind the change arrows: counted
        _finding("Asiakastyytyväisyys", 0, "metric_unanswered"),  # sheet-wide: not counted
    ]
    counted = counted_findings(_indicators(), findings)
    assert [(f.sheet, f.row) for f in counted] == [
        ("Toimeksiannot", 3),
        ("Toimeksiannot", 5),
        ("Digi 2017H1", 7),
    ]


def _context(language: str = "fi") -> ReportContext:
    trends = {
        "engagements_completed": [
            (date(2017, 6, 30), 1, Status.RED),
            (AS_OF, 2, Status.RED),  # this report itself: not an earlier value
        ],
        "branches_covered": [(date(2017, 6, 30), 8, Status.YELLOW)],
    }
    findings = (_finding("Toimeksiannot", 3),)
    return ReportContext(_indicators(), datetime(2018, 1, 2, 8), trends, findings, language)


def test_evidence_frames_hold_trend_findings_and_missing_branches() -> None:
    frames = evidence_frames(_context())
    assert frames["trend"].rows() == [
        ("2017H1", date(2017, 6, 30), "Toteutetut toimeksiannot", 1.0, "punainen"),
        (
            "2017H1",
            date(2017, 6, 30),
            "Hallinnonalat, joilla on ollut toimeksianto",
            8.0,
            "keltainen",
        ),
    ]
    assert frames["findings_counted"].select("_sheet", "_row").rows() == [("Toimeksiannot", 3)]
    assert frames["missing_branches"].rows() == [
        ("UM", "Ulkoministeriö"),
        ("YM", "Ympäristöministeriö"),
    ]
    assert frames["principles_previous"]["key_project"].to_list() == ["A"]


def test_appendix_has_a_sheet_per_evidence_frame() -> None:
    ctx = _context("en")
    book = openpyxl.load_workbook(io.BytesIO(build_appendix(ctx)))
    names = book.sheetnames
    for title in (
        "Trend by half-year",
        "Data-quality findings",
        "Branches missing",
        "Principles previous half-year",
    ):
        assert title in names
    trend = [[c.value for c in row] for row in book["Trend by half-year"].iter_rows()]
    assert trend[0] == ["Half-year", "As of", "Indicator", "Value", "Status"]
    assert [r[0] for r in trend[1:]] == ["2017H1", "2017H1"]
    missing = [[c.value for c in row] for row in book["Branches missing"].iter_rows()]
    assert missing[1:] == [
        ["UM", "Ministry for Foreign Affairs"],
        ["YM", "Ministry of the Environment"],
    ]
