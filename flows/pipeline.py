"""The report pipeline, read as its table of contents.

load → validate → (blocked? tell the team lead) → indicators → history → (the last report, the
lead's review) → render + appendix + PDF
→ compose → (dry run? preview only) → (approval asked? preview to the team lead, wait) → send once.

With `from_history`, the values, context figures, findings and trend stored when the period was
reported replace the steps up to history (no spreadsheet is read). Each stage is called through
`step`: a Prefect task inside a flow run (`flows.report`), a plain call on the command line
without a Prefect API — the same functions in the same order, so outputs, messages and exit
codes cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from flows import artifacts, doubt, messages
from flows.outcome import ReportOutcome
from flows.run import in_flow_run, step, step_retried
from schemas.catalogue import translate
from schemas.errors import ConfigError
from schemas.findings import Finding
from schemas.mail import DeliveryReceipt, MailKey, Message
from schemas.report import ReportContext, TrendPoint
from schemas.request import ReportKind, ReportRequest
from schemas.results import Indicators
from schemas.tables import Inputs
from tasks import history
from tasks.deliver import Dispatch, OutboxMailer, mailer_for, recipients_to_send, send_once
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
from tasks.report.commentary import read_commentary
from tasks.statedb import Store
from tasks.validate import validate_cached

FLOW_NAME = "d9-report"  # the flow's name in Prefect, and in failure notices
LOCAL_RUN = "command line"  # the run's name in a failure notice when Prefect is not used
# Asked before sending to anyone who has not had the period yet -> the run's outcome.
Approve = Callable[[Message, Indicators, ReportRequest, Store], ReportOutcome]


@dataclass(frozen=True)
class Figures:
    """What a report shows: values, the findings on the rows used, when, the trend, and the
    inputs they came from (None when read from history)."""

    indicators: Indicators
    counted: tuple[Finding, ...]
    generated: datetime
    trends: dict[str, list[TrendPoint]]
    inputs: Inputs | None


def report(request: ReportRequest, store: Store, approve: Approve | None = None) -> ReportOutcome:
    """Render the situation report the request asks for and send it once (or preview it).

    `approve`, when given, is asked before sending to anyone who has not had this period yet.
    """
    if request.from_history:
        figures = step("read stored report", _stored_figures, store, request)
    else:
        found = _figures(request, store)
        if isinstance(found, ReportOutcome):
            return found
        figures = found
    result = figures.indicators
    message = _message(figures, request, store)
    if in_flow_run():
        final = result.as_of >= request.settings.programme.deadline
        step("publish summary", artifacts.publish_summary, result, request.language, final)
    if request.dry_run:
        receipt = step("write preview", _preview, message, store)
        return ReportOutcome.preview(request.period, receipt, result, message.to)
    if approve is not None and step("check delivery ledger", _anyone_left, message, request, store):
        return approve(message, result, request, store)
    done = step("deliver report", deliver, message, request, store)
    return settle(done, message, request, store, result)


def _message(figures: Figures, request: ReportRequest, store: Store) -> Message:
    """Render the figures as the steering group's message: mail, PDF and appendix."""
    as_of = figures.indicators.as_of
    previous = step(
        "read the last report", history.previous_report, store, as_of, figures.generated
    )
    commentary = request.commentary or step(
        "read the lead's review", read_commentary, _commentary_path(request)
    )
    context = _context(figures, request, previous, commentary)
    view = step("build report view", build_view, context)
    rendered = step("render mail", render_mail, view)
    pdf = step("render PDF", render_pdf, view)
    xlsx = step("build appendix", _appendix, figures, context, request)
    return messages.report_message(rendered, messages.Files(pdf, xlsx), request)


def _commentary_path(request: ReportRequest) -> str:
    path = request.settings.report.commentary
    return request.settings.resolve(path) if path else ""


def with_commentary(
    message: Message, request: ReportRequest, store: Store, commentary: str
) -> Message:
    """The approved message rendered again with the lead's review given at approval.

    The figures are the ones stored when the preview was made (nothing is recomputed); the
    recipients stay those of the previewed message.
    """
    figures = _stored_figures(store, request)
    again = _message(figures, replace(request, commentary=commentary), store)
    return replace(again, to=message.to)


def _figures(request: ReportRequest, store: Store) -> Figures | ReportOutcome:
    """Load, validate, compute and store the figures; a blocked outcome if data blocks."""
    settings, run = request.settings, request.run
    inputs = step_retried("load spreadsheets", load_inputs, settings)
    validation = step("validate", validate_cached, inputs, run, store)
    if in_flow_run():
        key = artifacts.REPORT_FINDINGS
        step("publish findings", artifacts.publish_findings, validation.findings, key)
    if validation.blocking:
        told = None
        if not request.dry_run:
            notice = messages.blocked_message(validation.blocking, request)
            told = step("tell the team lead: blocked", _send, notice, request)
        lead = settings.report.team_lead
        return ReportOutcome.blocked(
            request.period, validation.blocking, told, lead, request.recipients
        )
    result = step(
        "compute indicators", compute_indicators, inputs.frames(), request.as_of, settings
    )
    counted = step("count findings on the rows used", counted_findings, result, validation.warnings)
    trends = step("read trends", history.reported_trends, store, result)
    kind, shown = ReportKind.REPORT, (counted, trends)
    step("store history", history.record, store, result, kind, run.now, shown)
    return Figures(result, counted, run.now, trends, inputs)


def _stored_figures(store: Store, request: ReportRequest) -> Figures:
    """What was reported for the request's period, from history (no spreadsheet is read)."""
    past = history.stored(store, request.as_of, (ReportKind.REPORT,))
    if past is None:
        text = translate(request.language, "trust.no_snapshot", period=request.period)
        raise ConfigError(text)
    return Figures(past.indicators, past.findings, past.recorded_at, past.trends, None)


def _context(
    figures: Figures, request: ReportRequest, previous: Indicators | None, commentary: str
) -> ReportContext:
    programme = request.settings.programme
    return ReportContext(
        indicators=figures.indicators,
        generated_at=figures.generated,
        trends=figures.trends,
        warnings=figures.counted,
        language=request.language,
        programme_start=programme.start,
        programme_deadline=programme.deadline,
        contact=request.settings.report.team_lead,
        deregulation_receiver=request.settings.assumptions.deregulation_receiver,
        previous=previous,
        commentary=commentary,
    )


def _appendix(figures: Figures, context: ReportContext, request: ReportRequest) -> bytes:
    about = provenance(figures.inputs, request.settings, context.generated_at)
    return build_appendix(context, about)


def _preview(message: Message, store: Store) -> DeliveryReceipt:
    return OutboxMailer(store.folder / "preview").send(message)


def _send(message: Message, request: ReportRequest) -> DeliveryReceipt:
    settings = request.settings
    return mailer_for(settings).send(message)


def _anyone_left(message: Message, request: ReportRequest, store: Store) -> bool:
    key = MailKey(ReportKind.REPORT, request.period)
    return bool(recipients_to_send(store, key, message.to, force=request.force))


def settle(
    done: Dispatch,
    message: Message,
    request: ReportRequest,
    store: Store,
    result: Indicators | None,
    by_default: bool = False,
    note: str = "",
) -> ReportOutcome:
    """The outcome of a delivery; deliveries in doubt with nobody at work on them go to the
    team lead to decide (once per claim), and the run ends in doubt (exit 4, not green)."""
    orphans = done.orphaned(request.run.now)
    if not orphans:
        return ReportOutcome.delivered(request.period, done, result, by_default, note)
    told = step(
        "tell the team lead: in doubt",
        doubt.tell,
        orphans,
        store,
        request.settings,
        request.run.now,
        message.subject,
    )
    return ReportOutcome.in_doubt(request.period, done, result, orphans, told)


def deliver(message: Message, request: ReportRequest, store: Store) -> Dispatch:
    """Send the report once per recipient and period, through the delivery ledger."""
    settings = request.settings
    mailer = mailer_for(settings)
    key = MailKey(ReportKind.REPORT, request.period)
    return send_once(message, mailer, store, key, force=request.force, now=request.run.now)
