"""The site's tables as plain text cells: the register as it stood at the as-of date, the rows
behind each figure, the deregulation log and each data owner's findings.

Cells are formatted here once (dates, yes/no, lists, vocabulary in the page's language), so the
page's script only pages and filters them. Columns that may hold personal data or free-text
feedback (the owner's address, comments, notes) never reach a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import cast

import polars as pl

from schemas.catalogue import messages, translate
from schemas.datasets import AGENCY_SURVEY_FIXED, ENGAGEMENTS, FEEDBACK, PRINCIPLES
from schemas.findings import Finding
from schemas.jsontypes import Json, JsonValue
from schemas.register import ENGAGEMENT_COLUMNS
from schemas.results import ContextFigure, IndicatorId, IndicatorResult
from schemas.tables import CELL, ROW, SHEET
from tasks.report.i18n import category_names

# Never shown: who keeps a row (an address), free text that may name people, internal columns.
HIDDEN = frozenset({"owner", "comment", "notes", "counted", SHEET, CELL, "found_on_assumed", "new"})
REGISTER = ENGAGEMENT_COLUMNS  # the register as the site lists it
ASSESSED = ("toteutuu", "osittain", "ei toteudu")  # a principle cell that counts as assessed
_ID_COLUMNS = ("response_id", "engagement_id", CELL, ROW)
_VOCABULARY = frozenset(
    {"service_concept", "status", "priority", "influence_level", "project_stage", "assessment"}
)
_LONG = 200  # characters of free text shown in a cell (the appendix has all of it)


@dataclass(frozen=True)
class Table:
    """One table of the page: headers, each row's id (and branch code), the text by column."""

    key: str
    columns: tuple[str, ...]
    ids: Sequence[str]
    cells: tuple[Sequence[str], ...]  # one sequence per column, a text per row
    branches: Sequence[str] = ()  # per row (the register only): the canonical branch code

    @property
    def count(self) -> int:
        return len(self.ids)

    def to_json(self) -> Json:
        """The table for the page's script; a column shown that holds the ids (or the branch
        codes) is named by its index instead of being sent twice (megabytes at 100k rows)."""
        cols = [list(c) for c in self.cells]
        out: Json = {"cols": cast(JsonValue, cols)}
        out |= _same_as_column("ids", "idcol", list(self.ids), cols)
        if self.branches:
            out |= _same_as_column("branch", "branchcol", list(self.branches), cols)
        return out


def _same_as_column(name: str, index: str, values: list[str], cols: list[list[str]]) -> Json:
    found = next((i for i, col in enumerate(cols) if col == values), None)
    return {name: cast(JsonValue, values)} if found is None else {index: found}


def header(name: str, language: str) -> str:
    """The header a reader knows for a column: the register's own in Finnish."""
    if name == ROW:
        return translate(language, "appendix.row")
    catalogue = messages(language)
    found = catalogue.get(f"derived_header.{name}") or catalogue.get(f"header.{name}")
    if language == "fi" or not found:
        return _headers_fi().get(name) or found or name
    return found


def _headers_fi() -> dict[str, str]:
    columns = (*ENGAGEMENTS.columns, *FEEDBACK.columns, *AGENCY_SURVEY_FIXED, *PRINCIPLES.columns)
    return {c.name: c.header_fi for c in reversed(columns)}


def _text(column: str, dtype: pl.DataType, language: str) -> pl.Expr:
    """A column as display text: dates d.m.yyyy / 30 June 2018, yes/no, lists joined."""
    col = pl.col(column)
    if dtype == pl.Date:
        return col.dt.strftime("%-d.%-m.%Y" if language == "fi" else "%-d %B %Y")
    if dtype == pl.Boolean:
        yes, no = translate(language, "site.yes"), translate(language, "site.no")
        return pl.when(col).then(pl.lit(yes)).when(col.not_()).then(pl.lit(no))
    if isinstance(dtype, pl.List):
        return col.cast(pl.List(pl.String)).list.join("; ")
    if dtype.is_float():
        text = col.round(4).cast(pl.String)
        return text.str.replace(".", ",", literal=True) if language == "fi" else text
    text = col.cast(pl.String)
    if column in _VOCABULARY or column == "branch":
        names = category_names(language)
        if column != "branch" and names:
            text = text.replace(names)
    return text.str.slice(0, _LONG)


def table(key: str, frame: pl.DataFrame, columns: Sequence[str], language: str) -> Table:
    """A table of `frame`'s `columns` (those it has), one row per frame row."""
    shown = [c for c in columns if c in frame.columns and c not in HIDDEN]
    keys = [pl.col(c).cast(pl.String) for c in _ID_COLUMNS if c in frame.columns]
    texts = frame.select(
        [_text(c, frame.schema[c], language).fill_null("").alias(c) for c in shown]
    )
    ids = frame.select(pl.coalesce(keys).fill_null("")).to_series() if keys else None
    return Table(
        key=key,
        columns=tuple(header(c, language) for c in shown),
        ids=ids.to_list() if ids is not None else [str(i) for i in range(frame.height)],
        cells=tuple(texts[c].to_list() for c in shown),
        branches=frame["branch"].fill_null("").to_list() if key == "engagements" else (),
    )


def register_table(register: pl.DataFrame, as_of: date, language: str) -> Table:
    """The engagements started on or before the as-of date: the register as it stood then.

    An engagement that ended (completed or cancelled) after that date was still under way on
    it: its status then was "käynnissä" and its end date not yet there, as the figures of that
    date count it.
    """
    started = register.filter(pl.col("start_date") <= as_of)
    later = pl.col("end_date").is_not_null() & (pl.col("end_date") > as_of)
    ended = later & pl.col("status").is_in(("toteutettu", "peruttu"))
    then = started.with_columns(
        pl.when(ended).then(pl.lit("käynnissä")).otherwise(pl.col("status")).alias("status"),
        pl.when(later).then(None).otherwise(pl.col("end_date")).alias("end_date"),
    )
    return table("engagements", then, REGISTER, language)


def behind(result: IndicatorResult) -> pl.DataFrame:
    """The rows behind a figure's numerator: those counted in a share, the assessed principle
    cells, else every row the figure stands on."""
    rows = result.rows
    if "counted" in rows.columns:
        return rows.filter(pl.col("counted").fill_null(False))
    if result.id == IndicatorId.PRINCIPLES_ASSESSED_SHARE and "assessment" in rows.columns:
        return rows.filter(pl.col("assessment").is_in(ASSESSED))
    return rows


def rows_table(result: IndicatorResult, language: str) -> Table:
    """The rows behind one figure, spreadsheet row first."""
    rows = behind(result)
    columns = [ROW, *(c for c in rows.columns if c != ROW)]
    return table(f"rows-{result.id}", rows, columns, language)


def deregulation_table(figure: ContextFigure | None, language: str) -> Table | None:
    """Every deregulation opportunity found, with whom it was passed on to."""
    if figure is None or "regulatory_obstacles" not in figure.rows.columns:
        return None
    columns = (
        "engagement_id",
        "title",
        "branch",
        "regulatory_obstacles",
        "found_on",
        "regulatory_passed_on",
    )
    return table("deregulation", figure.rows, columns, language)


def findings_table(
    key: str, findings: Sequence[Finding], language: str, written_in: str = "fi"
) -> Table:
    """One owner's findings: sheet, row, column, engagement, what to do (never a cell's value).

    What to do is the finding's own sentence when it is in the page's language (`written_in`:
    the validation's), else its rule's text in the page's language.
    """
    heads = ("sheet", "row", "column", "engagement", "todo")
    todo = [
        f.message if language == written_in else translate(language, f"rule.{f.rule}", f.message)
        for f in findings
    ]
    return Table(
        key=key,
        columns=tuple(translate(language, f"site.finding_{h}") for h in heads),
        ids=[f"{f.dataset}:{f.row}:{f.column}:{f.rule}" for f in findings],
        cells=(
            [f.sheet or f.source for f in findings],
            [str(f.row) if f.row else "" for f in findings],
            [f.column for f in findings],
            [f.engagement_id for f in findings],
            todo,
        ),
    )
