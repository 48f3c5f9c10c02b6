"""`evaluation.xlsx`: per half-year its figures with the definitions and targets in force and the
rows behind them; and the deregulation log for the finance ministry. In Finnish.

Sheets: `<period>` (indicators: id, name, definition, target, thresholds, value, status,
numerator, denominator, source, reported value; then the context figures), `<period> rivit`
(every row behind that half-year's figures, the figure's id first, then the register's own
columns and the spreadsheet row), and `Sääntelyesteet VM` (the cumulative deregulation log of the
last half-year). Text is always written as text (a cell "=SUM(A1)" stays a string), dates as dates.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import polars as pl
import xlsxwriter

from schemas.catalogue import messages, translate
from schemas.datasets import AGENCY_SURVEY_FIXED, ENGAGEMENTS, FEEDBACK, PRINCIPLES
from schemas.export import HalfYear
from schemas.tables import ROW, SHEET

_FIGURE = "_figure"
_DEREGULATION = "deregulation_opportunities"
_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def _t(key: str, **values: object) -> str:
    return translate("fi", f"export.{key}", None, **values)


def _headers() -> dict[str, str]:
    columns = (*ENGAGEMENTS.columns, *FEEDBACK.columns, *AGENCY_SURVEY_FIXED, *PRINCIPLES.columns)
    out = {_FIGURE: _t("figure"), ROW: _t("row"), SHEET: _t("sheet")}
    for column in columns:
        out.setdefault(column.name, column.header_fi)
    derived = "derived_header."  # the columns a figure adds (found on, organisation, ...)
    out.update({k[len(derived) :]: v for k, v in messages("fi").items() if k.startswith(derived)})
    return out


class _Sheet:
    """Write cells by kind, row by row: text as text, numbers, dates with a Finnish format."""

    def __init__(self, book: Any, name: str, fmt: dict[str, Any]) -> None:
        self.sheet, self.fmt, self.row = book.add_worksheet(name), fmt, 0

    def line(self, values: Sequence[object], style: str | None = None) -> None:
        for col, value in enumerate(values):
            self.cell(col, value, style)
        self.row += 1

    def cell(self, col: int, value: object, style: str | None) -> None:
        fmt = self.fmt.get(style) if style else None
        if value is None:
            return
        if isinstance(value, bool):
            self.sheet.write_string(self.row, col, _t("yes") if value else _t("no"), fmt)
        elif isinstance(value, int | float):
            self.sheet.write_number(self.row, col, value, fmt)
        elif isinstance(value, date | datetime):
            self.sheet.write_datetime(self.row, col, value, self.fmt["date"])
        else:
            self.sheet.write_string(self.row, col, str(value), fmt)


def _figures_sheet(book: Any, h: HalfYear, fmt: dict[str, Any]) -> None:
    sheet = _Sheet(book, h.period, fmt)
    sheet.sheet.set_column(0, 0, 30)
    sheet.sheet.set_column(1, 4, 36)
    sheet.sheet.set_column(5, 10, 13)
    sheet.line([_t("figures_title", period=h.period, as_of=h.indicators.as_of.isoformat())], "bold")
    sheet.line(
        [
            _t(k)
            for k in (
                "id",
                "name",
                "definition",
                "target",
                "thresholds",
                "value",
                "status",
                "numerator",
                "denominator",
                "source",
                "reported",
            )
        ],
        "header",
    )
    for iid, r in h.indicators.results.items():
        key = f"indicator.{iid}"
        sheet.line(
            [
                iid,
                translate("fi", f"{key}.name", iid),
                translate("fi", f"{key}.definition", ""),
                r.target,
                translate("fi", f"{key}.thresholds", ""),
                r.value,
                translate("fi", f"status.{r.status}"),
                r.numerator,
                r.denominator,
                _t(f"source_{h.source(iid)}"),
                h.reported.get(iid),
            ],
            "wrap",
        )
    sheet.row += 1
    sheet.line(
        [_t(k) for k in ("context_id", "name", "category", "value", "numerator", "denominator")],
        "header",
    )
    for fid, f in h.indicators.context.items():
        name = translate("fi", f"context.{fid}", fid)
        for category, n in f.counts.items():
            sheet.line([fid, name, category, n])
        if f.value is not None or f.numerator is not None:
            sheet.line([fid, name, _t("summary"), f.value, f.numerator, f.denominator])


def rows_behind(h: HalfYear) -> pl.DataFrame:
    """Every row behind a half-year's figures, one frame: the figure's id first."""
    parts = [
        frame.with_columns(pl.lit(fid).alias(_FIGURE))
        for fid, frame in [
            *((iid, r.rows) for iid, r in h.indicators.results.items()),
            *((fid, f.rows) for fid, f in h.indicators.context.items()),
        ]
        if frame.height
    ]
    if not parts:
        return pl.DataFrame({_FIGURE: []}, schema={_FIGURE: pl.String})
    frame = pl.concat(parts, how="diagonal_relaxed")
    tail = [c for c in (SHEET, ROW) if c in frame.columns]
    return frame.select(_FIGURE, *[c for c in frame.columns if c not in (_FIGURE, *tail)], *tail)


def _frame_sheet(book: Any, name: str, frame: pl.DataFrame, fmt: dict[str, Any]) -> None:
    sheet = _Sheet(book, name, fmt)
    headers = _headers()
    sheet.line([headers.get(c, c) for c in frame.columns], "header")
    sheet.sheet.set_column(0, max(frame.width - 1, 0), 16)
    sheet.sheet.freeze_panes(1, 1)
    for record in frame.iter_rows():
        sheet.line(record)


def deregulation_sheet(half_years: Sequence[HalfYear]) -> pl.DataFrame:
    """The last half-year's cumulative deregulation log (found by then), for the ministry."""
    figure = half_years[-1].indicators.context.get(_DEREGULATION) if half_years else None
    if figure is None:
        return pl.DataFrame()
    return figure.rows


def build_workbook(half_years: Sequence[HalfYear]) -> bytes:
    """The XLSX bytes of evaluation.xlsx."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, _OPTIONS)
    book.set_properties({"created": datetime(2000, 1, 1)})  # the same input gives the same bytes
    fmt = {
        "header": book.add_format({"bold": True, "bg_color": "#e0e0e0", "text_wrap": True}),
        "bold": book.add_format({"bold": True}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "date": book.add_format({"num_format": "d.m.yyyy"}),
    }
    for h in half_years:
        _figures_sheet(book, h, fmt)
        _frame_sheet(book, f"{h.period} {_t('rows')}", rows_behind(h), fmt)
    log = deregulation_sheet(half_years)
    _frame_sheet(book, _t("deregulation_sheet"), log, fmt)
    book.close()
    return buffer.getvalue()
