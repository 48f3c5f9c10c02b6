"""The half-yearly situation report, as a Prefect flow: read it as the pipeline's table of contents.

load → validate → (blocked? tell the team lead) → indicators → history → render + appendix
→ PDF → compose → (dry run? preview only) → (scheduled? preview to the team lead, wait for approval)
→ send once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from prefect import flow

from flows import approval, artifacts, steps
from flows.hooks import mail_failure
from flows.outcome import ReportOutcome, html_path
from schemas.periods import period_key, resolve_as_of
from schemas.report import ReportContext

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
        contact=settings.report.team_lead,
    )
    rendered, xlsx = steps.render(context), steps.appendix(result, inputs, settings, context)
    files = (xlsx, steps.pdf(rendered, context))
    message = steps.compose_report(rendered, files, steps.recipients(to, settings), settings, key)
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
