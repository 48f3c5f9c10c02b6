"""The report run by hand from the Prefect UI: a flat form of plain typed fields.

Every field is a plain input with a Finnish title, a description and a default (`flows.form`:
no "str | None" switches, no worker file paths): half-year as text with a pattern (empty = the
last half-year ended), as-of date as ISO text (empty = not given), language as a choice,
recipients, dry run (on by default), force. The configuration comes from $D9_CONFIG on the
worker. Half-year and as-of date together are refused with one line.
"""

from __future__ import annotations

from prefect import flow

from flows.form import AsOf, DryRun, Force, ManualLanguage, Period, Recipients, chosen
from flows.hooks import mail_failure
from flows.outcome import ReportOutcome
from flows.report import report_flow
from flows.run_end import mail_cancelled, mail_crashed

manual_choice = chosen  # the form's texts as the report's period and as-of date


@flow(
    name="d9-report",
    log_prints=True,
    persist_result=False,
    validate_parameters=True,
    on_failure=[mail_failure],
    on_crashed=[mail_crashed],
    on_cancellation=[mail_cancelled],
)
def manual_report_flow(
    period: Period = "",
    as_of: AsOf = "",
    language: ManualLanguage = "fi",
    to: Recipients = [],  # noqa: B006 - Prefect copies parameters; the form needs a list default
    dry_run: DryRun = True,
    force: Force = False,
) -> ReportOutcome:
    """Run the situation report now, by hand: a preview by default, or send it at once.

    Args:
        period: half-year such as 2018H1; empty = the last half-year ended.
        as_of: any as-of date (YYYY-MM-DD) instead of a half-year; empty = use the half-year.
        language: the report's language, fi (Finnish) or en (English).
        to: recipients; empty = the Prefect Variable d9_report_recipients, else the configuration.
        dry_run: on = render the report into the preview folder and send nothing.
        force: send even to recipients who already had this half-year's report.
    """
    chosen_period, chosen_as_of = chosen(period, as_of)
    return report_flow.fn(
        period=chosen_period,
        as_of=chosen_as_of,
        language=language,
        to=list(to),
        dry_run=dry_run,
        force=force,
    )
