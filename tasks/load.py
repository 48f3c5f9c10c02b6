"""Load the datasets from spreadsheets into typed frames, derived from their contracts.

A sheet is read once as text (`tasks.sources.Book`); the header row is found among the first
rows by matching cells against the contract's header aliases; the mapped columns are then
coerced with vectorised Polars expressions. Cells that cannot be read as their type become
null and are reported as `CellProblem`s; a missing required column raises `ValidationFailed`.
The principles dataset also accepts the matrix layout: a row per key project and a column
per principle, on one sheet or one sheet per half-year.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

import polars as pl

from d9.errors import InputError, ValidationFailed
from d9.settings import Settings
from schemas.contract import Column, Dataset, Kind, Need, normalise_label
from schemas.datasets import ENGAGEMENTS, FEEDBACK, PRINCIPLES, agency_survey
from schemas.reference import principle_aliases
from schemas.tables import CELL, ROW, SHEET, CellProblem, Inputs, LoadedTable
from tasks.sources import Book, RawSheet, SourceKind, display_name, read_source

HEADER_SCAN_ROWS = 30
_P = "principle:"  # prefix of the matrix header lookup's principle columns

_DTYPES: dict[Kind, pl.DataType] = {
    Kind.TEXT: pl.String(),
    Kind.CHOICE: pl.String(),
    Kind.EMAIL: pl.String(),
    Kind.INT: pl.Int64(),
    Kind.FLOAT: pl.Float64(),
    Kind.DATE: pl.Date(),
    Kind.BOOL: pl.Boolean(),
    Kind.LIST: pl.List(pl.String()),
}
_EXPECTED = {Kind.INT: "integer", Kind.FLOAT: "number", Kind.DATE: "date", Kind.BOOL: "yes/no"}
_TRUE = ("kyllä", "k", "ja", "yes", "y", "x", "true", "tosi", "sant", "1")
_FALSE = ("ei", "nej", "no", "n", "false", "epätosi", "falskt", "0")
_BOOLS = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_ISO = r"^(\d{4}-\d{1,2}-\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
_FINNISH = r"^(\d{1,2}\.\d{1,2}\.\d{4})(?:\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?$"


def load_table(
    dataset: Dataset,
    data: bytes | IO[bytes],
    *,
    source_name: str,
    sheet: str = "",
    kind: SourceKind | None = None,
) -> LoadedTable:
    """Read one dataset from a workbook or csv file given as bytes or a binary file object."""
    raw = data if isinstance(data, bytes) else read_source(data)
    return load_from_book(dataset, Book(raw, source_name, kind), sheet or dataset.sheet)


def load_inputs(settings: Settings, *, read: Callable[[str], bytes] | None = None) -> Inputs:
    """Read the four configured datasets, opening each distinct source only once."""
    src = settings.sources
    plan = {
        "engagements": (ENGAGEMENTS, src.engagements),
        "feedback": (FEEDBACK, src.feedback),
        "agency_survey": (agency_survey(src.agency_survey.metrics), src.agency_survey),
        "principles": (PRINCIPLES, src.principles),
    }
    books: dict[str, Book] = {}
    tables: dict[str, LoadedTable] = {}
    for name, (dataset, source) in plan.items():
        location = settings.resolve(source.path)
        if location not in books:
            data = read(location) if read else _fetch(location, settings)
            books[location] = Book(data, display_name(location))
        tables[name] = load_from_book(dataset, books[location], source.sheet or dataset.sheet)
    return Inputs(**tables)


def _fetch(location: str, settings: Settings) -> bytes:
    return read_source(location, settings.http, settings.http_token())


def load_from_book(dataset: Dataset, book: Book, sheet: str) -> LoadedTable:
    """Read one dataset from an opened source's sheet (principles: long form or matrices)."""
    found = book.find_sheet(sheet)
    if dataset.name == PRINCIPLES.name:
        return _load_principles(dataset, book, sheet, found)
    if found is None:
        raise _missing_sheet(book, sheet)
    return _load_long(dataset, book.sheet(found), book.name)


def _missing_sheet(book: Book, sheet: str) -> InputError:
    names = ", ".join(f"'{s}'" for s in book.sheet_names) or "none"
    return InputError(f"sheet not found; the workbook has: {names}", file=book.name, sheet=sheet)


# --- Header row ---------------------------------------------------------------------------------


def _lookup(dataset: Dataset) -> dict[str, str]:
    """Map normalised header texts to canonical names; a Finnish header beats another's alias."""
    out = {normalise_label(c.header_fi): c.name for c in dataset.columns}
    for col in dataset.columns:
        for alias in col.aliases:
            out.setdefault(normalise_label(alias), col.name)
    return out


@dataclass(frozen=True)
class _Header:
    """The header row found: its index in the sheet frame (-1: none) and what it names."""

    at: int = -1
    letters: dict[str, str] = field(default_factory=dict)  # canonical -> column letter
    texts: dict[str, str] = field(default_factory=dict)  # canonical -> header as written


def _find_header(raw: RawSheet, lookup: dict[str, str]) -> _Header:
    """Pick the row, among the first ones, whose cells name the most canonical columns."""
    letters = [c for c in raw.frame.columns if c != ROW]
    best = _Header()
    for i, cells in enumerate(raw.frame.head(HEADER_SCAN_ROWS).select(letters).iter_rows()):
        row = _Header(i)
        for letter, cell in zip(letters, cells, strict=True):
            name = lookup.get(normalise_label(cell)) if cell is not None else None
            if name and name not in row.letters:
                row.letters[name], row.texts[name] = letter, cell
        first_text = best.at < 0 and any(c is not None for c in cells)
        if len(row.letters) > len(best.letters) or first_text:
            best = row
    return best


def _require(dataset: Dataset, raw: RawSheet, header: _Header, source: str) -> None:
    """Raise ValidationFailed naming the required columns the header row lacks."""
    missing = [
        c.header_fi
        for c in dataset.columns
        if c.need is Need.REQUIRED and c.name not in header.letters
    ]
    if not missing:
        return
    cells = raw.frame.drop(ROW).row(header.at) if header.at >= 0 else ()
    seen = ", ".join(f"'{c}'" for c in cells if c is not None)
    raise ValidationFailed(
        f"required column {', '.join(repr(m) for m in missing)} not found "
        f"(headers found: {seen or 'none'})",
        file=source,
        sheet=raw.name or None,
        column=missing[0],
    )


# --- Long form ----------------------------------------------------------------------------------


def _load_long(dataset: Dataset, raw: RawSheet, source: str) -> LoadedTable:
    header = _find_header(raw, _lookup(dataset))
    _require(dataset, raw, header, source)
    body = raw.frame.slice(header.at + 1).select(
        ROW, *(pl.col(letter).alias(name) for name, letter in header.letters.items())
    )
    body = body.filter(pl.any_horizontal(pl.exclude(ROW).is_not_null()))
    typed = (_column(c, body) for c in dataset.columns)
    frame = body.select(*typed, ROW, pl.lit(raw.name).alias(SHEET))
    problems = _problems(dataset, body, frame, raw.name, header)
    return LoadedTable(dataset, frame, source, raw.name, header.texts, header.letters, problems)


def _column(col: Column, body: pl.DataFrame) -> pl.Expr:
    """The expression turning a raw text column into its typed canonical column."""
    if col.name not in body.columns:
        return pl.lit(None, dtype=_DTYPES[col.kind]).alias(col.name)
    raw = pl.col(col.name)
    typed = _converters[col.kind](raw, col, body[col.name])
    if col.default is not None:
        default = pl.lit(col.default, dtype=_DTYPES[col.kind])
        typed = pl.when(raw.is_null()).then(default).otherwise(typed)
    return typed.alias(col.name)


def _number(raw: pl.Expr) -> pl.Expr:
    text = raw.str.replace_all(r"[\s\u00a0]", "").str.replace(",", ".", literal=True)
    return pl.when(text.str.contains(_NUMBER)).then(text.cast(pl.Float64, strict=False))


def _int(raw: pl.Expr, col: Column, values: pl.Series) -> pl.Expr:
    number = _number(raw)
    return pl.when(number == number.round()).then(number.cast(pl.Int64, strict=False))


def _date(raw: pl.Expr, col: Column, values: pl.Series) -> pl.Expr:
    iso = raw.str.extract(_ISO, 1).str.to_date("%Y-%m-%d", strict=False)
    finnish = raw.str.extract(_FINNISH, 1).str.to_date("%d.%m.%Y", strict=False)
    return pl.coalesce(iso, finnish)


def _bool(raw: pl.Expr, col: Column, values: pl.Series) -> pl.Expr:
    return raw.str.to_lowercase().replace_strict(_BOOLS, default=None, return_dtype=pl.Boolean)


def choice_map(col: Column, values: pl.Series) -> dict[str, str]:
    """Map each distinct text of `values` that names a known choice to its canonical value."""
    known = {normalise_label(c): c for c in col.choices} | col.value_aliases
    pairs = ((v, known.get(normalise_label(v))) for v in values.drop_nulls().unique().to_list())
    return {v: k for v, k in pairs if k is not None and k != v}


def _choice(raw: pl.Expr, col: Column, values: pl.Series) -> pl.Expr:
    return raw.replace(choice_map(col, values))


def _list(raw: pl.Expr, col: Column, values: pl.Series) -> pl.Expr:
    def items(e: pl.Expr) -> pl.Expr:
        return e.str.replace_all(";", ",", literal=True).str.split(",")

    distinct = values.to_frame().select(items(pl.first()).explode().str.strip_chars())
    mapping = choice_map(col, distinct.to_series())
    item = pl.element().str.strip_chars()
    parts = items(raw).list.eval(item.filter(item.str.len_chars() > 0).replace(mapping))
    return pl.when(parts.list.len() > 0).then(parts)


_converters: dict[Kind, Callable[[pl.Expr, Column, pl.Series], pl.Expr]] = {
    Kind.TEXT: lambda raw, col, values: raw,
    Kind.EMAIL: lambda raw, col, values: raw,
    Kind.FLOAT: lambda raw, col, values: _number(raw),
    Kind.INT: _int,
    Kind.DATE: _date,
    Kind.BOOL: _bool,
    Kind.CHOICE: _choice,
    Kind.LIST: _list,
}


def _problems(
    dataset: Dataset, body: pl.DataFrame, frame: pl.DataFrame, sheet: str, header: _Header
) -> tuple[CellProblem, ...]:
    """List the non-blank cells whose typed value came out null."""
    out: list[CellProblem] = []
    for col in dataset.columns:
        if col.kind not in _EXPECTED or col.name not in body.columns:
            continue
        lost = pl.col(col.name).is_not_null() & frame[col.name].is_null()
        bad = body.select(ROW, pl.col(col.name)).filter(lost)
        letter = header.letters[col.name]
        out.extend(
            CellProblem(
                row,
                col.name,
                header.texts[col.name],
                value,
                _EXPECTED[col.kind],
                sheet,
                f"{letter}{row}",
            )
            for row, value in bad.iter_rows()
        )
    return tuple(sorted(out, key=lambda p: (p.row, p.cell)))


# --- Principles: long form or one matrix per half-year ----------------------------------------


def _load_principles(dataset: Dataset, book: Book, sheet: str, found: str | None) -> LoadedTable:
    if found is not None:
        raw = book.sheet(found)
        named = _find_header(raw, _lookup(dataset)).letters
        long_form = {"period", "key_project", "principle"} <= named.keys()
        if long_form or not _is_matrix(raw):
            return _with_cell(_load_long(dataset, raw, book.name))
        return _matrices(dataset, [(raw, _half_year(found))], book.name, found)
    halves = [
        (s, _half_year(s))
        for s in book.sheet_names
        if normalise_label(s).startswith(normalise_label(sheet) + " ")
    ]
    halves = [(s, p) for s, p in halves if p]
    if not halves:
        raise _missing_sheet(book, sheet)
    return _matrices(dataset, [(book.sheet(s), p) for s, p in halves], book.name, sheet)


def _with_cell(table: LoadedTable) -> LoadedTable:
    frame = table.frame.with_columns(pl.lit(None, dtype=pl.String).alias(CELL))
    return LoadedTable(
        table.dataset,
        frame,
        table.source,
        table.sheet,
        table.headers,
        table.letters,
        table.problems,
    )


def _half_year(text: str) -> str | None:
    """Return the half-year named in a sheet name, e.g. 'Digiperiaatteet 2018 H1' -> '2018H1'."""
    match = re.search(r"(\d{4})\s*[-_/]?\s*[Hh]\s*([12])\b", text)
    return f"{match[1]}H{match[2]}" if match else None


def _matrix_lookup() -> dict[str, str]:
    out = {normalise_label(h): "key_project" for h in PRINCIPLES.column("key_project").headers}
    out |= {normalise_label(h): "period" for h in PRINCIPLES.column("period").headers}
    return out | {alias: f"{_P}{n}" for alias, n in principle_aliases().items()}


def _principle(key: str) -> str | None:
    """The principle number of a matrix lookup key ('p3' -> '3'), None for other columns."""
    return key[len(_P) :] if key.startswith(_P) and key[len(_P) :].isdigit() else None


_MATRIX_NEEDS = Dataset(PRINCIPLES.name, PRINCIPLES.sheet, (PRINCIPLES.column("key_project"),))


def _is_matrix(raw: RawSheet) -> bool:
    letters = _find_header(raw, _matrix_lookup()).letters
    return "key_project" in letters and any(_principle(k) for k in letters)


def _matrices(
    dataset: Dataset, sheets: list[tuple[RawSheet, str | None]], source: str, name: str
) -> LoadedTable:
    parts: list[pl.DataFrame] = []
    texts: dict[str, str] = {}
    letters: dict[str, str] = {}
    for raw, period in sheets:
        header = _find_header(raw, _matrix_lookup())
        _require(_MATRIX_NEEDS, raw, header, source)
        parts.append(_matrix_rows(dataset, raw, header, period))
        texts = texts or {k: v for k, v in header.texts.items() if not _principle(k)}
        letters = letters or {k: v for k, v in header.letters.items() if not _principle(k)}
    return LoadedTable(dataset, pl.concat(parts), source, name, texts, letters)


def _matrix_rows(
    dataset: Dataset, raw: RawSheet, header: _Header, period: str | None
) -> pl.DataFrame:
    """Unpivot one matrix sheet to long form: a row per (key project, principle) cell."""
    found = header.letters
    principles = {letter: n for key, letter in found.items() if (n := _principle(key))}
    period_expr = pl.col(found["period"]) if "period" in found else pl.lit(period, pl.String)
    body = raw.frame.slice(header.at + 1).select(
        ROW,
        period_expr.alias("period"),
        pl.col(found["key_project"]).alias("key_project"),
        *principles,
    )
    body = body.filter(pl.any_horizontal(pl.col("key_project", *principles).is_not_null()))
    long = body.unpivot(
        on=list(principles),
        index=[ROW, "period", "key_project"],
        variable_name="letter",
        value_name="assessment",
    )
    assessment = dataset.column("assessment")
    return long.select(
        "period",
        "key_project",
        pl.col("letter").replace_strict(principles).alias("principle"),
        pl.col("assessment").replace(choice_map(assessment, long["assessment"])),
        pl.lit(None, dtype=pl.String).alias("notes"),
        ROW,
        pl.lit(raw.name).alias(SHEET),
        (pl.col("letter") + pl.col(ROW).cast(pl.String)).alias(CELL),
    ).sort(ROW, pl.col("principle").cast(pl.Int64))
