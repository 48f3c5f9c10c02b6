"""The evaluator's export (tasks/export): which half-years, the long-form rows, reported or
recomputed, and `evaluation.xlsx` read back with openpyxl, on hand-built values.

Contract of the workbook: per half-year a `<period>` sheet (a title row, the indicators' header
and rows, a blank row, the context figures' header and rows; not frozen) and a `<period> rivit`
sheet (every row behind the figures, the figure's id first, sheet and row last; header and
first column frozen); then `Sääntelyesteet`, the last half-year's deregulation log. Headers are
the register's own, text stays text (even "=SUM(A1)"), numbers are numbers, dates are dates
shown d.m.yyyy, yes/no are the words "kyllä"/"ei".
"""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import polars as pl
import pytest

from schemas.export import HalfYear
from schemas.results import ContextFigure, IndicatorResult, Indicators, Status
from tasks.export import export_periods
from tasks.export.long_form import INDICATOR_HEADER, cell, context_rows, indicator_rows, to_csv
from tasks.export.workbook import build_workbook

START, DEADLINE = date(2016, 9, 8), date(2018, 12, 31)


@pytest.mark.parametrize(
    ("today", "periods"),
    [
        (date(2016, 12, 31), []),  # the first half-year has not ended yet
        (date(2017, 1, 1), ["2016H2"]),
        (date(2018, 7, 1), ["2016H2", "2017H1", "2017H2", "2018H1"]),
        (date(2018, 12, 31), ["2016H2", "2017H1", "2017H2", "2018H1"]),
        (date(2026, 11, 27), ["2016H2", "2017H1", "2017H2", "2018H1", "2018H2"]),  # capped
    ],
    ids=["none-yet", "first", "mid", "deadline-day", "long-after"],
)
def test_half_years_from_the_first_to_the_last_ended_at_most_the_deadlines(
    today: date, periods: list[str]
) -> None:
    assert export_periods(START, DEADLINE, today) == periods


def _half_year(reported: dict[str, float | int | None]) -> HalfYear:
    results = {
        "engagements_completed": IndicatorResult("engagements_completed", 21, Status.YELLOW, 50),
        "quick_satisfaction_mean": IndicatorResult(
            "quick_satisfaction_mean", 67 / 16, Status.GREEN, 4.0
        ),
        "agency_survey_green_share": IndicatorResult(
            "agency_survey_green_share", None, Status.GREY
        ),
    }
    context = {
        "by_service_concept": ContextFigure("by_service_concept", counts={"Herätys": 2}),
        "starting_phase_share": ContextFigure(
            "starting_phase_share", value=0.25, numerator=1, denominator=4
        ),
    }
    return HalfYear("2017H1", Indicators(date(2017, 6, 30), "2017H1", results, context), reported)


def test_rows_keep_full_precision_and_say_reported_or_recomputed() -> None:
    h = _half_year({"engagements_completed": 21, "quick_satisfaction_mean": 4.0})
    rows = [[cell(v) for v in r] for r in indicator_rows([h])]
    assert rows == [
        ["2017H1", "2017-06-30", "engagements_completed", "21", "50", "yellow", "reported", "21"],
        [
            "2017H1",
            "2017-06-30",
            "quick_satisfaction_mean",
            "4.1875",
            "4.0",
            "green",
            "recomputed",
            "4.0",
        ],  # the report said 4.0: the data changed since
        ["2017H1", "2017-06-30", "agency_survey_green_share", "", "", "grey", "recomputed", ""],
    ]
    data = to_csv(INDICATOR_HEADER, indicator_rows([h])).decode("utf-8")
    assert data.startswith("period,as_of,indicator,value,target,status,source,reported_value\n")


def test_context_rows_give_categories_and_a_summary_row() -> None:
    rows = [[cell(v) for v in r] for r in context_rows([_half_year({})])]
    assert rows == [
        ["2017H1", "2017-06-30", "by_service_concept", "Herätys", "2", "", ""],
        ["2017H1", "2017-06-30", "starting_phase_share", "", "0.25", "1", "4"],
    ]


def test_a_reported_none_matches_only_none() -> None:
    h = _half_year({"agency_survey_green_share": None, "engagements_completed": None})
    assert h.source("agency_survey_green_share") == "reported"
    assert h.source("engagements_completed") == "recomputed"


def _with_rows(period: str, as_of: date, obstacle: str) -> HalfYear:
    """A half-year whose figures have rows: two completed engagements, one answer, one obstacle."""
    completed = pl.DataFrame(
        {
            "engagement_id": ["D9-001", "D9-002"],
            "title": ["=SUM(A1)", "+358401234567"],
            "end_date": [date(2017, 3, 1), date(2017, 5, 31)],
            "cross_administrative": [True, None],
            "_row": [2, 3],
            "_sheet": ["Toimeksiannot", "Toimeksiannot"],
        }
    )
    answers = pl.DataFrame(
        {"response_id": ["P1"], "value_rating": [5], "_row": [7], "_sheet": ["Palaute"]}
    )
    log = pl.DataFrame(
        {
            "engagement_id": ["D9-002"],
            "regulatory_obstacles": [obstacle],
            "found_on": [date(2017, 2, 1)],
            "found_on_assumed": [False],
            "_row": [3],
            "_sheet": ["Toimeksiannot"],
        }
    )
    h = _half_year({"engagements_completed": 21, "quick_satisfaction_mean": 4.0})
    done = IndicatorResult("engagements_completed", 21, Status.YELLOW, 50, rows=completed)
    mean = IndicatorResult("quick_satisfaction_mean", 67 / 16, Status.GREEN, 4.0, rows=answers)
    results = {**h.indicators.results, done.id: done, mean.id: mean}
    dereg = ContextFigure("deregulation_opportunities", rows=log)
    context = {**h.indicators.context, dereg.id: dereg}
    return HalfYear(period, Indicators(as_of, period, results, context), h.reported)


@pytest.fixture(scope="module")
def evaluation() -> openpyxl.Workbook:
    half_years = [
        _with_rows("2017H1", date(2017, 6, 30), "Lupa vaaditaan kahdesti"),
        _with_rows("2017H2", date(2017, 12, 31), "Sama selvitys kahdelle viranomaiselle"),
    ]
    data = build_workbook(half_years)
    assert data == build_workbook(half_years)  # the same half-years give the same bytes
    return openpyxl.load_workbook(io.BytesIO(data))


def test_workbook_has_figures_and_rows_per_half_year_then_the_ministry_log(
    evaluation: openpyxl.Workbook,
) -> None:
    assert evaluation.sheetnames == [
        "2017H1",
        "2017H1 rivit",
        "2017H2",
        "2017H2 rivit",
        "Sääntelyesteet",
    ]


def test_figures_sheet_title_indicators_blank_row_then_context(
    evaluation: openpyxl.Workbook,
) -> None:
    sheet = evaluation["2017H1"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Tunnusluvut 2017H1 (tilanne 2017-06-30)" and sheet["A1"].font.b
    assert rows[1] == [
        "Tunniste",
        "Nimi",
        "Määritelmä",
        "Tavoite",
        "Värirajat",
        "Arvo",
        "Tila",
        "Osoittaja",
        "Nimittäjä",
        "Lähde",
        "Raportoitu arvo",
    ]
    done, mean, survey = rows[2], rows[3], rows[4]
    assert done[:2] == ["engagements_completed", "Toteutetut toimeksiannot"]
    assert (done[3], done[5], done[6], done[9], done[10]) == (
        50,
        21,
        "lähellä tavoitetta",
        "raportoitu",
        21,
    )
    assert mean[1] == "Herätysten ja kokeilujen palautteen keskiarvo"
    # 67/16 = 4.1875 exactly, but the report sent 4.0: recomputed, both numbers kept.
    assert (mean[5], mean[9], mean[10]) == (4.1875, "laskettu uudelleen", 4.0)
    assert (survey[0], survey[5], survey[6], survey[10]) == (
        "agency_survey_green_share",
        None,
        "ei tietoa",
        None,
    )
    assert rows[5] == [None] * 11  # the blank row between the two tables
    assert rows[6][:6] == ["Muu tunnusluku", "Nimi", "Luokka", "Arvo", "Osoittaja", "Nimittäjä"]
    assert rows[7][:4] == [
        "by_service_concept",
        "Toimeksiannot palvelukonseptin mukaan",
        "Herätys",
        2,
    ]
    assert rows[8][:6] == [
        "starting_phase_share",
        "Toimeksiannot alkavissa hankkeissa",
        "yhteensä / osuus",
        0.25,
        1,
        4,
    ]
    assert len(rows) == 9  # the deregulation log has rows but no counts: no line of its own
    assert sheet["D3"].data_type == "n" and sheet["F4"].data_type == "n"
    assert sheet["C3"].alignment.wrap_text and sheet["B2"].alignment.wrap_text
    assert sheet["B2"].font.b and sheet.freeze_panes is None
    widths = {k: v.width for k, v in sheet.column_dimensions.items()}
    assert [widths[c] for c in "ABEFK"] == [30, 36, 36, 13, 13]


def test_rows_sheet_keeps_types_and_the_registers_headers(evaluation: openpyxl.Workbook) -> None:
    sheet = evaluation["2017H1 rivit"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "Tunnusluku",
        "Tunnus",
        "Toimeksianto",
        "Päättymispäivä",
        "Poikkihallinnollinen",
        "Vastaus",
        "Koetko D9-yhteistyön tuovan lisäarvoa ja hyötyä hankkeellesi?",
        "Sääntelyesteet",
        "Havaittu (tai alkupäivä)",
        "Havaintopäivänä alkupäivä",
        "Välilehti",
        "Rivi",
    ]
    march, may, feb = datetime(2017, 3, 1), datetime(2017, 5, 31), datetime(2017, 2, 1)
    none5 = [None] * 5
    assert rows[1:] == [
        ["engagements_completed", "D9-001", "=SUM(A1)", march, "kyllä", *none5, "Toimeksiannot", 2],
        ["engagements_completed", "D9-002", "+358401234567", may, *none5, None, "Toimeksiannot", 3],
        [
            "quick_satisfaction_mean",
            None,
            None,
            None,
            None,
            "P1",
            5,
            None,
            None,
            None,
            "Palaute",
            7,
        ],
        [
            "deregulation_opportunities",
            "D9-002",
            *[None] * 5,
            "Lupa vaaditaan kahdesti",
            feb,
            "ei",
            "Toimeksiannot",
            3,
        ],
    ]
    assert sheet["C2"].data_type == "s" and sheet["C3"].data_type == "s"  # text, not formulas
    assert sheet["D2"].is_date and sheet["D2"].number_format == "d.m.yyyy"
    assert sheet["G4"].data_type == "n" and sheet["L2"].data_type == "n"
    assert sheet["A1"].font.b and sheet["G1"].alignment.wrap_text
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == "A1:L5"
    assert {v.width for v in sheet.column_dimensions.values()} == {16}


def test_ministry_log_is_the_last_half_years(evaluation: openpyxl.Workbook) -> None:
    sheet = evaluation["Sääntelyesteet"]
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        [
            "Tunnus",
            "Sääntelyesteet",
            "Havaittu (tai alkupäivä)",
            "Havaintopäivänä alkupäivä",
            "Rivi",
            "Välilehti",
        ],
        [
            "D9-002",
            "Sama selvitys kahdelle viranomaiselle",
            datetime(2017, 2, 1),
            "ei",
            3,
            "Toimeksiannot",
        ],
    ]
    assert sheet["C2"].number_format == "d.m.yyyy" and sheet.freeze_panes == "B2"


def test_half_years_without_rows_give_header_only_sheets() -> None:
    book = openpyxl.load_workbook(io.BytesIO(build_workbook([_half_year({})])))
    assert [list(r) for r in book["2017H1 rivit"].iter_rows(values_only=True)] == [["Tunnusluku"]]
    assert book["Sääntelyesteet"].max_row == 1  # no log: an empty sheet, still there
    assert openpyxl.load_workbook(io.BytesIO(build_workbook([]))).sheetnames == ["Sääntelyesteet"]
