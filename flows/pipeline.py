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
from datetime import date, datetime
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

from flows.outcome import ReportOutcome, html_path
from schemas.findings import Finding, ValidationReport
from schemas.mail import DeliveryReceipt, Message
from schemas.periods import period_key, resolve_as_of
from schemas.report import RenderedReport, ReportContext, TrendPoint
from schemas.results import Indicators
from schemas.settings import Settings
from schemas.tables import Inputs
from tasks.deliver import Dispatch

HELSINKI = ZoneInfo("Europe/Helsinki")
FLOW_NAME = "d9-report"  # the flow's name in Prefect, and in failure notices
LOCAL_RUN = "command line"  # the run's name in a failure notice when Prefect is not used
Approve = Callable[[Message, Settings, str], bool]


class ReportSteps(Protocol):
    """The steps the report pipeline calls: `flows.plain` (functions) or `flows.steps` (tasks)."""

    def read_settings(self, config: str | None, /) -> Settings: ...
    def load(self, settings: Settings, /) -> Inputs: ...
    def check(self, inputs: Inputs, settings: Settings, /) -> ValidationReport: ...
    def indicators(self, inputs: Inputs, as_of: date, settings: Settings, /) -> Indicators: ...
    def remember(self, result: Indicators, settings: Settings, kind: str, /) -> None: ...
    def trends(self, result: Indicators, settings: Settings, /) -> dict[str, list[TrendPoint]]: ...
    def render(self, context: ReportContext, /) -> RenderedReport: ...
    def appendix(self, result: Indicators, language: str, /) -> bytes: ...
    def recipients(self, to: list[str] | None, settings: Settings, /) -> list[str]: ...
    def compose_report(
        self, rendered: RenderedReport, xlsx: bytes, to: list[str], settings: Settings, p: str, /
    ) -> Message: ...
    def publish_indicators(self, result: Indicators, /) -> None: ...
    def link(self, key: str, path: str, description: str, /) -> None: ...
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
) -> ReportOutcome:
    """Render the situation report for a half-year and send it once (see report_flow's Args).

    `approve`, when given, is asked before sending to anyone who has not had this period yet.
    """
    now = datetime.now(HELSINKI)
    settings = steps.read_settings(config)
    when = resolve_as_of(period, as_of, now.date())
    key, lang = period_key(when), language or settings.report.language
    inputs = steps.load(settings)
    validation = steps.check(inputs, settings)
    if validation.blocking:
        told = None if dry_run else steps.tell_blocked(validation.blocking, settings, key, lang)
        return ReportOutcome.blocked(key, validation.blocking, told, settings.report.team_lead)
    result = steps.indicators(inputs, when, settings)
    steps.remember(result, settings, "report")
    context = ReportContext(
        indicators=result,
        generated_at=now,
        trends=steps.trends(result, settings),
        warnings=validation.warnings,
        language=lang,
        programme_start=settings.programme.start,
        programme_deadline=settings.programme.deadline,
    )
    rendered, xlsx = steps.render(context), steps.appendix(result, lang)
    message = steps.compose_report(rendered, xlsx, steps.recipients(to, settings), settings, key)
    steps.publish_indicators(result)
    if dry_run:
        outcome = ReportOutcome.preview(key, steps.preview(message, settings), result)
        steps.link("d9-report-preview", html_path(outcome.paths), f"Preview of report {key}")
        return outcome
    if (
        approve is not None
        and steps.anyone_left(message, settings, key, force)
        and not approve(message, settings, lang)
    ):
        return ReportOutcome.held(key, result)
    outcome = ReportOutcome.delivered(key, steps.deliver(message, settings, key, force), result)
    steps.link("d9-report-sent", html_path(outcome.paths), f"Report {key}")
    return outcome


def report_without_prefect(
    *,
    period: str | None,
    as_of: date | None,
    language: Literal["fi", "en"] | None,
    to: list[str] | None,
    dry_run: bool,
    force: bool,
    config: str | None,
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
        )
    except Exception as exc:  # told, then raised again: the command line prints its one line
        notify_failure(FLOW_NAME, LOCAL_RUN, config, exc)
        raise
