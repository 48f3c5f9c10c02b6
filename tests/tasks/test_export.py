"""The evaluator's export (tasks/export): which half-years, the long-form rows, reported or
recomputed, on hand-built values."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.export import HalfYear
from schemas.results import ContextFigure, IndicatorResult, Indicators, Status
from tasks.export import export_periods
from tasks.export.long_form import INDICATOR_HEADER, cell, context_rows, indicator_rows, to_csv

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
