"""Build the XLSX appendix: the rows behind every figure, and a data dictionary.

Every text cell is written as text, never as a formula (a cell "=SUM(A1)" in a register
stays the string "=SUM(A1)"); dates are real dates with a date format.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

import polars as pl
import xlsxwriter

from schemas.catalogue import messages, translate
from schemas.datasets import AGENCY_SURVEY_FIXED, ENGAGEMENTS, FEEDBACK, PRINCIPLES
from schemas.results import Indicators
from schemas.tables import ROW, SHEET
from tasks.report.i18n import format_value

_MAX_SHEET = 31
DATE_FORMATS = {"fi": "d.m.yyyy", "en": "yyyy-mm-dd"}
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _headers_fi() -> dict[str, str]:
    columns = (*ENGAGEMENTS.columns, *FEEDBACK.columns, *AGENCY_SURVEY_FIXED, *PRINCIPLES.columns)
    out: dict[str, str] = {}
    for column in columns:
        out.setdefault(column.name, column.header_fi)
    return out


def column_header(name: str, language: str) -> str:
    """Return the header a reader knows for a canonical column (the sheet's own in Finnish)."""
    if name == ROW:
        return translate(language, "appendix.row")
    if name == SHEET:
        return translate(language, "appendix.sheet")
    fallback = _headers_fi().get(name, name)
    return fallback if language == "fi" else messages(language).get(f"header.{name}", fallback)


def sheet_names(titles: Iterable[str]) -> list[str]:
    """Make valid, unique sheet names (≤ 31 characters, no []:*?/\\) from titles, in order."""
    out: list[str] = []
    taken = {"history"}  # Excel reserves this name
    for title in titles:
        base = _BAD_SHEET_CHARS.sub(" ", title).strip("' ")[:_MAX_SHEET] or "Sheet"
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            name = base[: _MAX_SHEET - len(suffix)] + suffix
        taken.add(name.casefold())
        out.append(name)
    return out


def _ordered(frame: pl.DataFrame) -> pl.DataFrame:
    """Put the row number and sheet first, the canonical columns after them."""
    first = [c for c in (ROW, SHEET) if c in frame.columns]
    return frame.select(first + [c for c in frame.columns if c not in first])


Writer = Callable[[Any, int, int, Any], object]


def _writer(dtype: pl.DataType, date_format: Any) -> Writer:
    """Pick one cell writer per column from its dtype, instead of testing every value."""
    if dtype == pl.Boolean:
        return lambda sheet, r, c, v: sheet.write_boolean(r, c, v)
    if dtype.is_numeric():
        return lambda sheet, r, c, v: sheet.write_number(r, c, v)
    if dtype in (pl.Date, pl.Datetime):
        return lambda sheet, r, c, v: sheet.write_datetime(r, c, v, date_format)
    if isinstance(dtype, pl.List):
        return lambda sheet, r, c, v: sheet.write_string(
            r, c, "; ".join(str(x) for x in v if x is not None)
        )
    # Text stays text, even "=SUM(A1)": never write_formula, never the generic write().
    return lambda sheet, r, c, v: sheet.write_string(r, c, str(v))


def _write_rows(
    book: Any,
    name: str,
    frame: pl.DataFrame,
    language: str,
    fmt: dict[str, Any],
) -> None:
    sheet = book.add_worksheet(name)
    frame = _ordered(frame)
    writers = [_writer(dtype, fmt["date"]) for dtype in frame.dtypes]
    for col, column in enumerate(frame.columns):
        sheet.set_column(col, col, 14 if column not in (ROW,) else 7)
        sheet.write_string(0, col, column_header(column, language), fmt["header"])
    sheet.freeze_panes(1, 0)
    # Rows are written strictly in order, as xlsxwriter's constant_memory mode requires.
    for r, record in enumerate(frame.iter_rows(), start=1):
        for col, value in enumerate(record):
            if value is not None:
                writers[col](sheet, r, col, value)


def _dictionary_rows(indicators: Indicators, language: str) -> list[list[str]]:
    rows = []
    for result in indicators.results.values():
        key = f"indicator.{result.id}"
        target = format_value(result.id, result.target, language)
        rows.append(
            [
                result.id,
                translate(language, f"{key}.name", result.id),
                translate(language, f"{key}.definition", ""),
                translate(language, f"{key}.target", "", target=target),
                translate(language, f"{key}.thresholds", ""),
                format_value(result.id, result.value, language),
                translate(language, f"status.{result.status}"),
            ]
        )
    return rows


def _write_dictionary(
    book: Any, name: str, indicators: Indicators, language: str, fmt: dict[str, Any]
) -> None:
    sheet = book.add_worksheet(name)
    heads = ("id", "name", "definition", "target", "thresholds", "value", "status")
    for col, head in enumerate(heads):
        sheet.write_string(0, col, translate(language, f"appendix.{head}"), fmt["header"])
    for r, row in enumerate(_dictionary_rows(indicators, language), start=1):
        for col, text in enumerate(row):
            sheet.write_string(r, col, text, fmt["wrap"])
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 4, 40)
    sheet.set_column(5, 6, 14)
    sheet.freeze_panes(1, 0)


def build_appendix(
    indicators: Indicators,
    language: str = "fi",
    evidence: Mapping[str, pl.DataFrame] | None = None,
) -> bytes:
    """Return an XLSX workbook: a data dictionary, then a sheet of rows per figure that has them.

    After the figures' own rows come the `evidence` sheets (default: `indicators.evidence`),
    each titled by its catalogue key `appendix.evidence.<key>`.
    """
    evidence = indicators.evidence if evidence is None else evidence
    figures = [
        (r.id, translate(language, f"indicator.{r.id}.name", r.id), r.rows)
        for r in indicators.results.values()
    ]
    figures += [
        (f.id, translate(language, f"context.{f.id}", f.id), f.rows)
        for f in indicators.context.values()
    ]
    figures += [
        (key, translate(language, f"appendix.evidence.{key}", key), frame)
        for key, frame in evidence.items()
    ]
    figures = [f for f in figures if f[2].width]
    names = sheet_names([translate(language, "appendix.dictionary"), *(f[1] for f in figures)])
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            # Stream each sheet's rows to a temporary file: memory stays flat at any size.
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    book.set_properties({"created": datetime(2000, 1, 1)})  # stable bytes for the same input
    fmt = {
        "header": book.add_format({"bold": True, "bg_color": "#e0e0e0"}),
        "date": book.add_format({"num_format": DATE_FORMATS[language]}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }
    _write_dictionary(book, names[0], indicators, language, fmt)
    for name, (_, _, frame) in zip(names[1:], figures, strict=True):
        _write_rows(book, name, frame, language, fmt)
    book.close()
    return buffer.getvalue()
