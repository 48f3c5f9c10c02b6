"""The report view: everything one report shows, typed and frozen.

`tasks.report.view.build_view` builds it once from a `ReportContext`; each output channel (the
mail, the PDF, a later web page) lays it out with its own templates. It holds the words and
numbers the report shows, not how they are laid out: numbers stay numbers (the templates format
them with the one environment's filters), charts are PNG bytes with their alt text and caption
(each channel decides how to reference them: `cid:` in the mail, a data URI in the PDF).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from schemas.changes import Changes
from schemas.matrix_view import Matrix as Matrix
from schemas.matrix_view import MatrixCell as MatrixCell
from schemas.matrix_view import MatrixRow as MatrixRow
from schemas.matrix_view import PrincipleCount as PrincipleCount
from schemas.matrix_view import PrincipleName as PrincipleName
from schemas.matrix_view import Realisation as Realisation
from schemas.results import ContextFigure, IndicatorId, Status, SurveyColours, Trajectory


@dataclass(frozen=True)
class Chart:
    """One chart: its id (the mail's content id), the PNG, what it shows, and its caption."""

    id: str
    png: bytes = field(repr=False)
    alt: str  # states the chart's data, for readers who cannot see it
    caption: str


@dataclass(frozen=True)
class Behind:
    """A goal behind its target: its name and the sentence saying by how much."""

    name: str
    says: str


@dataclass(frozen=True)
class Headline:
    """The first screen: how many goals, how many per status word, the goals behind."""

    total: int
    parts: tuple[str, ...]  # "aikataulussa 2", … (the non-zero counts)
    behind: tuple[Behind, ...]
    summary: str  # the counts for the subject line
    behind_title: str = ""  # "Jäljessä:"; at the deadline "Ei saavutettu:"
    none_behind: str = ""  # the sentence when no goal is behind (or missed)


@dataclass(frozen=True)
class Card:
    """One goal's card: value and status in words, what it means, which measure and goals."""

    id: IndicatorId
    value: float | int | None
    status: Status
    word: str  # the status word for this kind of goal
    symbol: str  # the shape beside the colour
    says: str  # the plain sentence ("" without a value)
    measure: str
    serves: str  # "" when the spec names no goal
    trajectory: Trajectory | None = None  # the pace of a count with a deadline
    survey: SurveyColours | None = None  # the survey metrics' means and colours
    shown: str = ""  # the value as the card shows it ("38", "96 %", "1/4 mittaria vihreällä")
    verdict: str = ""  # at the deadline, a missed goal's gap: "3,92 — tavoite 4,0"
    pace: str = ""  # a count's pace and forecast, or when it was reached (past tense)
    note: str = ""  # what the figure rests on, e.g. last year's survey round


@dataclass(frozen=True)
class Example:
    """A change in a customer's operations, from an engagement completed in the half-year."""

    engagement_id: str
    title: str
    branch: str  # its name in the report language
    change_in_operations: str


@dataclass(frozen=True)
class BranchPace:
    """How the branch goal moved in the half-year and what is left."""

    value: int
    target: int
    added: int | None  # branches first reached in the half-year (None: not known)
    new: tuple[str, ...]  # their names
    gap: int
    months: int  # to the deadline


@dataclass(frozen=True)
class SurveyRound:
    """Whether this year's agency survey round is done."""

    state: Literal["none", "done", "pending", "missed"]  # missed: the year ended without one
    year: str
    round: str


@dataclass(frozen=True)
class HalfYear:
    """What happened in the half-year containing the as-of date."""

    first: date
    started: int | None  # None: the rows carry no start dates
    completed: int
    examples: tuple[Example, ...] = ()
    branches: BranchPace | None = None
    survey: SurveyRound | None = None


@dataclass(frozen=True)
class TrendValue:
    """An indicator's value and status in one report."""

    value: float | int | None
    status: Status


@dataclass(frozen=True)
class TrendRow:
    """One indicator's values in up to three earlier reports, and now."""

    id: IndicatorId
    cells: tuple[TrendValue | None, ...]  # one per date of the table (None: not reported)
    now: TrendValue
    word: str
    symbol: str


@dataclass(frozen=True)
class TrendTable:
    """Earlier reports' values beside today's."""

    dates: tuple[date, ...] = ()
    rows: tuple[TrendRow, ...] = ()


@dataclass(frozen=True)
class RuleCount:
    """How many open findings one rule has on one sheet."""

    dataset: str
    rule: str
    n: int


@dataclass(frozen=True)
class QualityCounts:
    """Open data-quality findings counted (never their text, never who keeps the rows)."""

    total: int
    blocking: int
    by_rule: tuple[RuleCount, ...] = ()


@dataclass(frozen=True)
class Obstacle:
    """One deregulation opportunity of the log."""

    engagement_id: str
    title: str
    obstacle: str
    found_on: date | None
    assumed: bool  # found_on is the engagement's start date
    new: bool  # found in the half-year
    passed_on: str | None  # to whom / when; None: not yet


@dataclass(frozen=True)
class DeregulationLog:
    """The obstacles listed in the mail (the most pressing ones) and the log's counts."""

    items: tuple[Obstacle, ...] = ()
    hidden: int = 0  # more in the appendix
    total: int = 0
    new: int = 0
    not_passed: int = 0
    assumed: int = 0
    summary: str = ""  # how many found, new, still to pass on, in words
    receiver: str = ""  # "Sääntelyesteet välitetään eteenpäin: valtiovarainministeriö."
    recorded: bool = True  # False: the register has no Sääntelyesteet column
    passed_recorded: bool = True  # False: the register has no Välitetty column


@dataclass(frozen=True)
class CategoryLine:
    category: str
    before: int
    now: int
    kind: Literal["category"] = "category"


@dataclass(frozen=True)
class ShareLine:
    before: float | None
    now: float | None
    kind: Literal["share"] = "share"


@dataclass(frozen=True)
class TotalLine:
    before: int | None
    now: int | None
    of_before: int | None
    of_now: int | None
    kind: Literal["total"] = "total"


ContextLine = CategoryLine | ShareLine | TotalLine


@dataclass(frozen=True)
class TrendedFigure:
    id: str
    lines: tuple[ContextLine, ...]
    unrecorded: tuple[str, ...] = ()  # the register lacks these columns: "not recorded"


@dataclass(frozen=True)
class ContextTrend:
    """The context figures shown beside the previous half-year."""

    figures: tuple[TrendedFigure, ...] = ()
    before: str = ""  # the previous half-year's dates


@dataclass(frozen=True)
class ReportView:
    """Everything one report shows, in the order it shows it."""

    language: str
    period: str | None  # "2018H1" when the as-of date ends a half-year
    period_label: str  # the half-year's dates, else the as-of date
    as_of: date
    team: str
    programme_start: date
    programme_deadline: date
    generated_at: datetime
    contact: str  # "" = none
    headline: Headline
    cards: tuple[Card, ...]
    half_year: HalfYear
    trend: TrendTable
    missing_branches: tuple[str, ...] | None  # None: no branch goal
    matrix: Matrix | None  # None: no assessments
    principle_names: tuple[PrincipleName, ...]
    quality: QualityCounts
    context: tuple[ContextFigure, ...]  # the figures without a trend
    charts: tuple[Chart, ...]
    deregulation_log: DeregulationLog
    context_trend: ContextTrend
    changes: Changes = field(default_factory=Changes)
    commentary: str = ""  # the team lead's review, Markdown ("" = no block)
