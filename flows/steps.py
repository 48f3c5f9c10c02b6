"""Prefect task wrappers around the pipeline stages of `tasks/`: two or three lines each.

Only the edges that talk to the outside world could be retried; the mailer already retries
transient SMTP failures itself, so no Prefect retries are stacked on top of it, and loading,
validation and computation are never retried (a bad cell does not get better by waiting).
Caching is off: every run reads the spreadsheets anew.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from d9.settings import Settings, load_settings
from flows.outcome import ReportOutcome
from schemas.findings import Finding
from schemas.results import Indicators
from schemas.tables import Inputs
from tasks import compose, history, quality
from tasks.appendix import build_appendix
from tasks.deliver import DeliveryReceipt, Message, OutboxMailer, mailer_for
from tasks.dispatch import send_once
from tasks.indicators import compute_indicators
from tasks.ledger import recipients_to_send
from tasks.load import load_inputs
from tasks.render import RenderedReport, ReportContext, render_report
from tasks.validate import ValidationReport
from tasks.validation_cache import validate_cached

RECIPIENTS_VARIABLE = "d9_report_recipients"


def _task(name: str):  # type: ignore[no-untyped-def]
    return task(name=name, cache_policy=NO_CACHE, persist_result=False)


@_task("read settings")
def read_settings(config: str | None) -> Settings:
    return load_settings(config)


@_task("load spreadsheets")
def load(settings: Settings) -> Inputs:
    return load_inputs(settings)


@_task("validate")
def check(
    inputs: Inputs, settings: Settings, data_docs_dir: Path | None = None
) -> ValidationReport:
    return validate_cached(inputs, settings, data_docs_dir=data_docs_dir)


@_task("compute indicators")
def indicators(inputs: Inputs, as_of: date, settings: Settings) -> Indicators:
    return compute_indicators(inputs.frames(), as_of, settings)


@_task("store history")
def remember(result: Indicators, settings: Settings, kind: str) -> None:
    history.record(result, kind, settings.state_dir)


@_task("render report")
def render(
    result: Indicators,
    validation: ValidationReport,
    settings: Settings,
    language: str,
    now: datetime,
) -> RenderedReport:
    trends = {key: history.trend(settings.state_dir, key, result.as_of) for key in result.results}
    return render_report(
        ReportContext(
            indicators=result,
            generated_at=now,
            trends=trends,
            warnings=validation.warnings,
            language=language,
            programme_start=settings.programme.start,
            programme_deadline=settings.programme.deadline,
        )
    )


@_task("build appendix")
def appendix(result: Indicators, language: str) -> bytes:
    return build_appendix(result, language)


@_task("send")
def send(message: Message, settings: Settings) -> DeliveryReceipt:
    return mailer_for(settings, settings.smtp_password()).send(message)


@_task("write findings")
def write_findings(findings: tuple[Finding, ...], settings: Settings) -> bool:
    """Store tonight's findings; return whether they changed since the last night."""
    changed = quality.changed_since_last(findings, settings.state_dir)
    quality.write_findings(findings, settings.state_dir / quality.FINDINGS_FILE)
    return changed


@_task("resolve recipients")
def recipients(to: list[str] | None, settings: Settings) -> list[str]:
    """Pick recipients: explicit, else the Prefect Variable (editable at run time), else config."""
    if to:
        return list(to)
    from prefect.variables import Variable

    value = Variable.get(RECIPIENTS_VARIABLE, default=None)
    if isinstance(value, str):
        value = [a.strip() for a in value.replace(";", ",").split(",") if a.strip()]
    return list(value) if value else list(settings.report.to)


@_task("publish indicators")
def publish_indicators(result: Indicators) -> None:
    from prefect.artifacts import create_table_artifact

    create_table_artifact(
        key="d9-indicators",
        table=compose.indicator_rows(result),
        description=f"D9 indicators as of {result.as_of.isoformat()}",
    )


@_task("report blocked")
def report_blocked(
    validation: ValidationReport, settings: Settings, period: str, language: str, dry_run: bool
) -> ReportOutcome:
    """Do not send the report; tell the team lead why (unless this is a dry run)."""
    blocking = validation.blocking
    summary = f"report {period} blocked: {quality.blocking_summary(blocking)}"
    paths: tuple[str, ...] = ()
    if not dry_run:
        receipt = mailer_for(settings, settings.smtp_password()).send(
            compose.blocked_message(blocking, settings, period, language)
        )
        paths = tuple(str(p) for p in receipt.paths)
        summary += f"; the team lead ({settings.report.team_lead}) was told"
    return ReportOutcome("blocked", period, summary, paths)


@_task("write preview")
def preview(message: Message, result: Indicators, settings: Settings, period: str) -> ReportOutcome:
    """Dry run: write the complete message to the preview folder, send nothing."""
    receipt = OutboxMailer(settings.state_dir / "preview").send(message)
    paths = tuple(str(p) for p in receipt.paths)
    html = next((p for p in paths if p.endswith(".html")), paths[0] if paths else "")
    _link_artifact("d9-report-preview", html, f"Preview of report {period}")
    return ReportOutcome(
        "dry_run",
        period,
        f"dry run: report {period} rendered, nothing sent; preview: {html}",
        paths,
        result,
    )


@_task("check delivery ledger")
def anyone_left(message: Message, settings: Settings, period: str, force: bool) -> bool:
    """Tell whether any recipient still lacks this period's report (so approval is worth asking)."""
    return bool(
        recipients_to_send(settings.state_dir, compose.REPORT_KIND, period, message.to, force=force)
    )


@_task("deliver report")
def deliver(
    message: Message, result: Indicators, settings: Settings, period: str, force: bool
) -> ReportOutcome:
    """Send to every recipient who has not had this period's report yet (all of them with force)."""
    mailer = mailer_for(settings, settings.smtp_password())
    done = send_once(
        message,
        mailer,
        settings.state_dir,
        kind=compose.REPORT_KIND,
        period=period,
        force=force,
        now=datetime.now().astimezone(),
    )
    paths = tuple(str(p) for p in done.receipt.paths) if done.receipt else ()
    if not done.sent_to:
        return ReportOutcome(
            "already_sent",
            period,
            f"report {period} was already sent to {', '.join(done.skipped)}; nothing sent "
            "(use --force to send again)",
            paths,
            result,
        )
    where = next((p for p in paths if p.endswith(".html")), "")
    _link_artifact("d9-report-sent", where, f"Report {period}")
    note = f" (already had it: {', '.join(done.skipped)})" if done.skipped else ""
    via = f"; outbox: {where}" if where else ""
    return ReportOutcome(
        "sent",
        period,
        f"report {period} sent to {', '.join(done.sent_to)}{note}{via}",
        paths,
        result,
    )


@_task("publish findings")
def publish_findings(validation: ValidationReport, settings: Settings) -> None:
    from prefect.artifacts import create_table_artifact

    rows = [{"dataset": d, **c} for d, c in validation.counts.items()] or [
        {"dataset": "-", "blocking": 0, "warning": 0}
    ]
    create_table_artifact(
        key="d9-data-quality", table=rows, description="Open data-quality findings"
    )
    _link_artifact(
        "d9-data-docs", str(settings.state_dir / "data-docs" / "index.html"), "Data Docs"
    )


@_task("nudge owners")
def nudge(findings: tuple[Finding, ...], settings: Settings) -> tuple[str, ...]:
    """Mail each owner their own findings and the team lead a summary; return who was mailed."""
    language = settings.report.language
    mailer = mailer_for(settings, settings.smtp_password())
    messages = [
        compose.nudge_message(owner, items, settings, language)
        for owner, items in quality.findings_by_owner(findings, settings.report.team_lead).items()
    ]
    if findings:
        messages.append(compose.summary_message(findings, settings, language))
    return tuple(a for m in messages for a in mailer.send(m).recipients)


def _link_artifact(key: str, path: str, description: str) -> None:
    from prefect.artifacts import create_markdown_artifact

    if path:
        create_markdown_artifact(
            key=key,
            markdown=f"[{Path(path).name}]({Path(path).as_uri()})\n\n`{path}`",
            description=description,
        )


__all__ = [
    "appendix",
    "check",
    "compose",
    "indicators",
    "load",
    "read_settings",
    "remember",
    "render",
    "send",
    "write_findings",
]
