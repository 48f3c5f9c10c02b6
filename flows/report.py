"""The half-yearly situation report, as a Prefect flow: read it as the pipeline's table of contents.

load → validate → (blocked? tell the team lead) → indicators → findings on the rows used
→ trend → history → render + appendix → compose → (dry run? preview only) → (scheduled? preview
to the team lead, wait for approval) → send once. With `from_history`, the values, context
figures, findings and trend stored when the period was reported replace the steps up to history
(no spreadsheet is read).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from prefect import flow

from flows import approval, artifacts, steps
from flows.hooks import mail_failure
from flows.outcome import ReportOutcome, html_path
from schemas.findings import Finding
from schemas.periods import default_period_notice, period_key, resolve_as_of
from schemas.report import ReportContext, TrendPoint
from schemas.results import Indicators
from schemas.settings import Settings

HELSINKI = ZoneInfo("Europe/Helsinki")


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
        as_of: any as-of date instead of a period.
        language: fi or en (default from the configuration).
        to: recipients (default: Prefect Variable d9_report_recipients, else the configuration).
        dry_run: render everything into the preview folder and send nothing.
        force: send even to recipients who already had this period's report.
        require_approval: send the preview to the team lead and wait for approval in the UI.
        config: path of the TOML configuration (default: $D9_CONFIG or the bundled file).
        from_history: render what was reported for the period from the stored values.
    """
    now = datetime.now(HELSINKI)
    settings = steps.read_settings(config)
    deadline = settings.programme.deadline
    when = resolve_as_of(period, as_of, now.date(), deadline)
    key, lang = period_key(when), language or settings.report.language
    if notice := default_period_notice(period, as_of, now.date(), deadline, lang):
        print(notice)
    if from_history:
        past = steps.stored_report(settings, when)
        result, counted, generated = past.indicators, past.findings, past.recorded_at
        trends = past.trends
    else:
        inputs = steps.load(settings)
        validation = steps.check(inputs, settings, today=now.date())
        if validation.blocking:
            told = None if dry_run else steps.tell_blocked(validation.blocking, settings, key, lang)
            return ReportOutcome.blocked(key, validation.blocking, told, settings.report.team_lead)
        result = steps.indicators(inputs, when, settings)
        counted, generated = steps.counted(result, validation.warnings), now
        trends = steps.trends(result, settings)
        steps.remember(result, settings, "report", now, counted, trends)
    context = _context(result, generated, counted, trends, lang, settings)
    rendered, xlsx = steps.render(context), steps.appendix(result, lang, context)
    message = steps.compose_report(rendered, xlsx, steps.recipients(to, settings), settings, key)
    steps.publish_indicators(result)
    if dry_run:
        outcome = ReportOutcome.preview(key, steps.preview(message, settings), result)
        artifacts.link("d9-report-preview", html_path(outcome.paths), f"Preview of report {key}")
        return outcome
    asks = require_approval and steps.anyone_left(message, settings, key, force)
    if asks and not approval.approved(message, settings, lang):
        return ReportOutcome.held(key, result)
    outcome = ReportOutcome.delivered(key, steps.deliver(message, settings, key, force), result)
    artifacts.link("d9-report-sent", html_path(outcome.paths), f"Report {key}")
    return outcome


def _context(
    result: Indicators,
    generated: datetime,
    counted: tuple[Finding, ...],
    trends: dict[str, list[TrendPoint]],
    language: str,
    settings: Settings,
) -> ReportContext:
    return ReportContext(
        indicators=result,
        generated_at=generated,
        trends=trends,
        warnings=counted,
        language=language,
        programme_start=settings.programme.start,
        programme_deadline=settings.programme.deadline,
    )
