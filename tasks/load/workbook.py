"""Open a source's bytes as sheets of text: xlsx, xlsm, ods and xls with fastexcel, or csv."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import fastexcel
import polars as pl

from schemas.contract import normalise_label
from schemas.errors import InputError
from schemas.settings import Limits
from schemas.tables import ROW, column_letter
from tasks.load.archive import check_archive, is_encrypted_office_file
from tasks.load.formulas import unsaved_formulas
from tasks.load.sources import is_url

SourceKind = Literal["xlsx", "ods", "xls", "csv"]
_SCAN_LINES = 30
_SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class RawSheet:
    """A sheet as text: ROW (the spreadsheet's 1-based row number) and one Utf8 column per
    spreadsheet column, named by its letter; cells stripped, blank cells null."""

    name: str
    frame: pl.DataFrame
    unsaved: tuple[str, ...] = ()  # cells holding a formula without a saved value (xlsx)


def detect_kind(data: bytes, name: str) -> SourceKind:
    """Tell the format from the magic bytes, or from the name for text; raise if neither fits."""
    if data[:4] == b"PK\x03\x04":
        return "ods" if b"opendocument.spreadsheet" in data[:200] else "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    if data[:2] in _UTF16_BOMS:  # Excel's "Unicode text": UTF-16 with a BOM, tab-separated
        return "csv"
    suffix = Path(urlsplit(name).path if is_url(name) else name).suffix.lower()
    if suffix in _SPREADSHEET_SUFFIXES or b"\x00" in data[:4096]:
        raise InputError("not a spreadsheet (expected xlsx, ods, xls or csv)", file=name)
    return "csv"


class Book:
    """An opened source: its sheet names, each sheet read (as text) at most once."""

    def __init__(
        self,
        data: bytes,
        name: str,
        kind: SourceKind | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.name = name
        self.kind = kind or detect_kind(data, name)
        self._data = data
        self._sheets: dict[str, RawSheet] = {}
        if self.kind in ("xlsx", "ods"):
            check_archive(data, name, limits or Limits())
        self._reader = None if self.kind == "csv" else _open_workbook(data, name)

    @property
    def sheet_names(self) -> tuple[str, ...]:
        """The workbook's sheet names in order (a csv file has one unnamed sheet)."""
        return ("",) if self._reader is None else tuple(self._reader.sheet_names)

    def find_sheet(self, wanted: str) -> str | None:
        """Return the sheet called `wanted` (exactly, else ignoring case and spacing), or None."""
        if self._reader is None or wanted in self.sheet_names:
            return "" if self._reader is None else wanted
        folded = normalise_label(wanted)
        return next((s for s in self.sheet_names if normalise_label(s) == folded), None)

    def sheet(self, name: str) -> RawSheet:
        """Return a sheet (from cache after the first read); `name` must exist."""
        if name not in self._sheets:
            frame = (
                _csv_frame(self._data, self.name)
                if self._reader is None
                else _workbook_frame(self._reader, name, self.name)
            )
            unsaved = unsaved_formulas(self._data, name) if self.kind == "xlsx" else ()
            self._sheets[name] = RawSheet(name, _tidy(frame), unsaved)
        return self._sheets[name]


def _open_workbook(data: bytes, name: str) -> fastexcel.ExcelReader:
    if is_encrypted_office_file(data):
        raise InputError(
            "workbook is password-protected: save a copy without a password for d9 to read",
            file=name,
        )
    try:
        return fastexcel.read_excel(data)
    except Exception as exc:  # noqa: BLE001 - calamine raises several unrelated types
        raise InputError(f"not a readable spreadsheet ({type(exc).__name__})", file=name) from None


def _workbook_frame(reader: fastexcel.ExcelReader, sheet: str, name: str) -> pl.DataFrame:
    try:
        loaded = reader.load_sheet(sheet, header_row=None, skip_rows=0, dtypes="string")
        frame = loaded.to_polars()
    except Exception as exc:  # noqa: BLE001 - a damaged sheet inside a readable file
        reason = f"cannot read sheet ({type(exc).__name__})"
        raise InputError(reason, file=name, sheet=sheet) from None
    # skip_rows=0 keeps leading blank rows, so frame row i is the sheet's row i + 1; columns
    # start at the first used one, hence the absolute index.
    letters = [column_letter(c.absolute_index) for c in loaded.selected_columns]
    return frame.rename(dict(zip(frame.columns, letters, strict=True)))


def _csv_frame(data: bytes, name: str) -> pl.DataFrame:
    text = _decode(data.removeprefix(b"\xef\xbb\xbf"))
    head = text.splitlines()[:_SCAN_LINES]
    if not any(line.strip() for line in head):
        return pl.DataFrame()
    separator = max(";,\t", key=lambda s: sum(line.count(s) for line in head))
    width = max(len(r) for r in csv.reader(head, delimiter=separator))
    try:
        return pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            has_header=False,
            separator=separator,
            schema={column_letter(i): pl.String for i in range(width)},
            missing_columns="insert",
            truncate_ragged_lines=True,
        )
    except pl.exceptions.PolarsError as exc:
        raise InputError(f"not a readable csv file ({type(exc).__name__})", file=name) from None


def _decode(data: bytes) -> str:
    if data[:2] in _UTF16_BOMS:
        try:
            return data.decode("utf-16")  # the BOM tells the byte order; it is dropped
        except UnicodeDecodeError:
            return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # Excel's "CSV" on Finnish Windows


def _tidy(frame: pl.DataFrame) -> pl.DataFrame:
    """Strip every cell, turn empty text into null and number the rows as the sheet does."""
    cells = [pl.col(c).cast(pl.String).str.strip_chars() for c in frame.columns]
    blanked = [
        pl.when(e.str.len_chars() > 0).then(e).alias(c)
        for e, c in zip(cells, frame.columns, strict=True)
    ]
    numbered = frame.select(blanked).with_row_index(ROW, offset=1)
    return numbered.with_columns(pl.col(ROW).cast(pl.Int64))
