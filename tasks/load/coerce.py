"""Turn a long-form sheet of text into the typed canonical columns of its contract.

The header row is found among the first rows (`tasks.load.headers`); the mapped columns are
coerced with vectorised Polars expressions. Cells that cannot be read as their type become
null and are reported as `CellProblem`s; a missing required column raises `ValidationFailed`.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from schemas.contract import Column, Dataset, Kind
from schemas.tables import DTYPES, ROW, SHEET, CellProblem, LoadedTable
from tasks.load.headers import (
    Header,
    choice_map,
    find_header,
    header_cells,
    header_lookup,
    require_columns,
)
from tasks.load.workbook import RawSheet

_EXPECTED = {Kind.INT: "integer", Kind.FLOAT: "number", Kind.DATE: "date", Kind.BOOL: "yes/no"}
_TRUE = ("kyllä", "k", "ja", "yes", "y", "x", "true", "tosi", "sant", "1")
_FALSE = ("ei", "nej", "no", "n", "false", "epätosi", "falskt", "0")
_BOOLS = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_ISO = r"^(\d{4}-\d{1,2}-\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
_FINNISH = r"^(\d{1,2}\.\d{1,2}\.\d{4})(?:\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?$"


def load_long(dataset: Dataset, raw: RawSheet, source: str) -> LoadedTable:
    header = find_header(raw, header_lookup(dataset))
    require_columns(dataset, raw, header, source)
    body = raw.frame.slice(header.at + 1).select(
        ROW, *(pl.col(letter).alias(name) for name, letter in header.letters.items())
    )
    body = body.filter(pl.any_horizontal(pl.exclude(ROW).is_not_null()))
    typed = (_column(c, body) for c in dataset.columns)
    frame = body.select(*typed, ROW, pl.lit(raw.name).alias(SHEET))
    problems = _problems(dataset, body, frame, raw.name, header)
    found = header_cells(raw, header)
    return LoadedTable(
        dataset,
        frame,
        source,
        raw.name,
        header.texts,
        header.letters,
        problems,
        found,
        tuple(header.twins),
        raw.unsaved,
    )


def _column(col: Column, body: pl.DataFrame) -> pl.Expr:
    """The expression turning a raw text column into its typed canonical column."""
    if col.name not in body.columns:
        return pl.lit(None, dtype=DTYPES[col.kind]).alias(col.name)
    raw = pl.col(col.name)
    typed = _converters[col.kind](raw, col, body[col.name])
    if col.default is not None:
        default = pl.lit(col.default, dtype=DTYPES[col.kind])
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
    dataset: Dataset, body: pl.DataFrame, frame: pl.DataFrame, sheet: str, header: Header
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
