"""The shared XLSX writer (tasks._xlsx), read back with openpyxl.

Contract: `write_xlsx(sheets, language)` writes text always as text (a cell "=SUM(A1)" or
"+358…" stays a string), numbers as numbers (integers "0", decimals "#,##0.00"; not-finite ones
left empty), dates as dates (d.m.yyyy in Finnish, yyyy-mm-dd in English), booleans as
booleans and lists joined with "; ". A sheet has an optional title row, a header row, then a
frame or rows of cells (several blocks); by default a frozen header, an autofilter over all
its rows and widths fitted to the text (header included, 6–60 characters); given widths, a
wrapping header style, a frozen first column or no frozen rows on request. Every part is
well-formed XML with its content type declared, and the same sheets give the same bytes.
"""

from __future__ import annotations

import io
import math
import zipfile
from datetime import date, datetime
from xml.etree import ElementTree

import openpyxl
import polars as pl
import pytest

from tasks._xlsx import (
    DATE,
    HEADER,
    HEADER_WRAP,
    INTEGER,
    PERCENT,
    TITLE,
    WRAP,
    Cell,
    Sheet,
    write_xlsx,
)
from tasks._xlsx import sheet as sheet_module

TRICKY = ["=SUM(A1)", "+358401234567", "-5", "@x"]
LONG = "Hankinta jaettiin vaiheisiin ja ensimmäinen vaihe kilpailutettiin, toinen ei vielä"


def _frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": ["D9-001", "D9-002", "D9-003", "D9-004"],
            "title": TRICKY,
            "count": [3, None, 0, 12],
            "mean": [4.25, math.nan, math.inf, None],
            "day": [date(2018, 5, 20), None, date(2017, 12, 31), date(2016, 9, 8)],
            "moment": [datetime(2018, 6, 30, 9, 15), None, None, None],
            "done": [True, False, None, True],
            "areas": [["hankinnat", "viestintä"], [], None, ["muutosjohtaminen"]],
            "note": [LONG, "a & b < c", "tab\there\x01", None],
        }
    )


HEADERS = ["Tunnus", "Otsikko", "Määrä", "Ka", "Päivä", "Hetki", "Valmis", "Tuki", "Huomio"]


def _book(sheets: list[Sheet], language: str = "fi") -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(write_xlsx(sheets, language)))


@pytest.fixture(scope="module")
def data_sheet() -> openpyxl.worksheet.worksheet.Worksheet:
    return _book([Sheet("Rivit", HEADERS, frame=_frame())])["Rivit"]


def test_text_stays_text_whatever_it_starts_with(
    data_sheet: openpyxl.worksheet.worksheet.Worksheet,
) -> None:
    cells = [data_sheet.cell(row=r, column=2) for r in range(2, 6)]
    assert [c.value for c in cells] == TRICKY
    assert all(c.data_type == "s" for c in cells)
    assert data_sheet["I3"].value == "a & b < c"
    assert data_sheet["I4"].value == "tab\there"  # the control character is dropped


def test_numbers_dates_booleans_and_lists_keep_their_types(
    data_sheet: openpyxl.worksheet.worksheet.Worksheet,
) -> None:
    s = data_sheet
    assert (s["C2"].value, s["C2"].data_type, s["C2"].number_format) == (3, "n", "0")
    assert (s["C3"].value, s["C4"].value) == (None, 0)
    assert (s["D2"].value, s["D2"].number_format) == (4.25, "#,##0.00")
    assert s["D3"].value is None and s["D4"].value is None  # NaN and infinity: no number
    assert s["E2"].is_date and s["E2"].value == datetime(2018, 5, 20)
    assert s["E2"].number_format == "d.m.yyyy" and s["E3"].value is None
    assert s["F2"].value == datetime(2018, 6, 30, 9, 15)
    assert [s[f"G{r}"].value for r in range(2, 6)] == [True, False, None, True]
    assert s["H2"].value == "hankinnat; viestintä" and s["H4"].value is None


def test_header_is_frozen_filtered_and_widths_fit_the_text(
    data_sheet: openpyxl.worksheet.worksheet.Worksheet,
) -> None:
    s = data_sheet
    assert [c.value for c in s[1]] == HEADERS
    assert s["A1"].font.b and s["A1"].fill.fgColor.rgb == "FFE0E0E0"
    assert s.freeze_panes == "A2"
    assert s.auto_filter.ref == "A1:I5"
    widths = {k: v.width for k, v in s.column_dimensions.items()}
    # "D9-001" and "Tunnus" are 6 long: 6 + 2. "Ka" and 4.25 fit in the minimum 6. A date is
    # 10 (d.m.yyyy at most). LONG is 82 characters: capped at 60. "['hankinnat', …]" is not
    # measured, its written text "hankinnat; viestintä" (20) is.
    assert widths["A"] == 8 and widths["D"] == 6 and widths["E"] == 12
    assert widths["I"] == 60 and widths["H"] == 22


def test_english_dates_and_the_filter_name_excel_expects() -> None:
    frame = pl.DataFrame({"day": [date(2018, 6, 30)]})
    data = write_xlsx([Sheet("Bob's rows", ["Day"], frame=frame)], "en")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Bob's rows"]
    assert sheet["A2"].number_format == "yyyy-mm-dd"
    book = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml").decode()
    name = '<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
    assert f"{name}'Bob''s rows'!$A$1:$A$2</definedName>" in book


def test_cell_rows_in_blocks_under_a_title_with_given_widths() -> None:
    rows = [
        [Cell("engagements_completed"), Cell(21, WRAP), Cell(0.42, PERCENT)],
        [],
        [Cell("Muu tunnusluku", HEADER_WRAP), Cell("Arvo", HEADER_WRAP)],
        [Cell("by_branch"), Cell(4, INTEGER), Cell(date(2018, 6, 30), DATE), Cell(True)],
        [Cell(0.1 + 0.2), Cell(None), Cell(""), Cell(math.nan)],
    ]
    sheet = Sheet(
        "2018H1",
        ["Tunniste", "Arvo", "Osuus"],
        rows=rows,
        widths=(30, 13),
        autofilter=False,
        title="Tunnusluvut 2018H1",
        header_style=HEADER_WRAP,
        frozen=False,
    )
    s = _book([sheet])["2018H1"]
    assert s["A1"].value == "Tunnusluvut 2018H1" and s["A1"].font.b and s["A1"].font.sz == 14
    assert [c.value for c in s[2]] == ["Tunniste", "Arvo", "Osuus", None]
    assert s["B2"].alignment.wrap_text and s["B2"].font.b
    assert (s["B3"].value, s["B3"].alignment.wrap_text, s["B3"].alignment.vertical) == (
        21,
        True,
        "top",
    )
    assert (s["C3"].value, s["C3"].number_format) == (0.42, "0.0%")
    assert all(c.value is None for c in s[4])  # the blank row between the blocks
    assert s["A5"].value == "Muu tunnusluku" and s["A5"].alignment.wrap_text
    assert (s["C6"].value, s["C6"].number_format, s["D6"].value) == (
        datetime(2018, 6, 30),
        "d.m.yyyy",
        True,
    )
    assert s["A7"].value == 0.30000000000000004  # every digit of the double
    assert [s[f"{c}7"].value for c in "BCD"] == [None, None, None]
    assert s.freeze_panes is None and s.auto_filter.ref is None
    widths = {k: v.width for k, v in s.column_dimensions.items()}
    # Given: A, B. Fitted: C to the date's text "2018-06-30" (10) + 2, D to "True" (min 6).
    assert (widths["A"], widths["B"], widths["C"], widths["D"]) == (30, 13, 12, 6)


@pytest.mark.parametrize(
    ("title", "frozen_columns", "pane", "filter_ref"),
    [("", 1, "B2", "A1:B3"), ("Otsikko", 0, "A3", "A2:B4"), ("Otsikko", 1, "B3", "A2:B4")],
    ids=["first-column", "under-a-title", "both"],
)
def test_frozen_panes_follow_the_title_and_the_frozen_columns(
    title: str, frozen_columns: int, pane: str, filter_ref: str
) -> None:
    frame = pl.DataFrame({"a": ["x", "y"], "b": [1, 2]})
    sheet = Sheet("S", ["A", "B"], frame=frame, title=title, frozen_columns=frozen_columns)
    s = _book([sheet])["S"]
    assert s.freeze_panes == pane and s.auto_filter.ref == filter_ref
    assert s.cell(row=s.max_row, column=1).value == "y"


def test_a_large_frame_is_written_a_slice_at_a_time_and_reads_back_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    frame = pl.DataFrame({"n": [1, 2, 3, 4, 5], "t": ["a", "b", "c", "d", "e"]})
    whole = write_xlsx([Sheet("S", ["N", "T"], frame=frame)], "fi")
    monkeypatch.setattr(sheet_module, "_SLICE", 2)  # three slices: rows 2-3, 4-5, 6
    sliced = write_xlsx([Sheet("S", ["N", "T"], frame=frame)], "fi")
    assert sliced == whole
    s = openpyxl.load_workbook(io.BytesIO(sliced))["S"]
    rows = [[c.row, c.value] for r in s.iter_rows(min_row=2, max_col=1) for c in r]
    assert rows == [[2, 1], [3, 2], [4, 3], [5, 4], [6, 5]]
    assert s["B6"].value == "e" and s.auto_filter.ref == "A1:B6"


def test_an_empty_sheet_without_columns_still_opens() -> None:
    book = _book([Sheet("Tyhjä", [], frame=pl.DataFrame()), Sheet("Rivit", ["A"], rows=[])])
    assert book.sheetnames == ["Tyhjä", "Rivit"]
    assert book["Tyhjä"].max_row == 1 and book["Tyhjä"]["A1"].value is None
    assert book["Rivit"].auto_filter.ref == "A1:A1"


def test_same_sheets_same_bytes_and_every_part_declared_and_well_formed() -> None:
    sheets = [
        Sheet("Rivit", HEADERS, frame=_frame()),
        Sheet("Tietoja", ["Tietoja"], rows=[[Cell("Kausi", HEADER), Cell("2018H1", TITLE)]]),
    ]
    first, second = write_xlsx(sheets, "fi"), write_xlsx(sheets, "fi")
    assert first == second
    package = zipfile.ZipFile(io.BytesIO(first))
    for name in package.namelist():
        ElementTree.fromstring(package.read(name))  # raises on malformed XML
    styles = package.read("xl/styles.xml").decode()  # Normal names Calibri 11 (font 0)
    assert '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' in styles
    types = package.read("[Content_Types].xml").decode()
    for part in ("workbook", "styles", "worksheets/sheet1", "worksheets/sheet2"):
        assert f'PartName="/xl/{part}.xml"' in types, part
