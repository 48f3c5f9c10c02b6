"""One worksheet: what a sheet holds (`Sheet`, `Cell`) and its XML, a frame's cells built by
Polars column by column.

xlsxwriter spends ~15 µs a cell in Python: the 4.8M cells of the appendix at 100k engagements
took 30-40 s. Here each column of a frame becomes its cells' XML in one vectorised expression
(text as inline strings — never a formula, whatever it starts with —, numbers and dates as
numbers with a number format, booleans as booleans) and rows are concatenated the same way.
Small sheets of mixed cells (`Cell` rows: several blocks, blank rows between) are written the
plain way.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

import polars as pl

from schemas.tables import column_letter
from tasks._xlsx.styles import (
    DATE,
    DECIMAL,
    HEADER,
    INTEGER,
    MAIN_NS,
    R_NS,
    TEXT,
    TITLE,
    XML_HEAD,
)

_BAD_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
_CONTROL = {c: None for c in (*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF)}
_MAX_WIDTH, _MIN_WIDTH = 60, 6
_SLICE = 50_000  # frame rows turned into XML at a time
_EPOCH = datetime(1899, 12, 30)

Value = str | int | float | bool | date | None


@dataclass(frozen=True)
class Cell:
    """One cell of a small sheet: a value and its style."""

    value: Value
    style: int = TEXT


@dataclass(frozen=True)
class Sheet:
    """A sheet: an optional title row, a header row, then a frame (data) or rows of cells.

    `rows` may hold several blocks (an empty row between them, a block's own header as cells
    in a header style). `widths` fixes the first columns' widths (else fitted to the text);
    `frozen` keeps the title and header rows in view, and `frozen_columns` columns with them.
    `links` turn cells into links to other sheets of the workbook (an index).
    """

    name: str
    headers: Sequence[str]
    frame: pl.DataFrame | None = None
    rows: Sequence[Sequence[Cell]] = ()
    widths: Sequence[float] = field(default_factory=tuple)
    autofilter: bool = True
    title: str = ""
    header_style: int = HEADER
    frozen: bool = True
    frozen_columns: int = 0
    links: Sequence[tuple[str, str]] = ()  # (cell, sheet name): a link to that sheet's A1

    @property
    def header_row(self) -> int:
        """The spreadsheet row (1-based) of the headers: 2 under a title, else 1."""
        return 2 if self.title else 1

    @property
    def last_row(self) -> int:
        body = self.frame.height if self.frame is not None else len(self.rows)
        return self.header_row + body


# --- cells and rows --------------------------------------------------------------------------


def _text_xml(expr: pl.Expr) -> pl.Expr:
    clean = expr.str.replace_all(_BAD_XML, "").str.replace_all("&", "&amp;", literal=True)
    clean = clean.str.replace_all("<", "&lt;", literal=True)
    clean = clean.str.replace_all(">", "&gt;", literal=True)
    return pl.concat_str(pl.lit('<c t="inlineStr"><is><t>'), clean, pl.lit("</t></is></c>"))


def _column_xml(name: str, dtype: pl.DataType) -> pl.Expr:
    """Return the XML of a column's cells, null where the value is null (or not finite)."""
    col = pl.col(name)
    if dtype == pl.Boolean:
        return pl.concat_str(
            pl.lit('<c t="b"><v>'), col.cast(pl.Int8).cast(pl.String), pl.lit("</v></c>")
        )
    if dtype.is_numeric():
        finite = pl.when(col.cast(pl.Float64).is_finite()).then(col)
        style = INTEGER if dtype.is_integer() else DECIMAL
        return pl.concat_str(
            pl.lit(f'<c s="{style}"><v>'), finite.cast(pl.String), pl.lit("</v></c>")
        )
    if dtype in (pl.Date, pl.Datetime):
        millis = (col.cast(pl.Datetime("ms")) - pl.lit(_EPOCH)).dt.total_milliseconds()
        serial = (millis / 86_400_000).cast(pl.String)
        return pl.concat_str(pl.lit(f'<c s="{DATE}"><v>'), serial, pl.lit("</v></c>"))
    return _text_xml(_as_text(name, dtype))


def _as_text(name: str, dtype: pl.DataType) -> pl.Expr:
    """A column as the text written for it: lists joined with "; "."""
    if isinstance(dtype, pl.List):
        return pl.col(name).cast(pl.List(pl.String)).list.join("; ")
    return pl.col(name).cast(pl.String)


def _frame_rows(frame: pl.DataFrame, first: int) -> str:
    """Return the `<row>` XML of a frame's rows, the first one at spreadsheet row `first`."""
    if frame.height == 0 or frame.width == 0:
        return ""
    number = (pl.int_range(pl.len()) + first).cast(pl.String)
    # Cells carry no "r": position is their order, so an empty cell is written as <c/>.
    cells = [_column_xml(name, dtype).fill_null("<c/>") for name, dtype in frame.schema.items()]
    xml = frame.select(
        pl.concat_str([pl.lit('<row r="'), number, pl.lit('">'), *cells, pl.lit("</row>")])
    ).to_series()
    return "".join(xml.to_list())


def _cell_xml(ref: str, cell: Cell) -> str:
    v = cell.value
    if v is None or v == "" or (isinstance(v, float) and not math.isfinite(v)):
        return ""
    style = f' s="{cell.style}"' if cell.style else ""
    if isinstance(v, bool):
        return f'<c r="{ref}" t="b"{style}><v>{int(v)}</v></c>'
    if isinstance(v, int | float):
        return f'<c r="{ref}"{style}><v>{v!r}</v></c>'
    if isinstance(v, date):
        moment = v if isinstance(v, datetime) else datetime(v.year, v.month, v.day)
        serial = (moment.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="{cell.style or DATE}"><v>{serial!r}</v></c>'
    text = escape(str(v).translate(_CONTROL))
    return f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>'


def _rows_xml(rows: Sequence[Sequence[Cell]], first: int) -> str:
    out = []
    for n, row in enumerate(rows, start=first):
        cells = "".join(_cell_xml(f"{column_letter(i)}{n}", c) for i, c in enumerate(row))
        out.append(f'<row r="{n}">{cells}</row>')
    return "".join(out)


# --- one sheet -------------------------------------------------------------------------------


def _widths(sheet: Sheet) -> list[float]:
    """The given widths, then each other column fitted to its longest text, within bounds."""
    longest = [len(h) for h in sheet.headers]
    longest += [0] * (max((len(r) for r in sheet.rows), default=0) - len(longest))
    frame, fixed = sheet.frame, len(sheet.widths)
    if frame is not None and frame.height and frame.width > fixed:
        lengths = frame.select(
            (
                pl.lit(10)  # d.m.yyyy
                if dtype in (pl.Date, pl.Datetime)
                else _as_text(name, dtype).str.len_chars().max()
            ).alias(str(i))
            for i, (name, dtype) in enumerate(frame.schema.items())
            if i >= fixed
        ).row(0)
        for i, found in enumerate(lengths, start=fixed):
            longest[i] = max(longest[i], int(found or 0))
    for row in sheet.rows:
        for i, c in enumerate(row):
            longest[i] = max(longest[i], len(str(c.value)) if c.value is not None else 0)
    fitted = [float(min(_MAX_WIDTH, max(_MIN_WIDTH, n + 2))) for n in longest]
    return [*sheet.widths, *fitted[fixed:]]


def _pane(sheet: Sheet) -> str:
    rows, columns = (sheet.header_row, sheet.frozen_columns) if sheet.frozen else (0, 0)
    if not rows and not columns:
        return ""
    corner = f"{column_letter(columns)}{rows + 1}"
    active = ("bottom" if rows else "top") + ("Right" if columns else "Left")
    splits = (f' xSplit="{columns}"' if columns else "") + (f' ySplit="{rows}"' if rows else "")
    return f'<pane{splits} topLeftCell="{corner}" activePane="{active}" state="frozen"/>'


def autofilter_ref(sheet: Sheet) -> str | None:
    """The range of the sheet's autofilter (header row to last row), None without one."""
    if not sheet.autofilter or not sheet.headers:
        return None
    last = column_letter(len(sheet.headers) - 1)
    return f"A{sheet.header_row}:{last}{sheet.last_row}"


# Printing: landscape A4, as wide as one page (as many pages down as it takes), the title and
# header rows repeated on every page (`_xlnm.Print_Titles` in the workbook), the sheet's name and
# "page n / N" in the footer. Without it the appendix printed as 140 portrait pages.
_FIT_TO_PAGE = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
_PRINT = (
    '<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.6" header="0.3" footer="0.3"/>'
    '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
    "<headerFooter><oddFooter>&amp;L&amp;A&amp;R&amp;P / &amp;N</oddFooter></headerFooter>"
)


def _links(sheet: Sheet) -> str:
    if not sheet.links:
        return ""
    links = "".join(
        f'<hyperlink ref="{ref}" location={quoteattr(quoted_name(name) + "!A1")}'
        f" display={quoteattr(name)}/>"
        for ref, name in sheet.links
    )
    return f"<hyperlinks>{links}</hyperlinks>"


def quoted_name(name: str) -> str:
    """A sheet name as a formula or a defined name refers to it: 'Name' (quotes doubled)."""
    return "'" + name.replace("'", "''") + "'"


def sheet_part(sheet: Sheet) -> bytes:
    """Return the worksheet XML (UTF-8): frozen panes, widths, title, headers, rows, autofilter,
    links, print set-up."""
    top = sheet.header_row
    title = f'<row r="1">{_cell_xml("A1", Cell(sheet.title, TITLE))}</row>' if sheet.title else ""
    head = "".join(
        _cell_xml(f"{column_letter(i)}{top}", Cell(h, sheet.header_style))
        for i, h in enumerate(sheet.headers)
    )
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w:.1f}" customWidth="1"/>'
        for i, w in enumerate(_widths(sheet), start=1)
    )
    ref = autofilter_ref(sheet)
    out = io.BytesIO()
    out.write(
        (
            f"{XML_HEAD}<worksheet {MAIN_NS} {R_NS}>{_FIT_TO_PAGE}"
            '<sheetViews><sheetView workbookViewId="0">'
            f"{_pane(sheet)}</sheetView></sheetViews>"
            + (f"<cols>{cols}</cols>" if cols else "")
            + f'<sheetData>{title}<row r="{top}">{head}</row>'
        ).encode()
    )
    for rows in _body(sheet, top + 1):
        out.write(rows.encode())
    out.write(
        (
            "</sheetData>"
            + (f'<autoFilter ref="{ref}"/>' if ref else "")
            + _links(sheet)
            + _PRINT
            + "</worksheet>"
        ).encode()
    )
    return out.getvalue()


def _body(sheet: Sheet, first: int) -> Iterator[str]:
    """The rows' XML in pieces: a large frame a slice at a time, so its XML is never held
    more than once (at 100k engagements the export's largest sheet is 1.3M rows)."""
    if sheet.frame is None:
        yield _rows_xml(sheet.rows, first)
        return
    for offset in range(0, sheet.frame.height, _SLICE):
        yield _frame_rows(sheet.frame.slice(offset, _SLICE), first + offset)
