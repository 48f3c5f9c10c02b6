"""The one XLSX writer: sheet XML built by Polars column by column, zipped with its fixed parts.

xlsxwriter spends ~15 µs a cell in Python: the 4.8M cells of the appendix at 100k engagements
took 30-40 s. Here each column of a frame becomes its cells' XML in one vectorised expression
(text as inline strings — never a formula, whatever it starts with —, numbers and dates as
numbers with a number format, booleans as booleans), rows are concatenated the same way, and the
parts are zipped. Small sheets of mixed cells (`Cell` rows: several blocks, blank rows between)
are written the plain way. Every sheet has a header row (after an optional title row), widths
fitted to its contents unless given, and by default a frozen header and an autofilter. The same
sheets give the same bytes.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

import polars as pl

from schemas.tables import column_letter

# Cell styles: indexes into the cellXfs of styles.xml, in the order of `_XFS` below.
TEXT, HEADER, DATE, PERCENT, DECIMAL, INTEGER, WRAP, TITLE, DATETIME, HEADER_WRAP = range(10)
_XFS = (
    "<xf/>",  # TEXT
    '<xf fontId="1" fillId="2" applyFont="1" applyFill="1"/>',  # HEADER: bold on grey
    '<xf numFmtId="164" applyNumberFormat="1"/>',  # DATE: d.m.yyyy (fi)
    '<xf numFmtId="165" applyNumberFormat="1"/>',  # PERCENT: 0.0%
    '<xf numFmtId="4" applyNumberFormat="1"/>',  # DECIMAL: #,##0.00
    '<xf numFmtId="1" applyNumberFormat="1"/>',  # INTEGER: 0
    '<xf applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>',  # WRAP
    '<xf fontId="2" applyFont="1"/>',  # TITLE: bold, 14 pt
    '<xf numFmtId="166" applyNumberFormat="1"/>',  # DATETIME: d.m.yyyy h.mm (fi)
    '<xf fontId="1" fillId="2" applyFont="1" applyFill="1" applyAlignment="1">'
    '<alignment wrapText="1"/></xf>',  # HEADER_WRAP: a header that wraps in a narrow column
)
DATE_FORMATS = {"fi": "d.m.yyyy", "en": "yyyy-mm-dd"}
TIME_FORMATS = {"fi": "d.m.yyyy h.mm", "en": "yyyy-mm-dd hh:mm"}
_BAD_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
_CONTROL = {c: None for c in (*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF)}
_MAX_WIDTH, _MIN_WIDTH = 60, 6
_EPOCH = datetime(1899, 12, 30)
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'

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


def _autofilter_ref(sheet: Sheet) -> str | None:
    """The range of the sheet's autofilter (header row to last row), None without one."""
    if not sheet.autofilter or not sheet.headers:
        return None
    last = column_letter(len(sheet.headers) - 1)
    return f"A{sheet.header_row}:{last}{sheet.last_row}"


def _sheet_xml(sheet: Sheet) -> str:
    """Return the worksheet XML: frozen panes, widths, title, headers, rows, autofilter."""
    top = sheet.header_row
    title = f'<row r="1">{_cell_xml("A1", Cell(sheet.title, TITLE))}</row>' if sheet.title else ""
    head = "".join(
        _cell_xml(f"{column_letter(i)}{top}", Cell(h, sheet.header_style))
        for i, h in enumerate(sheet.headers)
    )
    if sheet.frame is not None:
        body = _frame_rows(sheet.frame, top + 1)
    else:
        body = _rows_xml(sheet.rows, top + 1)
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w:.1f}" customWidth="1"/>'
        for i, w in enumerate(_widths(sheet), start=1)
    )
    ref = _autofilter_ref(sheet)
    return (
        f'{_XML}<worksheet {_NS} {_R_NS}><sheetViews><sheetView workbookViewId="0">'
        f"{_pane(sheet)}</sheetView></sheetViews>"
        + (f"<cols>{cols}</cols>" if cols else "")
        + f'<sheetData>{title}<row r="{top}">{head}</row>{body}</sheetData>'
        + (f'<autoFilter ref="{ref}"/>' if ref else "")
        + "</worksheet>"
    )


# --- the package -----------------------------------------------------------------------------


def write_xlsx(sheets: Sequence[Sheet], language: str) -> bytes:
    """Zip the sheets into an XLSX workbook; the same sheets give the same bytes.

    `language` picks the date formats (fi: d.m.yyyy, en: yyyy-mm-dd).
    """
    buffer = io.BytesIO()
    # Level 1: a large appendix is hundreds of MB of XML; level 6 takes three times as long.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:

        def put(name: str, text: str) -> None:
            info = zipfile.ZipInfo(name, (2000, 1, 1, 0, 0, 0))  # no clock: same bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, text.encode("utf-8"), compresslevel=1)

        put("[Content_Types].xml", _content_types(len(sheets)))
        put("_rels/.rels", _PACKAGE_RELS)
        for i, sheet in enumerate(sheets, start=1):
            put(f"xl/worksheets/sheet{i}.xml", _sheet_xml(sheet))
        put("xl/workbook.xml", _workbook(sheets))
        put("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        put("xl/styles.xml", _styles(language))
    return buffer.getvalue()


_SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS_NS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
_PACKAGE_RELS = (
    f"{_XML}<Relationships {_RELS_NS}>"
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)


def _content_types(count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SML}.worksheet+xml"/>'
        for i in range(1, count + 1)
    )
    return (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_SML}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_SML}.styles+xml"/>'
        f"{sheets}</Types>"
    )


def _workbook(sheets: Sequence[Sheet]) -> str:
    """The workbook part: sheet names, and each autofilter as Excel's hidden defined name."""
    names = "".join(
        f'<sheet name={quoteattr(s.name)} sheetId="{i}" r:id="rId{i}"/>'
        for i, s in enumerate(sheets, start=1)
    )
    defined = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(_quoted(s.name))}!{_absolute(ref)}</definedName>"
        for i, s in enumerate(sheets)
        if (ref := _autofilter_ref(s))
    )
    return (
        f"{_XML}<workbook {_NS} {_R_NS}><sheets>{names}</sheets>"
        + (f"<definedNames>{defined}</definedNames>" if defined else "")
        + "</workbook>"
    )


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    """A1:K20 -> $A$1:$K$20."""
    return ":".join(
        f"${r.rstrip('0123456789')}${r[len(r.rstrip('0123456789')) :]}" for r in ref.split(":")
    )


def _workbook_rels(count: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, count + 1)
    )
    styles = f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    return f"{_XML}<Relationships {_RELS_NS}>{rels}{styles}</Relationships>"


def _styles(language: str) -> str:
    """The styles part: number formats, fonts and fills the `_XFS` cell styles refer to."""
    date_format, time_format = escape(DATE_FORMATS[language]), escape(TIME_FORMATS[language])
    return (
        f"{_XML}<styleSheet {_NS}>"
        f'<numFmts count="3"><numFmt numFmtId="164" formatCode="{date_format}"/>'
        '<numFmt numFmtId="165" formatCode="0.0%"/>'
        f'<numFmt numFmtId="166" formatCode="{time_format}"/></numFmts>'
        '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="14"/><name val="Calibri"/></font></fonts>'
        '<fills count="3"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill>'
        '<fill><patternFill patternType="solid"><fgColor rgb="FFE0E0E0"/></patternFill></fill>'
        '</fills><borders count="1"><border/></borders>'
        # The Normal style names its font: without it LibreOffice takes Arial 10 as the base,
        # showing every column about a quarter wider than its width.
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        f'</cellStyleXfs><cellXfs count="{len(_XFS)}">'
        + "".join(_XFS)
        + '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        "</cellStyles></styleSheet>"
    )
