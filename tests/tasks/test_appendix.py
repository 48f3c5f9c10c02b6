"""The XLSX appendix.

Contract: `build_appendix` writes a data-dictionary sheet and one sheet per figure with rows,
headed with the sheets' own headers plus "Rivi"/"Välilehti" (fi) or "Row"/"Sheet" (en);
text that looks like a formula (=, +, -, @) stays text; dates are real dates; sheet names
are at most 31 characters and unique.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import openpyxl
import polars as pl
import pytest

from schemas.results import IndicatorResult, Indicators, Status
from tasks.report.appendix import build_appendix, column_header, sheet_names
from tests.support.design import INDICATOR_IDS
from tests.support.indicators import example_indicators

TRICKY = ["=SUM(A1)", "+358401234567", "-5", "@x"]


def _indicators_with_tricky_text() -> Indicators:
    rows = pl.DataFrame(
        {
            "_row": [2, 3, 4, 5],
            "_sheet": ["Toimeksiannot"] * 4,
            "engagement_id": ["D9-001", "D9-002", "D9-003", "D9-004"],
            "title": TRICKY,
            "end_date": [date(2018, 5, 20), date(2018, 1, 2), None, date(2017, 12, 31)],
            "support_areas": [["hankinnat", "viestintä"], [], None, ["muutosjohtaminen"]],
            "cross_administrative": [True, False, None, False],
        }
    )
    done = IndicatorResult("engagements_completed", 4, Status.RED, target=50, rows=rows)
    ind = example_indicators()
    return replace(ind, results={**ind.results, done.id: done})


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def book_fi() -> openpyxl.Workbook:
    return _open(build_appendix(_indicators_with_tricky_text(), "fi"))


def test_sheets_dictionary_first_then_figures_with_rows(book_fi: openpyxl.Workbook) -> None:
    # Example rows exist for: engagements_completed, effects_described_share, deregulation.
    assert book_fi.sheetnames == [
        "Tietosanasto",
        "Toteutetut toimeksiannot",
        "Vaikutukset kuvattu",
        "Normienpurkuehdotukset",
    ]


def test_formula_like_text_stays_text(book_fi: openpyxl.Workbook) -> None:
    sheet = book_fi["Toteutetut toimeksiannot"]
    assert [c.value for c in sheet[1]][:4] == ["Rivi", "Välilehti", "Tunnus", "Toimeksianto"]
    cells = [sheet.cell(row=r, column=4) for r in range(2, 6)]
    assert [c.value for c in cells] == TRICKY
    assert all(c.data_type == "s" for c in cells)


def test_dates_numbers_lists_and_booleans(book_fi: openpyxl.Workbook) -> None:
    sheet = book_fi["Toteutetut toimeksiannot"]
    assert sheet["E2"].is_date and sheet["E2"].value == datetime(2018, 5, 20)
    assert sheet["E4"].value is None
    assert sheet["A2"].value == 2 and sheet["A2"].data_type == "n"
    assert sheet["F2"].value == "hankinnat; viestintä"
    assert sheet["G2"].value is True


def test_data_dictionary_lists_every_indicator(book_fi: openpyxl.Workbook) -> None:
    sheet = book_fi["Tietosanasto"]
    ids = [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)]
    assert ids == INDICATOR_IDS
    assert [c.value for c in sheet[1]] == [
        "Tunnus",
        "Nimi",
        "Määritelmä",
        "Tavoite",
        "Liikennevalot",
        "Arvo",
        "Tila",
    ]
    assert sheet["D2"].value == "50 toimeksiantoa ohjelman loppuun mennessä"
    assert sheet["F6"].value == "3,96" and sheet["G6"].value == "vaatii huomiota"


def test_english_headers() -> None:
    book = _open(build_appendix(_indicators_with_tricky_text(), "en"))
    assert book.sheetnames[0] == "Data dictionary"
    sheet = book["Engagements completed"]
    assert [c.value for c in sheet[1]][:4] == ["Row", "Sheet", "Engagement ID", "Engagement"]
    assert column_header("answered_on", "fi") == "Vastauspäivä"
    assert column_header("unknown_col", "en") == "unknown_col"


def test_sheet_names_are_short_valid_and_unique() -> None:
    long = "Toimeksiannot: painopisteen mukaan / kaikki [2018]"
    names = sheet_names([long, long, "history", "History", ""])
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == 5
    assert not any(ch in n for n in names for ch in "[]:*?/\\")
    assert names[0] == "Toimeksiannot  painopisteen muk"
    assert names[1] == "Toimeksiannot  painopisteen (2)"
    assert names[2] == "history (2)" and names[3] == "History (3)"  # Excel reserves "History"
