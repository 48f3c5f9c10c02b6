"""The appendix channel: the XLSX of what a report is, a data dictionary, then the rows behind
every figure and the evidence sheets (`evidence`: trend values, findings counted, missing
branches, the previous half-year's principle cells).

The first sheet says what the workbook is: period, as-of date, when it was made, the source
files with their fingerprints, the targets and thresholds in force, the program version and
the sheets. Headers are the ones a reader knows (the register's own in Finnish, never internal
names such as "counted" or "_cell"); sheet names are cut at a word boundary; text stays text,
even "=SUM(A1)"; numbers and dates are numbers with formats (`xlsx`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace

import polars as pl

from schemas.catalogue import messages, plural, translate
from schemas.datasets import AGENCY_SURVEY_FIXED, ENGAGEMENTS, FEEDBACK, PRINCIPLES
from schemas.report import Provenance, ReportContext
from schemas.results import ContextFigure, Indicators, Reading, indicator_spec
from schemas.tables import CELL, ROW, SHEET
from tasks._xlsx import (
    DECIMAL,
    INTEGER,
    PERCENT,
    WRAP,
    Cell,
    Sheet,
    write_xlsx,
)
from tasks.report.about import about_sheet
from tasks.report.evidence import evidence_frames
from tasks.report.headline import serves
from tasks.report.i18n import register_headers, status_key

_MAX_SHEET = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_OWN = {ROW: "appendix.row", SHEET: "appendix.sheet", CELL: "appendix.cell"}


def _headers_fi() -> dict[str, str]:
    columns = (*ENGAGEMENTS.columns, *FEEDBACK.columns, *AGENCY_SURVEY_FIXED, *PRINCIPLES.columns)
    out: dict[str, str] = {}
    for column in columns:
        out.setdefault(column.name, column.header_fi)
    return out


def column_header(name: str, language: str) -> str:
    """Return the header a reader knows for a column (the sheet's own in Finnish)."""
    if name in _OWN:
        return translate(language, _OWN[name])
    derived = messages(language).get(f"derived_header.{name}")  # columns a figure adds
    if derived:
        return derived
    catalogue = messages(language).get(f"header.{name}")
    if language == "fi":
        return _headers_fi().get(name) or catalogue or name
    return catalogue or _headers_fi().get(name, name)


def _shorten(title: str) -> str:
    """Cut a title to 31 characters at a word boundary, never leaving a trailing space."""
    title = " ".join(_BAD_SHEET_CHARS.sub(" ", title).split()).strip("'")
    if len(title) <= _MAX_SHEET:
        return title or "Sheet"
    cut = title[: _MAX_SHEET + 1].rsplit(" ", 1)[0]
    return (cut if len(cut) >= 10 else title[:_MAX_SHEET]).rstrip(" ,;-–") or "Sheet"


def sheet_names(titles: Iterable[str]) -> list[str]:
    """Make valid, unique sheet names (≤ 31 characters, no []:*?/\\) from titles, in order."""
    out: list[str] = []
    taken = {"history"}  # Excel reserves this name
    for title in titles:
        base = _shorten(title)
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            name = _shorten(base[: _MAX_SHEET - len(suffix)]) + suffix
        taken.add(name.casefold())
        out.append(name)
    return out


def _ordered(frame: pl.DataFrame) -> pl.DataFrame:
    """Put the row number and sheet first, the canonical columns after them."""
    first = [c for c in (ROW, SHEET) if c in frame.columns]
    return _whole_numbers(frame.select(first + [c for c in frame.columns if c not in first]))


def _whole_numbers(frame: pl.DataFrame) -> pl.DataFrame:
    """Numbers that are whole as whole numbers: a rating 5 reads "5", not "5,00"; a principle
    kept as text ("1") becomes the number it is (it sorts and filters as one)."""
    casts = []
    for name, dtype in frame.schema.items():
        values = frame[name].drop_nulls()
        if dtype.is_float() and values.len() and (values == values.round()).all():
            casts.append(pl.col(name).cast(pl.Int64))
        elif name == "principle" and dtype == pl.String and values.len():
            numbers = values.cast(pl.Int64, strict=False)
            if numbers.null_count() == 0:
                casts.append(pl.col(name).cast(pl.Int64))
    return frame.with_columns(casts) if casts else frame


_VALUE_STYLES = {Reading.SHARE: PERCENT, Reading.MEAN: DECIMAL, Reading.COUNT: INTEGER}


def _value_style(indicator_id: str) -> int:
    return _VALUE_STYLES[indicator_spec(indicator_id).reads]


def _dictionary(indicators: Indicators, language: str, final: bool = False) -> Sheet:
    heads = ("id", "name", "definition", "target", "thresholds", "value", "status", "goals")
    rows = []
    for r in indicators.results.values():
        key, style = f"indicator.{r.id}", _value_style(r.id)
        target = translate(language, f"{key}.target", "", target="").strip()
        rows.append(
            [
                Cell(r.id),
                Cell(translate(language, f"{key}.name", r.id), WRAP),
                Cell(translate(language, f"{key}.definition", ""), WRAP),
                Cell(r.target, style) if r.target is not None else Cell(target),
                Cell(translate(language, f"{key}.thresholds", ""), WRAP),
                Cell(r.value, style),
                Cell(translate(language, status_key(r.status, r.id, final))),
                Cell(serves(r.id, language), WRAP),
            ]
        )
    headers = [translate(language, f"appendix.{h}") for h in heads]
    return Sheet("", headers, rows=rows, widths=(28, 36, 48, 10, 48, 10, 16, 40))


def _figures(
    indicators: Indicators, language: str, evidence: Mapping[str, pl.DataFrame]
) -> list[tuple[str, str, pl.DataFrame]]:
    """Each figure with rows: its sheet title (the short name where there is one), its full
    name, and its rows."""
    t = lambda key, fallback: translate(language, key, fallback)  # noqa: E731
    figures = [
        (t(f"indicator.{r.id}.short", ""), t(f"indicator.{r.id}.name", r.id), r.rows)
        for r in indicators.results.values()
    ]
    figures += [
        (t(f"context_short.{f.id}", ""), t(f"context.{f.id}", f.id), _context_rows(f, language))
        for f in indicators.context.values()
    ]
    figures += [
        (t(f"appendix.evidence.{key}", key), t(f"appendix.evidence.{key}", key), frame)
        for key, frame in evidence.items()
    ]
    return [(short or full, full, _ordered(rows)) for short, full, rows in figures if rows.width]


def _context_rows(figure: ContextFigure, language: str) -> pl.DataFrame:
    """A figure's rows; for one not recorded, the sentence saying which column is missing."""
    if figure.recorded:
        return figure.rows
    headers = register_headers(figure.unrecorded, language)
    note = plural(language, "context.not_recorded", len(figure.unrecorded), headers=headers)
    return pl.DataFrame({translate(language, "appendix.not_recorded"): [note]})


def build_appendix(ctx: ReportContext, about: Provenance | None = None) -> bytes:
    """Return an XLSX workbook: about, data dictionary, then a sheet of rows per figure.

    After the figures' own rows come the evidence sheets of the report (`evidence_frames`),
    each titled by its catalogue key `appendix.evidence.<key>`.
    """
    indicators, language = ctx.indicators, ctx.language
    figures = _figures(indicators, language, evidence_frames(ctx))
    fixed = [translate(language, "appendix.about"), translate(language, "appendix.dictionary")]
    names = sheet_names([*fixed, *(short for short, _, _ in figures)])
    listed = list(zip(names[1:], [fixed[1], *(full for _, full, _ in figures)], strict=True))
    sheets = [
        replace(about_sheet(indicators, language, about, listed), name=names[0]),
        replace(
            _dictionary(indicators, language, indicators.as_of >= ctx.programme_deadline),
            name=names[1],
        ),
    ]
    for name, (_, _, frame) in zip(names[2:], figures, strict=True):
        headers = [column_header(c, language) for c in frame.columns]
        sheets.append(Sheet(name, headers, frame=frame))
    return write_xlsx(sheets, language)
