"""The XLSX appendix.

Contract: `build_appendix` writes, for a report's context, a first sheet saying what the
workbook is (period, as-of date, time generated, source files with fingerprints, targets in
force, program version), a data-dictionary sheet with values and targets as numbers with
formats, one sheet per figure with rows and then the report's evidence sheets (trend, findings
counted, branches missing), headed with the sheets' own headers plus "Rivi"/"Välilehti" (fi) or
"Row"/"Sheet" (en) and never an internal name; every data sheet has an autofilter over all its
rows, a frozen header and widths fitted to its text; text that looks like a formula (=, +, -,
@) stays text; dates are real dates; sheet names are at most 31 characters, unique, cut at a
word boundary without a trailing space. Whole numbers are whole (a rating 5, a principle 3);
the findings sheet says where (sheet, row, Tunnus, column), what and why, each once; the first
sheet lists every sheet as a link to it; every sheet prints landscape, one page wide, with its
header rows on every page.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import openpyxl
import polars as pl
import pytest

from schemas.report import Provenance, ReportContext, SourceFile
from schemas.results import IndicatorResult, Indicators, Status
from schemas.settings import Settings
from tasks.indicators import compute_indicators
from tasks.report.appendix import build_appendix, column_header, sheet_names
from tasks.report.evidence import evidence_frames
from tests.support.design import INDICATOR_IDS
from tests.support.frames import large_frames
from tests.support.indicators import GENERATED_AT, example_indicators

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


def _context(indicators: Indicators, language: str) -> ReportContext:
    return ReportContext(indicators, GENERATED_AT, language=language)


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


ABOUT = Provenance(
    datetime(2018, 7, 2, 8, 15),
    (SourceFile("engagements", "seuranta.xlsx", "Toimeksiannot", 45, "ab" * 32),),
    (("programme.deadline", date(2018, 12, 31)), ("targets.share_yellow", 0.9)),
    "1.2.3",
)


@pytest.fixture(scope="module")
def book_fi() -> openpyxl.Workbook:
    return _open(build_appendix(_context(_indicators_with_tricky_text(), "fi"), ABOUT))


def test_sheets_about_and_dictionary_first_then_figures_with_rows(
    book_fi: openpyxl.Workbook,
) -> None:
    # Example rows exist for: engagements_completed, effects, branches, deregulation; then the
    # evidence (no earlier reports and no findings here: those two sheets have headers only).
    assert book_fi.sheetnames == [
        "Tietoja",
        "Tietosanasto",
        "Toteutetut toimeksiannot",
        "Vaikutukset kuvattu",
        "Hallinnonalat",
        "Sääntelyesteet",
        "Kehitys kausittain",
        "Laatuhavainnot",
        "Puuttuvat hallinnonalat",
    ]
    assert [r for r in book_fi["Puuttuvat hallinnonalat"].iter_rows(values_only=True)][1:] == [
        ("PLM", "Puolustusministeriö"),
        ("YM", "Ympäristöministeriö"),
    ]


def test_first_sheet_says_what_the_workbook_is(book_fi: openpyxl.Workbook) -> None:
    rows = [[c for c in r if c is not None] for r in book_fi["Tietoja"].iter_rows(values_only=True)]
    facts = {r[0]: r[1:] for r in rows if r}
    assert facts["Kausi"] == ["1.1.–30.6.2018 (2018H1)"]
    assert facts["Tilanne"] == [datetime(2018, 6, 30)]
    assert facts["Luotu"] == [datetime(2018, 7, 2, 8, 15)]
    assert facts["Ohjelman versio"] == ["1.2.3"]
    assert facts["Aineiston tunniste"] == ["example"]
    assert facts["seuranta.xlsx"] == ["Toimeksiannot", 45, "ab" * 32]
    assert facts["Ohjelmakauden loppu"] == [datetime(2018, 12, 31)]
    assert facts["Osuuksien keltaisen raja (vaikutukset, elämänpolku ja ekosysteemi)"] == [0.9]
    assert facts["Sääntelyesteet"] == ["Havaitut sääntelyesteet"]  # every sheet is listed
    assert book_fi["Tietoja"]["B3"].number_format == "d.m.yyyy"


def test_data_sheets_have_filters_frozen_headers_and_fitted_widths(
    book_fi: openpyxl.Workbook,
) -> None:
    for sheet in book_fi.worksheets[1:]:
        last = openpyxl.utils.get_column_letter(sheet.max_column)
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}", sheet.title
        assert sheet.freeze_panes == "A2"
    widths = {k: v.width for k, v in book_fi["Vaikutukset kuvattu"].column_dimensions.items()}
    # Rivi (4 chars, numbers) is narrow; "Hankinta jaettiin vaiheisiin ja ensimmäinen vaihe
    # kilpailutettiin" (65 characters) is capped at 60; "Tunnus" column fits "D9-001" + 2.
    assert widths["A"] == 6 and widths["C"] == 8 and widths["I"] == 60


def test_no_internal_names_in_headers() -> None:
    assert column_header("counted", "fi") == "Lasketaan mukaan"
    assert column_header("_cell", "fi") == "Solu"
    assert column_header("counted", "en") == "Counted"
    assert column_header("key_project", "en") == "Key project"


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


def test_data_dictionary_lists_every_indicator_with_numbers(book_fi: openpyxl.Workbook) -> None:
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
        "Palvelee tavoitteita",  # the action plan's goals, from the spec (issue 20)
    ]
    assert (
        sheet["H2"].value.startswith("Palvelee tavoitteita 1 (") and " ja 4 (" in sheet["H2"].value
    )
    assert (sheet["D2"].value, sheet["F2"].value, sheet["G2"].value) == (
        50,
        4,
        "jäljessä aikataulusta",
    )
    assert sheet["F2"].number_format == "0"
    assert sheet["F3"].value == pytest.approx(37 / 38) and sheet["F3"].number_format == "0.0%"
    assert sheet["F6"].value == 3.96 and sheet["F6"].number_format == "#,##0.00"
    assert sheet["G6"].value == "lähellä tavoitetta"


def test_english_headers() -> None:
    book = _open(build_appendix(_context(_indicators_with_tricky_text(), "en")))
    assert book.sheetnames[:2] == ["About", "Data dictionary"]
    sheet = book["Engagements completed"]
    assert [c.value for c in sheet[1]][:4] == ["Row", "Sheet", "Engagement ID", "Engagement"]
    assert column_header("answered_on", "fi") == "Vastauspäivä"
    assert column_header("unknown_col", "en") == "unknown_col"


def test_sheet_names_are_short_valid_and_unique() -> None:
    long = "Toimeksiannot: painopisteen mukaan / kaikki [2018]"
    comma = "Toimeksiannot, joissa vaikutettiin strategisiin valintoihin"
    names = sheet_names([long, long, "history", "History", "", comma])
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == 6
    assert not any(ch in n for n in names for ch in "[]:*?/\\")
    assert not any(n != n.strip() for n in names)
    assert names[0] == "Toimeksiannot painopisteen"  # not "… muk" cut mid-word
    assert names[1] == "Toimeksiannot painopisteen (2)"
    assert names[2] == "history (2)" and names[3] == "History (3)"  # Excel reserves "History"
    assert names[4] == "Sheet"
    assert names[5] == "Toimeksiannot, joissa"  # the comma left at the cut goes too


def test_every_value_of_every_figure_round_trips() -> None:
    """The column-wise sheet writer puts each value in its own row and column, typed."""
    ind = compute_indicators(large_frames(500), date(2018, 6, 30), Settings())
    ctx = _context(ind, "fi")
    book = _open(build_appendix(ctx))
    figures = [r.rows for r in ind.results.values()] + [f.rows for f in ind.context.values()]
    figures = [f for f in [*figures, *evidence_frames(ctx).values()] if f.width]
    assert len(book.worksheets) == 2 + len(figures)
    for sheet, frame in zip(book.worksheets[2:], figures, strict=True):
        first = [c for c in ("_row", "_sheet") if c in frame.columns]
        frame = frame.select(first + [c for c in frame.columns if c not in first])
        if frame.schema.get("principle") == pl.String:  # "3" is written as the number it is
            frame = frame.with_columns(pl.col("principle").cast(pl.Int64))
        expected = [[_as_read(v) for v in row] for row in frame.iter_rows()]
        got = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
        assert got == expected, sheet.title


def _as_read(value: object) -> object:
    """A value as openpyxl reads it back: dates as datetimes, lists joined, "" as None."""
    if isinstance(value, list):
        value = "; ".join(str(x) for x in value if x is not None)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return None if value == "" else value


def test_findings_sheet_says_where_what_and_why_once() -> None:
    from tests.support.indicators import example_findings

    ctx = replace(_context(example_indicators(), "fi"), warnings=tuple(example_findings()[:1]))
    sheet = _open(build_appendix(ctx))["Laatuhavainnot"]
    header, first = list(sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    assert header == ("Rivi", "Välilehti", "Tunnus", "Sarake", "Arvo", "Vakavuus", "Viesti")
    finding = example_findings()[0]
    assert first[:4] == (finding.row, finding.sheet, finding.engagement_id, finding.column)
    assert first[-1] == finding.message


def test_whole_numbers_read_as_whole_numbers() -> None:
    rows = pl.DataFrame(
        {
            "_row": [3, 4],
            "_sheet": ["Palaute", "Palaute"],
            "value_rating": [5.0, 4.0],
            "principle": ["3", "9"],
            "mean": [4.5, 3.0],
        }
    )
    quick = IndicatorResult("quick_satisfaction_mean", 4.5, Status.GREEN, target=4.0, rows=rows)
    ind = example_indicators()
    ind = replace(ind, results={**ind.results, quick.id: quick})
    sheet = _open(build_appendix(_context(ind, "fi")))["Palautteen keskiarvo"]
    rating, principle, mean = sheet["C2"], sheet["D2"], sheet["E2"]
    assert (rating.value, rating.number_format) == (5, "0")  # not "5,00"
    assert (principle.value, principle.number_format) == (3, "0")
    assert (mean.value, mean.number_format) == (4.5, "#,##0.00")


def test_first_sheet_links_to_every_sheet(book_fi: openpyxl.Workbook) -> None:
    about = book_fi["Tietoja"]
    links = {c.value: c.hyperlink.location for r in about.iter_rows() for c in r if c.hyperlink}
    assert links == {name: f"'{name}'!A1" for name in book_fi.sheetnames[1:]}


def test_every_sheet_prints_landscape_one_page_wide_with_its_headers(
    book_fi: openpyxl.Workbook,
) -> None:
    for sheet in book_fi.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.page_setup.paperSize == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == "$1:$1"
        assert "&P / &N" in sheet.oddFooter.right.text
