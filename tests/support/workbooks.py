"""Build small hand-made workbooks (xlsx, ods) and csv files for loader tests.

Sheets are given as rows of Python values: `str`, `int`, `float`, `bool`, `date`,
`datetime` or `None` (an empty cell). Dates are written as real spreadsheet dates,
numbers as numbers, so the files look like what people save from Excel or LibreOffice.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

Cell = str | int | float | bool | date | datetime | None
Rows = Sequence[Sequence[Cell]]


def write_xlsx(path: Path, sheets: Mapping[str, Rows]) -> Path:
    """Write `sheets` (name -> rows) to an xlsx file with real date, number and boolean cells."""
    book = xlsxwriter.Workbook(str(path))
    date_format = book.add_format({"num_format": "d.m.yyyy"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                _write_xlsx_cell(sheet, r, c, value, date_format)
    book.close()
    return path


def _write_xlsx_cell(sheet: object, r: int, c: int, value: Cell, date_format: object) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(r, c, value)  # type: ignore[attr-defined]
    elif isinstance(value, datetime | date):
        sheet.write_datetime(r, c, value, date_format)  # type: ignore[attr-defined]
    elif isinstance(value, int | float):
        sheet.write_number(r, c, value)  # type: ignore[attr-defined]
    else:
        sheet.write_string(r, c, value)  # type: ignore[attr-defined]


def write_ods(path: Path, sheets: Mapping[str, Rows]) -> Path:
    """Write `sheets` (name -> rows) to an OpenDocument spreadsheet with typed cells."""
    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            table_row = TableRow()
            for value in row or [None]:
                table_row.addElement(_ods_cell(value))
            table.addElement(table_row)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def _ods_cell(value: Cell) -> TableCell:
    if value is None:
        return TableCell()
    if isinstance(value, bool):
        cell = TableCell(valuetype="boolean", booleanvalue=str(value).lower())
    elif isinstance(value, (datetime, date)):
        cell = TableCell(valuetype="date", datevalue=value.isoformat())
    elif isinstance(value, int | float):
        cell = TableCell(valuetype="float", value=value)
    else:
        cell = TableCell(valuetype="string")
    cell.addElement(P(text=str(value)))
    return cell


def write_book(path: Path, sheets: Mapping[str, Rows]) -> Path:
    """Write an xlsx or ods workbook, chosen by the file's suffix."""
    if path.suffix == ".ods":
        return write_ods(path, sheets)
    return write_xlsx(path, sheets)


def write_csv(path: Path, rows: Rows, *, separator: str = ";") -> Path:
    """Write rows as a UTF-8 csv file, `separator` between cells, an empty row as a blank line."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=separator, lineterminator="\n")
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
    return path
