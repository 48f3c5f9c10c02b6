"""What each step of the pipeline does, as plain functions: no Prefect.

`flows.steps` wraps each of them in a Prefect task for the flows; the command line calls them
directly when no Prefect API is configured (`flows.pipeline`), so both run the same code.
Prefect-only steps (artifacts, recipients from a Prefect Variable, approval) have plain
counterparts here that do what is possible without a Prefect API.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path

from flows import messages
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
    build_view,
    counted_findings,
    provenance,
    render_mail,
    render_pdf,
)
from tasks.statedb import state_target
from tasks.validate import quality, validate_cached
from tasks.validate.check import Engine

log = logging.getLogger(__name__)


def read_settings(config: str | None) -> Settings:
    return load_settings(config)


def load(settings: Settings) -> Inputs:
    return load_inputs(settings)


def check(
    inputs: Inputs,
    settings: Settings,
    data_docs_dir: Path | None = None,
    today: date | None = None,
    engine: Engine = "polars",
) -> ValidationReport:
    """Validate (Polars by default: no seconds of Great Expectations import; same findings)."""
    state = state_target(settings)
    return validate_cached(
        inputs, settings, data_docs_dir=data_docs_dir, today=today, state=state, engine=engine
    )


def indicators(inputs: Inputs, as_of: date, settings: Settings) -> Indicators:
    return compute_indicators(inputs.frames(), as_of, settings)


def counted(result: Indicators, findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    return counted_findings(result, findings)


def remember(
    result: Indicators,
    settings: Settings,
    kind: str,
    now: datetime | None = None,
    findings: tuple[Finding, ...] = (),
    trends: dict[str, list[TrendPoint]] | None = None,
) -> None:
    history.record(result, kind, state_target(settings), now, findings, trends)


def stored_report(settings: Settings, as_of: date) -> history.Stored:
    found = history.stored(state_target(settings), as_of, kinds=history.REPORTED)
    if found is None:
        period = period_key(as_of)
        raise ConfigError(translate(settings.report.language, "trust.no_snapshot", period=period))
    return found


def trends(result: Indicators, settings: Settings) -> dict[str, list[TrendPoint]]:
    state, as_of = state_target(settings), result.as_of
    return {key: history.reported_trend(state, key, as_of) for key in result.results}


def render(context: ReportContext) -> RenderedReport:
    return render_mail(build_view(context))


def pdf(rendered: RenderedReport, context: ReportContext) -> bytes:
    return render_pdf(build_view(context))  # the view built again until the pipeline keeps one


def appendix(
    result: Indicators, settings: Settings, context: ReportContext, inputs: Inputs | None
) -> bytes:
    about = provenance(inputs, settings, context.generated_at)
    return build_appendix(context, about)


def recipients(to: list[str] | None, settings: Settings, variable: object = None) -> list[str]:
    """--to, else the Prefect Variable's value (none without Prefect), else the configuration."""
    return compose.choose_recipients(to or (), variable, settings.report.to)


def compose_report(
    rendered: RenderedReport,
    files: tuple[bytes, bytes],
    to: list[str],
    settings: Settings,
    period: str,
) -> Message:
    return compose.report_message(rendered, files[0], to, settings, period, pdf=files[1])


def publish_summary(result: Indicators, language: str) -> None:
    """Without a Prefect API there is no UI to publish to: the command line prints instead."""


def publish_findings(validation: ValidationReport, data_docs: str = "") -> None:
    """Without a Prefect API there is no UI to publish to: `d9 check` prints the findings."""


def tell_blocked(
    blocking: tuple[Finding, ...], settings: Settings, period: str, language: str
) -> DeliveryReceipt:
    message = messages.blocked_message(blocking, settings, period, language)
    return mailer_for(settings, settings.smtp_password()).send(message)


def preview(message: Message, settings: Settings) -> DeliveryReceipt:
    return OutboxMailer(settings.state_dir / "preview").send(message)


def send_preview(
    message: Message, settings: Settings, language: str, intro: str = ""
) -> DeliveryReceipt:
    preview_message = messages.preview_message(message, settings, language, intro)
    return mailer_for(settings, settings.smtp_password()).send(preview_message)


def anyone_left(message: Message, settings: Settings, period: str, force: bool) -> bool:
    kind, state = compose.REPORT_KIND, state_target(settings)
    return bool(ledger.recipients_to_send(state, kind, period, message.to, force=force))


def deliver(message: Message, settings: Settings, period: str, force: bool) -> Dispatch:
    mailer, now = mailer_for(settings, settings.smtp_password()), datetime.now().astimezone()
    kind, state = compose.REPORT_KIND, state_target(settings)
    return send_once(message, mailer, state, kind=kind, period=period, force=force, now=now)


def write_findings(
    findings: tuple[Finding, ...], settings: Settings
) -> tuple[bool, tuple[str, ...]]:
    """Store tonight's findings; return whether they changed, and whose own findings changed."""
    state, lead = state_target(settings), settings.report.team_lead
    before = quality.previous_findings(state)
    owners = quality.changed_owners(findings, before, lead)
    return quality.remember_findings(findings, state), owners


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
    log.info("nudged: %s", ", ".join(owners) or "nobody")
    return owners
