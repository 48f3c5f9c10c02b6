"""What rendering takes (`ReportContext`) and gives (`RenderedReport`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from schemas.findings import Finding
from schemas.results import Indicators, Status


class TrendPoint(NamedTuple):
    """One indicator's value and status as a report (or a query) recorded it."""

    as_of: date
    value: float | int | None
    status: Status


Trends = Mapping[str, Sequence[TrendPoint]]  # indicator id -> its points, oldest first
Setting = tuple[str, date | float | int | str]  # dotted key, value in force


@dataclass(frozen=True)
class SourceFile:
    """One spreadsheet read for the report: where, which sheet, how many rows, its fingerprint."""

    dataset: str
    source: str  # file name or URL as the user knows it (never with credentials)
    sheet: str
    rows: int
    fingerprint: str  # SHA-256 of the rows as loaded


@dataclass(frozen=True)
class Provenance:
    """Where an appendix's figures come from: the first sheet of the XLSX appendix."""

    generated_at: datetime
    sources: tuple[SourceFile, ...] = ()
    settings: tuple[Setting, ...] = ()
    version: str = ""
    assumptions: tuple[Setting, ...] = ()  # rules the plan does not state, with their values


@dataclass(frozen=True)
class ReportContext:
    """Everything one report shows; `generated_at` is a parameter so output is reproducible."""

    indicators: Indicators
    generated_at: datetime
    trends: Trends = field(default_factory=dict)
    warnings: Sequence[Finding] = ()
    language: str = "fi"
    programme_start: date = date(2016, 9, 8)
    programme_deadline: date = date(2018, 12, 31)
    team: str = ""  # "" = the catalogue's default team name
    contact: str = ""  # address for questions (the team lead), shown at the end; "" = none
    deregulation_receiver: str = "VM"  # branch code: who receives the deregulation list
    previous: Indicators | None = None  # the last report before this one (None: none)
    commentary: str = ""  # the team lead's review, Markdown ("" = no block)


@dataclass(frozen=True)
class RenderedReport:
    """An email's rendered parts: subject, HTML and text bodies, inline images by content id."""

    subject: str
    html: str
    text: str
    images: dict[str, bytes] = field(default_factory=dict)
