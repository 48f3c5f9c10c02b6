"""`evaluation.xlsx`: per half-year its figures with the definitions and targets in force and the
rows behind them; and the deregulation log for the finance ministry. In Finnish.

Sheets: `<period>` (a title row, then the indicators: id, name, definition, target, thresholds,
value, status, numerator, denominator, source, reported value; a blank row; then the context
figures under their own header), `<period> rivit` (every row behind that half-year's figures,
the figure's id first, then the register's own columns and the spreadsheet row), and
`Sääntelyesteet` (the cumulative deregulation log of the last half-year). Written by the
shared writer (`tasks._xlsx`): text always as text (a cell "=SUM(A1)" stays a string), numbers
as numbers, dates as dates (d.m.yyyy), yes/no as the words "kyllä"/"ei".
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from schemas.catalogue import messages, translate
from schemas.datasets import AGENCY_SURVEY_FIXED, ENGAGEMENTS, FEEDBACK, PRINCIPLES
from schemas.export import HalfYear
from schemas.tables import ROW, SHEET
from tasks._xlsx import HEADER_WRAP, TEXT, WRAP, Cell, Sheet, Value, write_xlsx

_FIGURE = "_figure"
_DEREGULATION = "deregulation_opportunities"
_INDICATOR_HEADS = (
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
_CONTEXT_HEADS = ("context_id", "name", "category", "value", "numerator", "denominator")
_FIGURE_WIDTHS = (30, 36, 36, 36, 36, 13, 13, 13, 13, 13, 13)
_ROWS_WIDTH = 16


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


def _cells(values: Sequence[Value], style: int = TEXT) -> list[Cell]:
    """A row of cells in one style; yes/no as the words, as everywhere in the export."""
    words = {True: _t("yes"), False: _t("no")}
    return [Cell(words[v] if isinstance(v, bool) else v, style) for v in values]


def _figures_sheet(h: HalfYear) -> Sheet:
    """The half-year's indicators, a blank row, then its context figures under their header."""
    rows = [
        _cells(
            [
                iid,
                translate("fi", f"indicator.{iid}.name", iid),
                translate("fi", f"indicator.{iid}.definition", ""),
                r.target,
                translate("fi", f"indicator.{iid}.thresholds", ""),
                r.value,
                translate("fi", f"status.{r.status}"),
                r.numerator,
                r.denominator,
                _t(f"source_{h.source(iid)}"),
                h.reported.get(iid),
            ],
            WRAP,
        )
        for iid, r in h.indicators.results.items()
    ]
    rows += [[], _cells([_t(k) for k in _CONTEXT_HEADS], HEADER_WRAP)]
    for fid, f in h.indicators.context.items():
        name = translate("fi", f"context.{fid}", fid)
        rows += [_cells([fid, name, category, n]) for category, n in f.counts.items()]
        if f.value is not None or f.numerator is not None:
            rows.append(_cells([fid, name, _t("summary"), f.value, f.numerator, f.denominator]))
    return Sheet(
        h.period,
        [_t(k) for k in _INDICATOR_HEADS],
        rows=rows,
        widths=_FIGURE_WIDTHS,
        autofilter=False,
        title=_t("figures_title", period=h.period, as_of=h.indicators.as_of.isoformat()),
        header_style=HEADER_WRAP,
        frozen=False,  # two tables on one sheet: no header stays right for both
    )


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


def _frame_sheet(name: str, frame: pl.DataFrame) -> Sheet:
    """A sheet of rows: headers the reader knows, the first column kept in view."""
    headers = _headers()
    yes, no = pl.lit(_t("yes")), pl.lit(_t("no"))
    words = frame.with_columns(
        pl.when(pl.col(c)).then(yes).when(pl.col(c).not_()).then(no).alias(c)
        for c, dtype in frame.schema.items()
        if dtype == pl.Boolean
    )
    return Sheet(
        name,
        [headers.get(c, c) for c in frame.columns],
        frame=words,
        widths=(_ROWS_WIDTH,) * frame.width,
        header_style=HEADER_WRAP,
        frozen_columns=1,
    )


def deregulation_sheet(half_years: Sequence[HalfYear]) -> pl.DataFrame:
    """The last half-year's cumulative deregulation log (found by then), for the ministry."""
    figure = half_years[-1].indicators.context.get(_DEREGULATION) if half_years else None
    if figure is None:
        return pl.DataFrame()
    return figure.rows


def build_workbook(half_years: Sequence[HalfYear]) -> bytes:
    """The XLSX bytes of evaluation.xlsx; the same half-years give the same bytes."""
    sheets = []
    for h in half_years:
        sheets += [_figures_sheet(h), _frame_sheet(f"{h.period} {_t('rows')}", rows_behind(h))]
    sheets.append(_frame_sheet(_t("deregulation_sheet"), deregulation_sheet(half_years)))
    return write_xlsx(sheets, "fi")
