"""Read a source's bytes (local path, https URL or file-like object) and open them as sheets.

Every failure is an `InputError` with one line naming the file or URL and the reason.
URLs are shown without credentials, query string or fragment, and the bearer token
never appears in a message.
"""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal
from urllib.parse import urlsplit

import fastexcel
import httpx
import polars as pl
from pydantic import SecretStr

from d9.errors import InputError
from d9.settings import Http
from schemas.contract import normalise_label
from schemas.tables import ROW

Location = str | Path | IO[bytes]

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def is_url(location: str) -> bool:
    """Tell whether `location` is an http(s) URL rather than a path."""
    return location.lower().startswith(("https://", "http://"))


def display_name(location: Location) -> str:
    """Name a source for messages: a path as given, a URL without credentials or query."""
    if not isinstance(location, str | Path):
        return str(getattr(location, "name", "") or "<stream>")
    text = str(location)
    if not is_url(text):
        return text
    parts = urlsplit(text)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def read_source(
    location: Location,
    http: Http | None = None,
    token: SecretStr | None = None,
    *,
    client: httpx.Client | None = None,
) -> bytes:
    """Return the bytes of a path, URL or readable binary object, or raise `InputError`."""
    http = http or Http()
    if not isinstance(location, str | Path):
        return _read_stream(location)
    if isinstance(location, str) and is_url(location):
        return _read_url(location, http, token, client)
    return _read_path(Path(location).expanduser(), http.max_bytes)


def _read_stream(stream: IO[bytes]) -> bytes:
    try:
        data = stream.read()
    except (OSError, ValueError) as exc:
        reason = f"cannot read stream ({type(exc).__name__})"
        raise InputError(reason, file=display_name(stream)) from None
    if not isinstance(data, bytes):
        raise InputError("stream is not binary", file=display_name(stream))
    return data


def _read_path(path: Path, max_bytes: int) -> bytes:
    name = str(path)
    try:
        if path.is_dir():
            raise InputError("is a folder, not a file", file=name)
        if path.stat().st_size > max_bytes:
            raise InputError(f"file is larger than the limit of {max_bytes} bytes", file=name)
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", file=name) from None
    except PermissionError:
        raise InputError("file is not readable (permission denied)", file=name) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(f"file is not readable ({reason})", file=name) from None


def _check_url(url: str) -> str:
    name = display_name(url)
    parts = urlsplit(url)
    if parts.scheme.lower() == "http" and parts.hostname not in _LOOPBACK:
        raise InputError("only https URLs are allowed", file=name)
    if not parts.hostname:
        raise InputError("URL has no host", file=name)
    return name


def _read_url(url: str, http: Http, token: SecretStr | None, client: httpx.Client | None) -> bytes:
    name = _check_url(url)
    headers = {"Authorization": f"Bearer {token.get_secret_value()}"} if token else {}
    own = client is None
    client = client or httpx.Client(follow_redirects=True, timeout=http.timeout_seconds)
    try:
        return _download(client, url, headers, http, name)
    except httpx.TimeoutException:
        raise InputError(f"timed out after {http.timeout_seconds:g} s", file=name) from None
    except httpx.HTTPError as exc:
        raise InputError(f"download failed ({type(exc).__name__})", file=name) from None
    finally:
        if own:
            client.close()


def _download(
    client: httpx.Client, url: str, headers: dict[str, str], http: Http, name: str
) -> bytes:
    deadline = time.monotonic() + http.timeout_seconds
    with client.stream("GET", url, headers=headers) as response:
        if response.status_code >= 400:
            reason = response.reason_phrase or "error"
            raise InputError(f"HTTP {response.status_code} {reason}", file=name)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > http.max_bytes:
            raise _too_large(http.max_bytes, name)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > http.max_bytes:
                raise _too_large(http.max_bytes, name)
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout("total time exceeded")
            chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int, name: str) -> InputError:
    return InputError(f"download is larger than the limit of {limit} bytes", file=name)


# --- From bytes to sheets of text -------------------------------------------------------------

SourceKind = Literal["xlsx", "ods", "xls", "csv"]
_SCAN_LINES = 30
_SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls")


@dataclass(frozen=True)
class RawSheet:
    """A sheet as text: ROW (the spreadsheet's 1-based row number) and one Utf8 column per
    spreadsheet column, named by its letter; cells stripped, blank cells null."""

    name: str
    frame: pl.DataFrame


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def detect_kind(data: bytes, name: str) -> SourceKind:
    """Tell the format from the magic bytes, or from the name for text; raise if neither fits."""
    if data[:4] == b"PK\x03\x04":
        return "ods" if b"opendocument.spreadsheet" in data[:200] else "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    suffix = Path(urlsplit(name).path if is_url(name) else name).suffix.lower()
    if suffix in _SPREADSHEET_SUFFIXES or b"\x00" in data[:4096]:
        raise InputError("not a spreadsheet (expected xlsx, ods, xls or csv)", file=name)
    return "csv"


class Book:
    """An opened source: its sheet names, each sheet read (as text) at most once."""

    def __init__(self, data: bytes, name: str, kind: SourceKind | None = None) -> None:
        self.name = name
        self.kind = kind or detect_kind(data, name)
        self._data = data
        self._sheets: dict[str, RawSheet] = {}
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
            self._sheets[name] = RawSheet(name, _tidy(frame))
        return self._sheets[name]


def _open_workbook(data: bytes, name: str) -> fastexcel.ExcelReader:
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
