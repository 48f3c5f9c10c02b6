"""Read the digital-principles assessments, in long form or as half-yearly matrices.

The team keeps the assessments as matrices: a row per key project and a column per
principle, the column headers naming the principle by number or name, fi or en ('3',
'P3', '2 Poistamme turhan asioinnin'), each cell an assessment ('toteutuu', 'osittain', ...).
A matrix may carry its own period column; otherwise the half-year comes from the sheet
name, with one sheet per half-year ('Digiperiaatteet 2018 H1', 'Digiperiaatteet 2018H2')
next to the configured sheet name. Each matrix is unpivoted to the long form of the
contract, a row per (key project, principle) cell, and the `CELL` column says where the
assessment was written (e.g. 'D7'). A sheet already in long form (period, key project and
principle columns) is read like any other dataset, with a null `CELL`.

Every half-year written in a `Kausi` cell is read with `schemas.periods.half_year` and stored
as `2018H1`; a cell no spelling matches becomes null plus a `CellProblem` naming the cell.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from schemas.contract import Dataset, normalise_label
from schemas.datasets import PRINCIPLES
from schemas.periods import half_year
from schemas.reference import principle_aliases
from schemas.tables import CELL, ROW, SHEET, CellProblem, LoadedTable
from tasks.load.coerce import load_long
from tasks.load.headers import (
    Header,
    choice_map,
    find_header,
    header_lookup,
    missing_sheet,
    require_columns,
)
from tasks.load.workbook import Book, RawSheet

_P = "principle:"  # prefix of the matrix header lookup's principle columns
_MATRIX_NEEDS = Dataset(PRINCIPLES.name, PRINCIPLES.sheet, (PRINCIPLES.column("key_project"),))


def load_principles(dataset: Dataset, book: Book, sheet: str, found: str | None) -> LoadedTable:
    """Read the principles from sheet `found` (long form or a matrix) or the half-year sheets."""
    if found is not None:
        raw = book.sheet(found)
        named = find_header(raw, header_lookup(dataset)).letters
        long_form = {"period", "key_project", "principle"} <= named.keys()
        if long_form or not _is_matrix(raw):
            return _read_periods(_with_cell(load_long(dataset, raw, book.name)))
        return _read_periods(_matrices(dataset, [(raw, _half_year(found))], book.name, found))
    halves = [
        (s, _half_year(s))
        for s in book.sheet_names
        if normalise_label(s).startswith(normalise_label(sheet) + " ")
    ]
    halves = [(s, p) for s, p in halves if p]
    if not halves:
        raise missing_sheet(book, sheet)
    tables = [(book.sheet(s), p) for s, p in halves]
    return _read_periods(_matrices(dataset, tables, book.name, sheet))


def _with_cell(table: LoadedTable) -> LoadedTable:
    frame = table.frame.with_columns(pl.lit(None, dtype=pl.String).alias(CELL))
    return replace(table, frame=frame)


def _half_year(text: str) -> str | None:
    """Return the half-year named in a sheet name, e.g. 'Digiperiaatteet 2018 H1' -> '2018H1'."""
    return half_year(text, within=True)


def _read_periods(table: LoadedTable) -> LoadedTable:
    """Store every `Kausi` as `2018H1`; an unreadable one becomes null plus a CellProblem."""
    written = table.frame["period"].drop_nulls().unique().to_list()
    read = {text: half_year(text) for text in written}
    unreadable = [text for text, period in read.items() if period is None]
    frame = table.frame.with_columns(
        pl.col("period").replace_strict(read, default=None, return_dtype=pl.String)
    )
    problems = _period_problems(table, unreadable)
    return replace(table, frame=frame, problems=table.problems + problems)


def _period_problems(table: LoadedTable, unreadable: list[str]) -> tuple[CellProblem, ...]:
    """Name the `Kausi` cells holding one of the `unreadable` texts, by address."""
    if not unreadable or "period" not in table.letters:
        return ()
    letter, header = table.letters["period"], table.headers["period"]
    bad = table.frame.filter(pl.col("period").is_in(unreadable))
    return tuple(
        CellProblem(row, "period", header, text, "half-year (2018H1)", sheet, f"{letter}{row}")
        for text, row, sheet in bad.select("period", ROW, SHEET).iter_rows()
    )


def _matrix_lookup() -> dict[str, str]:
    out = {normalise_label(h): "key_project" for h in PRINCIPLES.column("key_project").headers}
    out |= {normalise_label(h): "period" for h in PRINCIPLES.column("period").headers}
    return out | {alias: f"{_P}{n}" for alias, n in principle_aliases().items()}


def _principle(key: str) -> str | None:
    """The principle number of a matrix lookup key ('p3' -> '3'), None for other columns."""
    return key[len(_P) :] if key.startswith(_P) and key[len(_P) :].isdigit() else None


def _is_matrix(raw: RawSheet) -> bool:
    letters = find_header(raw, _matrix_lookup()).letters
    return "key_project" in letters and any(_principle(k) for k in letters)


def _matrices(
    dataset: Dataset, sheets: list[tuple[RawSheet, str | None]], source: str, name: str
) -> LoadedTable:
    parts: list[pl.DataFrame] = []
    texts: dict[str, str] = {}
    letters: dict[str, str] = {}
    for raw, period in sheets:
        header = find_header(raw, _matrix_lookup())
        require_columns(_MATRIX_NEEDS, raw, header, source)
        parts.append(_matrix_rows(dataset, raw, header, period))
        texts = texts or {k: v for k, v in header.texts.items() if not _principle(k)}
        letters = letters or {k: v for k, v in header.letters.items() if not _principle(k)}
    return LoadedTable(dataset, pl.concat(parts), source, name, texts, letters)


def _matrix_rows(
    dataset: Dataset, raw: RawSheet, header: Header, period: str | None
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
