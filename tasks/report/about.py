"""The appendix's first sheet: what the figures are as of, where they come from (source files
and fingerprints, targets in force, the assumptions the action plan does not state, the
version), and an index linking to every sheet."""

from __future__ import annotations

from datetime import date, datetime
from importlib import metadata

from schemas.assumptions import ASSUMPTION_KEYS, dotted
from schemas.catalogue import translate
from schemas.report import Provenance, Setting, SourceFile
from schemas.results import Indicators
from schemas.settings import Settings
from schemas.tables import Inputs
from tasks._xlsx import DATE, DATETIME, DECIMAL, HEADER, INTEGER, LINK, WRAP, Cell, Sheet
from tasks.report.view import period_label


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


def about_sheet(
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
