"""Nothing that changes a figure slips through without a finding (issue 10, items 1-4 and 11).

Contract under test: every half-year spelling of a `Kausi` cell is read as `2018H1`, anything
else is an unreadable cell naming its address; a survey metric header followed by a bracketed
note is the metric's column; a configured metric column not found blocks ("column missing",
naming the metric and the headers found), one without answers in the latest round is a warning;
a key project assessed in one half-year and missing from the next is a warning naming its row;
a completed engagement ending after `today` and feedback answered after `today` are warnings
naming the row. `tasks.validate.figures` runs without Great Expectations.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from schemas.datasets import PRINCIPLES, agency_survey
from schemas.findings import Finding, Severity
from schemas.periods import half_year
from schemas.settings import Owners, Settings
from schemas.tables import Inputs
from tasks.load import load_table
from tasks.validate.figures import (
    future_findings,
    left_out_findings,
    survey_findings,
)
from tasks.validate.findings import Context
from tasks.validate.views import base_frame
from tests.support import tables as t
from tests.support.workbooks import write_book

SETTINGS = Settings(owners=Owners(agency_survey="kysely@example.org"))
METRICS = ("Kokonaistyytyväisyys", "Asiantuntemus", "Yhteistyön sujuvuus", "Hyödyllisyys")


def _context(inputs: Inputs) -> Context:
    return Context(SETTINGS, {tb.dataset.name: base_frame(tb, inputs) for tb in inputs.tables()})


# --- Item 1: Kausi spellings --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018H1", "2018H1"),
        ("2018 H1", "2018H1"),
        ("H1/2018", "2018H1"),
        ("1/2018", "2018H1"),
        ("2018/1", "2018H1"),
        ("2018 h1", "2018H1"),
        (" 2018-h2 ", "2018H2"),
        ("H2 2018", "2018H2"),
        ("2/2017", "2017H2"),
        ("2018", None),
        ("3/2018", None),
        ("2018/3", None),
        ("2018H3", None),
        ("kevät 2018", None),
        ("1.6.2018", None),
    ],
)
def test_half_year_spellings(text: str, expected: str | None) -> None:
    assert half_year(text) == expected


def test_half_year_inside_a_sheet_name() -> None:
    assert half_year("Digiperiaatteet 2018 H1", within=True) == "2018H1"
    assert half_year("Digiperiaatteet H2/2017", within=True) == "2017H2"
    assert half_year("Digiperiaatteet 2018 H1") is None  # a cell must be the half-year only
    assert half_year("Digiperiaatteet 20181", within=True) is None


def _long_form(tmp_path: Path, periods: list[str]) -> Path:
    rows = [["Periaatearviot"], ["Kausi", "Kärkihanke", "Periaate", "Arvio"]]
    rows += [[p, "Hanke A", str(i + 1), "toteutuu"] for i, p in enumerate(periods)]
    return write_book(tmp_path / "p.xlsx", {"Digiperiaatteet": rows})


def test_long_form_kausi_spellings_all_read_as_the_half_year(tmp_path: Path) -> None:
    spellings = ["2018 H1", "H1/2018", "1/2018", "2018/1", "2018 h1", "2018H1"]
    path = _long_form(tmp_path, spellings)
    table = load_table(PRINCIPLES, path.read_bytes(), source_name="p.xlsx")
    assert table.frame["period"].to_list() == ["2018H1"] * 6
    assert table.problems == ()


def test_unreadable_kausi_is_a_problem_naming_the_cell(tmp_path: Path) -> None:
    path = _long_form(tmp_path, ["2018H1", "kevät 2018", "2018/3"])
    table = load_table(PRINCIPLES, path.read_bytes(), source_name="p.xlsx")
    assert table.frame["period"].to_list() == ["2018H1", None, None]
    # header on row 2, data rows 3-5; Kausi is column A
    assert [(p.cell, p.value, p.column) for p in table.problems] == [
        ("A4", "kevät 2018", "period"),
        ("A5", "2018/3", "period"),
    ]


def test_matrix_period_column_is_read_too(tmp_path: Path) -> None:
    rows = [
        ["Kausi", "Kärkihanke", "1", "2"],
        ["H2/2017", "Hanke C", "toteutuu", "osittain"],
        ["toinen puolisko", "Hanke D", "toteutuu", None],
    ]
    path = write_book(tmp_path / "m.xlsx", {"Digiperiaatteet": rows})
    table = load_table(PRINCIPLES, path.read_bytes(), source_name="m.xlsx")
    assert table.frame["period"].to_list() == ["2017H2", "2017H2", None, None]
    assert {(p.cell, p.value) for p in table.problems} == {("A3", "toinen puolisko")}


# --- Items 2 and 3: survey metric headers and unanswered metrics -----------------------------


def _survey(tmp_path: Path, headers: list[str], answers: list[list[object]]) -> Inputs:
    rows = [["Vastaus", "Kierros", "Vastauspäivä", *headers], *answers]
    path = write_book(tmp_path / "s.xlsx", {"Asiakastyytyväisyys": rows})
    survey = load_table(agency_survey(METRICS), path.read_bytes(), source_name="s.xlsx")
    return replace(t.valid_inputs(), agency_survey=survey)


def test_metric_header_with_a_bracketed_note_is_the_metric(tmp_path: Path) -> None:
    headers = ["Kokonaistyytyväisyys (1–5)", "Asiantuntemus [ka]", *METRICS[2:]]
    inputs = _survey(tmp_path, headers, [["A1", "2018", date(2018, 3, 1), 4, 5, 3, 2]])
    frame = inputs.agency_survey.frame
    assert frame["Kokonaistyytyväisyys"].to_list() == [4.0]
    assert frame["Asiantuntemus"].to_list() == [5.0]
    assert inputs.agency_survey.headers["Kokonaistyytyväisyys"] == "Kokonaistyytyväisyys (1–5)"
    assert survey_findings(inputs.agency_survey, _context(inputs)) == []


def test_header_as_written_beats_one_with_a_note(tmp_path: Path) -> None:
    headers = ["Kokonaistyytyväisyys (vanha)", *METRICS]
    inputs = _survey(tmp_path, headers, [["A1", "2018", date(2018, 3, 1), 1, 4, 5, 3, 2]])
    assert inputs.agency_survey.frame["Kokonaistyytyväisyys"].to_list() == [4.0]


def test_missing_metric_column_blocks_naming_metric_and_headers(tmp_path: Path) -> None:
    headers = ["Kokonaistyytyväisyys", "Asiantuntevuus", *METRICS[2:]]  # a misspelt metric
    inputs = _survey(tmp_path, headers, [["A1", "2018", date(2018, 3, 1), 4, 5, 3, 2]])
    (finding,) = survey_findings(inputs.agency_survey, _context(inputs))
    assert (finding.severity, finding.rule, finding.row) == (
        Severity.BLOCKING,
        "column_missing",
        0,
    )
    assert finding.column == "Asiantuntemus"
    assert "'Asiantuntevuus'" in finding.message and "'Vastauspäivä'" in finding.message
    assert finding.sheet == "Asiakastyytyväisyys" and finding.owner == "kysely@example.org"


def test_metric_without_answers_in_the_latest_round_is_a_warning(tmp_path: Path) -> None:
    answers = [
        ["A1", "2017", date(2017, 3, 1), 4, 4, 4, 4],  # an older round answered everything
        ["A2", "2018", date(2018, 3, 1), 4, 5, 3, None],
        ["A3", "2018", date(2018, 3, 2), 4, 5, 3, None],
    ]
    inputs = _survey(tmp_path, list(METRICS), answers)
    (finding,) = survey_findings(inputs.agency_survey, _context(inputs))
    assert (finding.severity, finding.rule, finding.column, finding.value) == (
        Severity.WARNING,
        "metric_unanswered",
        "Hyödyllisyys",
        "2018",
    )
    assert "2018" in finding.message


# --- Item 4: a key project left out of a half-year ---------------------------------------


def _principles(rows: list[tuple[str, str, int]]) -> Inputs:
    """(period, key project, spreadsheet row) per row; principle 1, toteutuu."""
    records = [
        {"period": p, "key_project": k, "principle": "1", "assessment": "toteutuu"}
        for p, k, _ in rows
    ]
    table = t.table(PRINCIPLES, records)
    frame = table.frame.with_columns(pl.Series("_row", [r for _, _, r in rows], dtype=pl.Int64))
    return replace(t.valid_inputs(), principles=replace(table, frame=frame))


def test_key_project_missing_from_the_next_half_year_is_a_warning_naming_its_row() -> None:
    inputs = _principles(
        [("2017H2", "A", 2), ("2017H2", "B", 3), ("2017H2", "B", 4), ("2018H1", "A", 5)]
    )
    found = left_out_findings(inputs.principles, _context(inputs), date(2018, 7, 2))
    assert [(f.row, f.value, f.rule, f.severity) for f in found] == [
        (4, "B", "project_left_out", Severity.WARNING)  # B's last row in 2017H2
    ]
    assert "2017H2" in found[0].message and "2018H1" in found[0].message


def test_half_year_due_without_rows_names_every_project_before_it() -> None:
    inputs = _principles([("2018H1", "A", 2), ("2018H1", "B", 3)])
    # 2019-01-15: the half-year due is 2018H2 (the deadline's), which has no rows at all
    found = left_out_findings(inputs.principles, _context(inputs), date(2019, 1, 15))
    assert [(f.row, f.value) for f in found] == [(2, "A"), (3, "B")]
    # in mid-2018 the half-year due is 2018H1: nothing is missing yet
    assert left_out_findings(inputs.principles, _context(inputs), date(2018, 9, 1)) == []


# --- Item 11: dates after today -------------------------------------------------------------


def test_future_end_date_and_answer_are_warnings_naming_the_row() -> None:
    base = t.valid_inputs()
    engagements = t.set_cell(base.engagements, 3, "status", "toteutettu")
    engagements = t.set_cell(engagements, 3, "end_date", date(2017, 9, 1))
    engagements = t.set_cell(engagements, 4, "end_date", date(2017, 9, 1))  # ongoing: no warning
    feedback = t.set_cell(base.feedback, 5, "answered_on", date(2017, 8, 2))
    inputs = replace(base, engagements=engagements, feedback=feedback)
    today = date(2017, 8, 1)
    found: list[Finding] = future_findings(inputs, _context(inputs), today)
    assert sorted((f.sheet, f.row, f.column, f.value, f.rule) for f in found) == [
        ("Palaute", 5, "Vastauspäivä", "2017-08-02", "future_date"),
        ("Toimeksiannot", 3, "Päättymispäivä", "2017-09-01", "future_date"),
    ]
    assert {f.severity for f in found} == {Severity.WARNING}
    assert future_findings(inputs, _context(inputs), date(2017, 9, 1)) == []  # on the day: fine
