"""What a run is asked to do, resolved once at its entry point (a `d9` command or a flow).

Below the entry point nothing reads the settings file, the environment or the clock again:
the stages get what they need from the request (`now` is one aware time in Europe/Helsinki).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from schemas.periods import default_period_notice, period_key, resolve_as_of

if TYPE_CHECKING:  # for import cost: `d9 --help` loads no pydantic
    from schemas.settings import Settings

Language = Literal["fi", "en"]


class Validator(StrEnum):
    """Which executor runs the validation rules: both give the same findings."""

    GX = "gx"  # Great Expectations: the validator of record, writes Data Docs (flows)
    POLARS = "polars"  # the same rules in plain Polars: no seconds of import (command line)


class ReportKind(StrEnum):
    """What wrote a history snapshot, and what a delivery in the ledger is."""

    REPORT = "report"  # a report for the steering group, sent or previewed
    INDICATORS = "indicators"  # an ad-hoc `d9 indicators` query: never in a report's trend


@dataclass(frozen=True)
class Run:
    """What every run knows: the settings, the time it started, which validator it uses."""

    settings: Settings
    now: datetime  # aware, Europe/Helsinki
    validator: Validator = Validator.POLARS

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("a run's time must be timezone-aware")

    @property
    def today(self) -> date:
        return self.now.date()


@dataclass(frozen=True)
class ReportAsk:
    """A report as asked for on the command line or in a flow's form, before it is resolved."""

    period: str | None = None
    as_of: date | None = None
    language: Language | None = None
    to: tuple[str, ...] = ()
    dry_run: bool = False
    force: bool = False
    from_history: bool = False


@dataclass(frozen=True)
class ReportRequest:
    """One report run: for which date, in which language, to whom, and how."""

    run: Run
    as_of: date
    language: Language
    recipients: tuple[str, ...]
    dry_run: bool = False
    force: bool = False
    from_history: bool = False
    notice: str | None = None  # a line for the user (the default period was clamped)
    commentary: str = ""  # the lead's review given at approval (Markdown); "" = the file's

    @property
    def settings(self) -> Settings:
        return self.run.settings

    @property
    def period(self) -> str:
        """The key the report is filed under: its half-year ("2018H1") or its date."""
        return period_key(self.as_of)


def report_request(ask: ReportAsk, run: Run, variable: object = None) -> ReportRequest:
    """Resolve what was asked against the settings and the clock (`variable`: the recipients
    Prefect Variable's value, when there is one)."""
    settings, today = run.settings, run.today
    deadline = settings.programme.deadline
    language = ask.language or settings.report.language
    return ReportRequest(
        run=run,
        as_of=resolve_as_of(ask.period, ask.as_of, today, deadline, settings.programme.start),
        language=language,
        recipients=choose_recipients(ask.to, variable, settings.report.to),
        dry_run=ask.dry_run,
        force=ask.force,
        from_history=ask.from_history,
        notice=default_period_notice(ask.period, ask.as_of, today, deadline, language),
    )


def choose_recipients(
    explicit: Sequence[str], variable: object, configured: Sequence[str]
) -> tuple[str, ...]:
    """Pick recipients: explicit ones, else the Prefect Variable's value, else the configuration.

    The Variable may hold a list or one text of addresses separated by commas or semicolons.
    """
    if explicit:
        return tuple(explicit)
    if isinstance(variable, str):
        variable = [a.strip() for a in variable.replace(";", ",").split(",") if a.strip()]
    if isinstance(variable, list | tuple) and variable:
        return tuple(str(a) for a in variable)
    return tuple(configured)


@dataclass(frozen=True)
class RunFailure:
    """A run that failed, as the team lead is told: which flow and run, why, what kind of error
    (the catalogue's advice key), and the run's page in the Prefect UI when known."""

    flow: str
    run: str
    reason: str
    kind: str = "other"
    run_url: str = ""


@dataclass(frozen=True)
class RunEnd:
    """A run that ended without finishing, as the team lead is told: crashed (its process
    stopped), cancelled, or stale (left Running with no sign of life, then marked crashed)."""

    flow: str
    run: str
    how: Literal["crashed", "cancelled", "stale"]
    state: str  # the state's name in the Prefect UI, e.g. "Crashed"
    was_sending: bool = False  # it held claims of the delivery ledger
    run_url: str = ""
