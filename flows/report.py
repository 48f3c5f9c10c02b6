"""The half-yearly situation report, as a Prefect flow: read it as the pipeline's table of contents.

load → validate (blocked? tell the team lead) → indicators → findings on the rows used → trend
→ history → render + appendix → PDF → compose → (dry run? preview only) → (approval? preview to the
team lead, wait for the answer) → send once. With `from_history`, the values, context figures,
findings and trend stored when the period was reported replace the steps up to history (no
spreadsheet is read). Every run ends in a named Completed state (Sent, AlreadySent, Held,
Blocked, Preview) whose message is the outcome's one-line summary, logged too.

A run waiting for approval is suspended and starts again from the top when answered; it then
finds what it previewed in its approval record and sends exactly that (nothing is recomputed,
no second preview).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, cast

from prefect import flow, get_run_logger

from flows import approval, steps
from flows.hooks import mail_failure
from flows.logs import project_logs_to_run_log
from flows.outcome import ReportOutcome
from schemas.approval import PendingApproval
from schemas.findings import Finding
from schemas.mail import Message
from schemas.periods import HELSINKI, default_period_notice, period_key, resolve_as_of
from schemas.report import ReportContext, TrendPoint
from schemas.results import Indicators
from schemas.settings import Settings
from schemas.tables import Inputs


@dataclass(frozen=True)
class _Ready:
    """A report rendered and addressed, not yet sent."""

    message: Message
    indicators: Indicators
    period: str
    language: str


@dataclass(frozen=True)
class _Figures:
    """What a report shows: the indicators, the findings counted on them, when, the trend."""

    result: Indicators
    counted: tuple[Finding, ...]
    generated: datetime
    trends: dict[str, list[TrendPoint]]
    inputs: Inputs | None  # None for a report from history (no spreadsheet read)


@flow(name="d9-report", log_prints=True, persist_result=False, on_failure=[mail_failure])
def report_flow(
    period: str | None = None,
    as_of: date | None = None,
    language: Literal["fi", "en"] | None = None,
    to: list[str] | None = None,
    dry_run: bool = False,
    force: bool = False,
    require_approval: bool = False,
    config: str | None = None,
    from_history: bool = False,
) -> ReportOutcome:
    """Render the situation report for a half-year (default: the last one ended) and send it once.

    Args:
        period: half-year such as 2018H1 (the report is as of its last day).
        as_of: any as-of date instead of a period (not both).
        language: fi or en (default from the configuration).
        to: recipients (default: Prefect Variable d9_report_recipients, else the configuration).
        dry_run: render everything into the preview folder and send nothing.
        force: send even to recipients who already had this period's report.
        require_approval: send the preview to the team lead and wait for approval in the UI.
        config: path of the TOML configuration (default: $D9_CONFIG or the bundled file).
        from_history: render what was reported for the period from the stored values.
    """
    project_logs_to_run_log()
    settings = steps.read_settings(config)
    steps.warn_without_smtp(settings)
    if require_approval:
        pending = approval.resumed(settings)
        if pending is not None:  # answered after a suspension: send what was previewed
            return _finish(_approved(pending, settings, force, None))
    ready = _prepare(settings, period, as_of, language, to, dry_run, from_history)
    if isinstance(ready, ReportOutcome):
        return _finish(ready)
    message, result, key = ready.message, ready.indicators, ready.period
    if dry_run:
        receipt = steps.preview(message, settings)
        return _finish(ReportOutcome.preview(key, receipt, result, message.to))
    if require_approval and steps.anyone_left(message, settings, key, force):
        pending = approval.start(message, settings, key, ready.language)
        return _finish(_approved(pending, settings, force, result))
    done = steps.deliver(message, settings, key, force)
    return _finish(ReportOutcome.delivered(key, done, result))


def _prepare(
    settings: Settings,
    period: str | None,
    as_of: date | None,
    language: str | None,
    to: list[str] | None,
    dry_run: bool,
    from_history: bool,
) -> _Ready | ReportOutcome:
    """Compute (or read back) the figures, render and address the report, or say why not."""
    now, deadline = datetime.now(HELSINKI), settings.programme.deadline
    when = resolve_as_of(period, as_of, now.date(), deadline)
    key, lang = period_key(when), language or settings.report.language
    if notice := default_period_notice(period, as_of, now.date(), deadline, lang):
        print(notice)
    recipients = steps.recipients(to, settings)
    if from_history:
        past = steps.stored_report(settings, when)
        figures = _Figures(past.indicators, past.findings, past.recorded_at, past.trends, None)
    else:
        found = _from_spreadsheets(settings, when, now, key, lang, dry_run, recipients)
        if isinstance(found, ReportOutcome):
            return found
        figures = found
    context = _context(figures, lang, settings)
    rendered = steps.render(context)
    xlsx = steps.appendix(figures.result, settings, context, figures.inputs)
    files = (xlsx, steps.pdf(rendered, context))
    message = steps.compose_report(rendered, files, recipients, settings, key)
    steps.publish_summary(figures.result, lang)
    return _Ready(message, figures.result, key, lang)


def _from_spreadsheets(
    settings: Settings,
    when: date,
    now: datetime,
    key: str,
    lang: str,
    dry_run: bool,
    recipients: list[str],
) -> _Figures | ReportOutcome:
    """Load, validate, compute and store the figures (or tell the team lead why not)."""
    inputs = steps.load(settings)
    validation = steps.check(inputs, settings, today=now.date())
    steps.publish_findings(validation)
    if validation.blocking:
        told = None if dry_run else steps.tell_blocked(validation.blocking, settings, key, lang)
        lead = settings.report.team_lead
        return ReportOutcome.blocked(key, validation.blocking, told, lead, recipients)
    result = steps.indicators(inputs, when, settings)
    counted = steps.counted(result, validation.warnings)
    trends = steps.trends(result, settings)
    steps.remember(result, settings, "report", now, counted, trends)
    return _Figures(result, counted, now, trends, inputs)


def _context(figures: _Figures, language: str, settings: Settings) -> ReportContext:
    return ReportContext(
        indicators=figures.result,
        generated_at=figures.generated,
        trends=figures.trends,
        warnings=figures.counted,
        language=language,
        programme_start=settings.programme.start,
        programme_deadline=settings.programme.deadline,
        contact=settings.report.team_lead,
    )


def _approved(
    pending: PendingApproval, settings: Settings, force: bool, result: Indicators | None
) -> ReportOutcome:
    """Ask (or read) the lead's decision; send the previewed message when approved."""
    if pending.decision is None:
        pending = approval.decide(pending, settings)
    assert pending.decision is not None
    by_default = pending.decision.by_default
    if not pending.decision.send:
        approval.record_delivery(pending, settings, ())
        return ReportOutcome.held(pending.period, pending.message.to, result, by_default)
    done = steps.deliver(pending.message, settings, pending.period, force)
    approval.record_delivery(pending, settings, done.sent_to)
    return ReportOutcome.delivered(pending.period, done, result, by_default)


def _finish(outcome: ReportOutcome) -> ReportOutcome:
    """Log the outcome, publish it, and end the run in its named state."""
    get_run_logger().info(outcome.summary)
    steps.publish_outcome(outcome)
    # Prefect takes a returned State as the run's final state and gives its data to the caller,
    # so `report_flow(...)` still returns the ReportOutcome.
    return cast(ReportOutcome, outcome.final_state())
