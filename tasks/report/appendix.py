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
from datetime import date, datetime
from importlib import metadata

import polars as pl

from schemas.assumptions import ASSUMPTION_KEYS, dotted
from schemas.catalogue import messages, plural, translate
from schemas.datasets import AGENCY_SURVEY_FIXED, ENGAGEMENTS, FEEDBACK, PRINCIPLES
from schemas.report import Provenance, ReportContext, Setting, SourceFile
from schemas.results import ContextFigure, Indicators, Reading, indicator_spec
from schemas.settings import Settings
from schemas.tables import CELL, ROW, SHEET, Inputs
from tasks._xlsx import (
    DATE,
    DATETIME,
    DECIMAL,
    HEADER,
    INTEGER,
    LINK,
    PERCENT,
    WRAP,
    Cell,
    Sheet,
    write_xlsx,
)
from tasks.report.evidence import evidence_frames
from tasks.report.headline import serves
from tasks.report.i18n import register_headers, status_key
from tasks.report.view import period_label

_MAX_SHEET = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_OWN = {ROW: "appendix.row", SHEET: "appendix.sheet", CELL: "appendix.cell"}


def _flat(prefix: str, data: object) -> list[Setting]:
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in _flat(f"{prefix}.{k}", v)]
    return [(prefix, data)] if isinstance(data, date | float | int | str) else []


def provenance(inputs: Inputs | None, settings: Settings, generated_at: datetime) -> Provenance:
    """Where the figures come from: source files and fingerprints, targets in force, version.

    A report rendered from history has no inputs: only the data fingerprint stored with its
    values (on the first sheet, from the indicators) says what it was computed from.
    """
    tables = inputs.tables() if inputs is not None else ()
    sources = tuple(
        SourceFile(t.dataset.name, t.source, t.sheet, t.frame.height, t.fingerprint())
        for t in tables
    )
    in_force = [
        *_flat("programme", settings.programme.model_dump()),
        *_flat("targets", settings.targets.model_dump()),
        *_flat("agency_survey", settings.agency_survey.model_dump()),
    ]
    try:
        version = metadata.version("d9-report")
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        version = "unknown"
    assumed = tuple((key, _plain(dotted(settings, key))) for key in ASSUMPTION_KEYS)
    return Provenance(generated_at, sources, tuple(in_force), version, assumed)


def _plain(value: object) -> date | float | int | str:
    """A setting as one cell: numbers and dates stay, lists are joined, the rest is text."""
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, date | float | int | str) and not isinstance(value, bool):
        return value
    return str(value)


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


def _about(
    indicators: Indicators, language: str, about: Provenance | None, sheets: list[tuple[str, str]]
) -> Sheet:
    t = lambda key: translate(language, f"appendix.{key}")  # noqa: E731
    period = period_label(indicators, language)
    rows: list[list[Cell]] = [
        [
            Cell(t("period")),
            Cell(f"{period} ({indicators.period})" if indicators.period else period),
        ],
        [Cell(t("as_of")), Cell(indicators.as_of, DATE)],
    ]
    if about is not None:
        rows += [
            [Cell(t("generated")), Cell(about.generated_at.replace(tzinfo=None), DATETIME)],
            [Cell(t("version")), Cell(about.version)],
        ]
    rows.append([Cell(t("data_fingerprint")), Cell(indicators.fingerprint)])
    if about is not None and about.sources:
        rows += [
            [],
            [
                Cell(t("sources"), HEADER),
                Cell(t("source_sheet"), HEADER),
                Cell(t("rows"), HEADER),
                Cell(t("fingerprint"), HEADER),
            ],
        ]
        rows += [
            [Cell(s.source), Cell(s.sheet), Cell(s.rows, INTEGER), Cell(s.fingerprint)]
            for s in about.sources
        ]
    if about is not None and about.settings:
        rows += [[], [Cell(t("settings"), HEADER), Cell(t("setting_value"), HEADER)]]
        rows += [
            [Cell(translate(language, f"setting.{k}", k)), _setting(v)] for k, v in about.settings
        ]
    if about is not None and about.assumptions:
        # Rules the action plan does not state: each a setting, labelled as an assumption.
        rows += [
            [],
            [
                Cell(t("assumptions"), HEADER),
                Cell(t("setting_value"), HEADER),
                Cell(""),
                Cell(t("setting"), HEADER),
            ],
        ]
        rows += [
            [Cell(translate(language, f"assumption.{k}", k), WRAP), _setting(v), Cell(""), Cell(k)]
            for k, v in about.assumptions
        ]
    rows += [[], [Cell(t("sheets"), HEADER)]]
    first = len(rows) + 2  # the spreadsheet row of the first sheet listed (under the header)
    rows += [[Cell(n, LINK), Cell(title)] for n, title in sheets]
    rows.append([Cell(t("sheets_note"))])
    links = [(f"A{first + i}", name) for i, (name, _) in enumerate(sheets)]
    return Sheet(
        "", [t("about_title")], rows=rows, widths=(44, 40, 10, 66), autofilter=False, links=links
    )


def _setting(value: date | float | int | str) -> Cell:
    if isinstance(value, date):
        return Cell(value, DATE)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Cell(value, DECIMAL if isinstance(value, float) else INTEGER)
    return Cell(str(value))


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
        replace(_about(indicators, language, about, listed), name=names[0]),
        replace(
            _dictionary(indicators, language, indicators.as_of >= ctx.programme_deadline),
            name=names[1],
        ),
    ]
    for name, (_, _, frame) in zip(names[2:], figures, strict=True):
        headers = [column_header(c, language) for c in frame.columns]
        sheets.append(Sheet(name, headers, frame=frame))
    return write_xlsx(sheets, language)
