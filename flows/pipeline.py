"""The report pipeline, read as its table of contents, with the steps passed in.

load → validate → (blocked? tell the team lead) → indicators → history → render + appendix
→ compose → (dry run? preview only) → (approval asked? preview to the team lead, wait)
→ send once.

`flows.report.report_flow` runs it with the Prefect tasks of `flows.steps`; the command line
runs it with the plain functions of `flows.plain` when no Prefect API is configured (no
temporary API server to start, nothing of Prefect imported). Both run the same stage functions
in the same order, so outputs, messages and exit codes cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, Protocol

from flows.outcome import ReportOutcome
from schemas.findings import Finding, ValidationReport
from schemas.mail import DeliveryReceipt, Message
from schemas.periods import HELSINKI, default_period_notice, period_key, resolve_as_of
from schemas.report import RenderedReport, ReportContext, TrendPoint
from schemas.results import Indicators
from schemas.settings import Settings
from schemas.tables import Inputs
from tasks.deliver import Dispatch
from tasks.history import Stored

FLOW_NAME = "d9-report"  # the flow's name in Prefect, and in failure notices
LOCAL_RUN = "command line"  # the run's name in a failure notice when Prefect is not used
# Asked before sending to anyone who has not had the period yet: (message, indicators, period,
# language, settings, force) -> the run's outcome (sent, held, possibly by default).
Approve = Callable[[Message, Indicators, str, str, Settings, bool], ReportOutcome]


class ReportSteps(Protocol):
    """The steps the report pipeline calls: `flows.plain` (functions) or `flows.steps` (tasks)."""

    def read_settings(self, config: str | None, /) -> Settings: ...
    def load(self, settings: Settings, /) -> Inputs: ...
    def check(
        self, inputs: Inputs, settings: Settings, /, *, today: date | None = None
    ) -> ValidationReport: ...
    def indicators(self, inputs: Inputs, as_of: date, settings: Settings, /) -> Indicators: ...
    def counted(
        self, result: Indicators, findings: tuple[Finding, ...], /
    ) -> tuple[Finding, ...]: ...
    def remember(
        self,
        result: Indicators,
        settings: Settings,
        kind: str,
        now: datetime,
        findings: tuple[Finding, ...],
        trends: dict[str, list[TrendPoint]],
        /,
    ) -> None: ...
    def stored_report(self, settings: Settings, as_of: date, /) -> Stored: ...
    def trends(self, result: Indicators, settings: Settings, /) -> dict[str, list[TrendPoint]]: ...
    def render(self, context: ReportContext, /) -> RenderedReport: ...
    def appendix(
        self,
        result: Indicators,
        settings: Settings,
        context: ReportContext,
        inputs: Inputs | None,
        /,
    ) -> bytes: ...
    def pdf(self, rendered: RenderedReport, context: ReportContext, /) -> bytes: ...
    def recipients(self, to: list[str] | None, settings: Settings, /) -> list[str]: ...
    def compose_report(
        self,
        rendered: RenderedReport,
        files: tuple[bytes, bytes],
        to: list[str],
        settings: Settings,
        p: str,
        /,
    ) -> Message: ...
    def publish_summary(self, result: Indicators, language: str, /) -> None: ...
    def publish_findings(self, validation: ValidationReport, /) -> None: ...
    def tell_blocked(
        self, blocking: tuple[Finding, ...], settings: Settings, period: str, language: str, /
    ) -> DeliveryReceipt: ...
    def preview(self, message: Message, settings: Settings, /) -> DeliveryReceipt: ...
    def anyone_left(self, message: Message, settings: Settings, p: str, force: bool, /) -> bool: ...
    def deliver(self, message: Message, settings: Settings, p: str, force: bool, /) -> Dispatch: ...


def report(
    steps: ReportSteps,
    *,
    period: str | None = None,
    as_of: date | None = None,
    language: Literal["fi", "en"] | None = None,
    to: list[str] | None = None,
    dry_run: bool = False,
    force: bool = False,
    approve: Approve | None = None,
    config: str | None = None,
    from_history: bool = False,
) -> ReportOutcome:
    """Render the situation report for a half-year and send it once (see report_flow's Args).

    `approve`, when given, is asked before sending to anyone who has not had this period yet.
    """
    now = datetime.now(HELSINKI)
    settings = steps.read_settings(config)
    deadline = settings.programme.deadline
    when = resolve_as_of(period, as_of, now.date(), deadline)
    key, lang = period_key(when), language or settings.report.language
    if notice := default_period_notice(period, as_of, now.date(), deadline, lang):
        print(notice)
    recipients = steps.recipients(to, settings)
    if from_history:
        past = steps.stored_report(settings, when)
        figures = Figures(past.indicators, past.findings, past.recorded_at, past.trends, None)
    else:
        found = _figures(steps, settings, when, now, lang, dry_run, recipients)
        if isinstance(found, ReportOutcome):
            return found
        figures = found
    result, context = figures.indicators, _context(figures, lang, settings)
    rendered = steps.render(context)
    xlsx = steps.appendix(result, settings, context, figures.inputs)
    files = (xlsx, steps.pdf(rendered, context))
    message = steps.compose_report(rendered, files, recipients, settings, key)
    steps.publish_summary(result, lang)
    if dry_run:
        return ReportOutcome.preview(key, steps.preview(message, settings), result, message.to)
    if approve is not None and steps.anyone_left(message, settings, key, force):
        return approve(message, result, key, lang, settings, force)
    return ReportOutcome.delivered(key, steps.deliver(message, settings, key, force), result)


@dataclass(frozen=True)
class Figures:
    """What a report shows: values, the findings on the rows used, when, the trend, and the
    inputs they came from (None when read from history)."""

    indicators: Indicators
    counted: tuple[Finding, ...]
    generated: datetime
    trends: dict[str, list[TrendPoint]]
    inputs: Inputs | None


def _figures(
    steps: ReportSteps,
    settings: Settings,
    when: date,
    now: datetime,
    lang: str,
    dry_run: bool,
    recipients: list[str],
) -> Figures | ReportOutcome:
    """Load, validate, compute and store the figures; a blocked outcome if data blocks."""
    key, lead = period_key(when), settings.report.team_lead
    inputs = steps.load(settings)
    validation = steps.check(inputs, settings, today=now.date())
    steps.publish_findings(validation)
    if validation.blocking:
        told = None if dry_run else steps.tell_blocked(validation.blocking, settings, key, lang)
        return ReportOutcome.blocked(key, validation.blocking, told, lead, recipients)
    result = steps.indicators(inputs, when, settings)
    counted, trends = steps.counted(result, validation.warnings), steps.trends(result, settings)
    steps.remember(result, settings, "report", now, counted, trends)
    return Figures(result, counted, now, trends, inputs)


def _context(figures: Figures, language: str, settings: Settings) -> ReportContext:
    return ReportContext(
        indicators=figures.indicators,
        generated_at=figures.generated,
        trends=figures.trends,
        warnings=figures.counted,
        language=language,
        programme_start=settings.programme.start,
        programme_deadline=settings.programme.deadline,
        contact=settings.report.team_lead,
    )


def report_without_prefect(
    *,
    period: str | None,
    as_of: date | None,
    language: Literal["fi", "en"] | None,
    to: list[str] | None,
    dry_run: bool,
    force: bool,
    config: str | None,
    from_history: bool = False,
) -> ReportOutcome:
    """The report pipeline with plain steps; a failure mails the team lead, as the flow's hook."""
    from flows import plain
    from flows.hooks import notify_failure

    try:
        return report(
            plain,
            period=period,
            as_of=as_of,
            language=language,
            to=to,
            dry_run=dry_run,
            force=force,
            config=config,
            from_history=from_history,
        )
    except Exception as exc:  # told, then raised again: the command line prints its one line
        notify_failure(FLOW_NAME, LOCAL_RUN, {"config": config, "dry_run": dry_run}, exc)
        raise
