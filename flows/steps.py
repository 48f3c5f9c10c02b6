"""Prefect tasks around the pipeline stages of `tasks/`: two or three lines each, typed.

Only the edges that talk to the outside world could be retried; the mailer already retries
transient SMTP failures itself, so no Prefect retries are stacked on top of it, and loading,
validation and computation are never retried (a bad cell does not get better by waiting).
Caching is off: every run reads the spreadsheets anew.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows import artifacts, messages
from flows.outcome import ReportOutcome
from schemas.approval import PendingApproval
from schemas.catalogue import translate
from schemas.errors import ConfigError
from schemas.findings import Finding, ValidationReport
from schemas.mail import DeliveryReceipt, Message
from schemas.periods import period_key
from schemas.report import RenderedReport, ReportContext, TrendPoint
from schemas.results import Indicators
from schemas.settings import Settings, load_settings
from schemas.similar import SimilarResult
from schemas.tables import Inputs
from tasks import history
from tasks.deliver import Dispatch, OutboxMailer, compose, ledger, mailer_for, send_once
from tasks.indicators import compute_indicators
from tasks.load import load_inputs
from tasks.report import (
    build_appendix,
    counted_findings,
    evidence_frames,
    provenance,
    render_report,
    report_pdf,
)
from tasks.state import state_target
from tasks.validate import quality, validate_cached

RECIPIENTS_VARIABLE = "d9_report_recipients"


@task(name="read settings", cache_policy=NO_CACHE, persist_result=False)
def read_settings(config: str | None) -> Settings:
    return load_settings(config)


@task(name="load spreadsheets", cache_policy=NO_CACHE, persist_result=False)
def load(settings: Settings) -> Inputs:
    return load_inputs(settings)


@task(name="validate", cache_policy=NO_CACHE, persist_result=False)
def check(
    inputs: Inputs,
    settings: Settings,
    data_docs_dir: Path | None = None,
    today: date | None = None,
) -> ValidationReport:
    state = state_target(settings)
    return validate_cached(inputs, settings, data_docs_dir=data_docs_dir, today=today, state=state)


@task(name="compute indicators", cache_policy=NO_CACHE, persist_result=False)
def indicators(inputs: Inputs, as_of: date, settings: Settings) -> Indicators:
    return compute_indicators(inputs.frames(), as_of, settings)


@task(name="count findings on the rows used", cache_policy=NO_CACHE, persist_result=False)
def counted(result: Indicators, findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    return counted_findings(result, findings)


@task(name="store history", cache_policy=NO_CACHE, persist_result=False)
def remember(
    result: Indicators,
    settings: Settings,
    kind: str,
    now: datetime | None = None,
    findings: tuple[Finding, ...] = (),
    trends: dict[str, list[TrendPoint]] | None = None,
) -> None:
    history.record(result, kind, state_target(settings), now, findings, trends)


@task(name="read stored report", cache_policy=NO_CACHE, persist_result=False)
def stored_report(settings: Settings, as_of: date) -> history.Stored:
    found = history.stored(state_target(settings), as_of, kinds=history.REPORTED)
    if found is None:
        period = period_key(as_of)
        raise ConfigError(translate(settings.report.language, "trust.no_snapshot", period=period))
    return found


@task(name="read trends", cache_policy=NO_CACHE, persist_result=False)
def trends(result: Indicators, settings: Settings) -> dict[str, list[TrendPoint]]:
    state, as_of = state_target(settings), result.as_of
    return {key: history.reported_trend(state, key, as_of) for key in result.results}


@task(name="render report", cache_policy=NO_CACHE, persist_result=False)
def render(context: ReportContext) -> RenderedReport:
    return render_report(context)


@task(name="render PDF", cache_policy=NO_CACHE, persist_result=False)
def pdf(rendered: RenderedReport, context: ReportContext) -> bytes:
    return report_pdf(rendered, context)


@task(name="build appendix", cache_policy=NO_CACHE, persist_result=False)
def appendix(
    result: Indicators, settings: Settings, context: ReportContext, inputs: Inputs | None
) -> bytes:
    about = provenance(inputs, settings, context.generated_at)
    return build_appendix(result, context.language, evidence_frames(context), about)


@task(name="resolve recipients", cache_policy=NO_CACHE, persist_result=False)
def recipients(to: list[str] | None, settings: Settings) -> list[str]:
    from prefect.variables import Variable  # the API is asked only when no --to was given

    variable = None if to else Variable.get(RECIPIENTS_VARIABLE, default=None)
    return compose.choose_recipients(to or (), variable, settings.report.to)


@task(name="compose message", cache_policy=NO_CACHE, persist_result=False)
def compose_report(
    rendered: RenderedReport,
    files: tuple[bytes, bytes],
    to: list[str],
    settings: Settings,
    period: str,
) -> Message:
    return compose.report_message(rendered, files[0], to, settings, period, pdf=files[1])


@task(name="publish indicators", cache_policy=NO_CACHE, persist_result=False)
def publish_summary(result: Indicators, language: str) -> None:
    artifacts.publish_summary(result, language)


@task(name="publish outcome", cache_policy=NO_CACHE, persist_result=False)
def publish_outcome(outcome: ReportOutcome) -> None:
    artifacts.publish_outcome(outcome)


@task(name="tell the team lead: blocked", cache_policy=NO_CACHE, persist_result=False)
def tell_blocked(
    blocking: tuple[Finding, ...], settings: Settings, period: str, language: str
) -> DeliveryReceipt:
    message = messages.blocked_message(blocking, settings, period, language)
    return mailer_for(settings, settings.smtp_password()).send(message)


@task(name="write preview", cache_policy=NO_CACHE, persist_result=False)
def preview(message: Message, settings: Settings) -> DeliveryReceipt:
    return OutboxMailer(settings.state_dir / "preview").send(message)


@task(name="send preview", cache_policy=NO_CACHE, persist_result=False)
def send_preview(
    message: Message, settings: Settings, language: str, intro: str = ""
) -> DeliveryReceipt:
    preview_message = messages.preview_message(message, settings, language, intro)
    return mailer_for(settings, settings.smtp_password()).send(preview_message)


@task(name="tell the team lead: approval default", cache_policy=NO_CACHE, persist_result=False)
def tell_default(pending: PendingApproval, settings: Settings, sent: bool) -> DeliveryReceipt:
    message = messages.default_message(pending, settings, sent)
    return mailer_for(settings, settings.smtp_password()).send(message)


@task(name="check mail settings", cache_policy=NO_CACHE, persist_result=False)
def warn_without_smtp(settings: Settings) -> bool:
    """Warn in a deployment's run log when mail would only land in the worker's outbox folder."""
    from prefect.runtime import deployment

    if settings.smtp.host or deployment.id is None:
        return False
    get_run_logger().warning(
        "no SMTP host in %s: mail goes to the outbox folder %s on this worker, not to people "
        "(set D9_CONFIG in the worker's environment to the real configuration)",
        settings.config_path,
        settings.state_dir / "outbox",
    )
    return True


@task(name="check delivery ledger", cache_policy=NO_CACHE, persist_result=False)
def anyone_left(message: Message, settings: Settings, period: str, force: bool) -> bool:
    kind, state = compose.REPORT_KIND, state_target(settings)
    return bool(ledger.recipients_to_send(state, kind, period, message.to, force=force))


@task(name="deliver report", cache_policy=NO_CACHE, persist_result=False)
def deliver(message: Message, settings: Settings, period: str, force: bool) -> Dispatch:
    mailer, now = mailer_for(settings, settings.smtp_password()), datetime.now().astimezone()
    kind, state = compose.REPORT_KIND, state_target(settings)
    return send_once(message, mailer, state, kind=kind, period=period, force=force, now=now)


@task(name="write findings", cache_policy=NO_CACHE, persist_result=False)
def write_findings(
    findings: tuple[Finding, ...], settings: Settings
) -> tuple[bool, tuple[str, ...]]:
    """Store tonight's findings; return whether they changed, and whose own findings changed."""
    state, lead = state_target(settings), settings.report.team_lead
    before = quality.previous_findings(state)
    owners = quality.changed_owners(findings, before, lead)
    return quality.remember_findings(findings, state), owners


@task(name="publish findings", cache_policy=NO_CACHE, persist_result=False)
def publish_findings(validation: ValidationReport, data_docs: str = "") -> None:
    artifacts.publish_findings(validation.findings, data_docs)


@task(name="nudge owners", cache_policy=NO_CACHE, persist_result=False)
def nudge(
    findings: tuple[Finding, ...],
    settings: Settings,
    newcomers: tuple[SimilarResult, ...] = (),
    owners: tuple[str, ...] = (),
) -> tuple[str, ...]:
    """Mail `owners` their own findings and the team lead a summary; return who was nudged."""
    mailer = mailer_for(settings, settings.smtp_password())
    for message in messages.nudge_messages(findings, settings, newcomers, owners=owners):
        mailer.send(message)
    get_run_logger().info("nudged: %s", ", ".join(owners) or "nobody")
    return owners
