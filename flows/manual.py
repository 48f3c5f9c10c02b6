"""The report run by hand from the Prefect UI: a flat form of plain typed fields.

Every field is a plain input with a default (no "str | None" switches, no worker file paths):
period as text with a pattern (empty = the last half-year ended), as-of as an optional date,
language as a choice, recipients, dry run (on by default), force. The configuration comes from
$D9_CONFIG on the worker. Period and as-of together are refused with one line.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from prefect import flow
from pydantic import Field

from flows.hooks import mail_failure
from flows.outcome import ReportOutcome
from flows.report import report_flow
from flows.run_end import mail_cancelled, mail_crashed
from schemas.errors import ConfigError

Period = Annotated[str, Field(pattern=r"^\s*(\d{4}[Hh][12])?\s*$")]
AsOf = Annotated[
    str, Field(pattern=r"^\s*(\d{4}-\d{2}-\d{2})?\s*$", json_schema_extra={"format": "date"})
]


def manual_choice(period: str, as_of: str) -> tuple[str | None, date | None]:
    """The form's texts as the report flow's period and as-of date (empty = not given)."""
    period, as_of = period.strip(), as_of.strip()
    try:
        return (period or None), (date.fromisoformat(as_of) if as_of else None)
    except ValueError:
        raise ConfigError(f"as-of must be a date like 2018-06-30 (got {as_of!r})") from None


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
    language: Literal["fi", "en"] = "fi",
    to: list[str] = [],  # noqa: B006 - Prefect copies parameters; the form needs a list default
    dry_run: bool = True,
    force: bool = False,
) -> ReportOutcome:
    """Run the situation report now, by hand: a preview by default, or send it.

    Args:
        period: half-year such as 2018H1; empty = the last half-year ended. Leave empty when
            you give an as-of date.
        as_of: any as-of date (YYYY-MM-DD) instead of a period; empty = use the period.
        language: the report's language, fi (Finnish) or en (English).
        to: recipients; empty = the Prefect Variable d9_report_recipients, else the configuration.
        dry_run: on = render the report into the preview folder and send nothing.
        force: send even to recipients who already had this period's report.
    """
    chosen_period, chosen_as_of = manual_choice(period, as_of)
    return report_flow.fn(
        period=chosen_period,
        as_of=chosen_as_of,
        language=language,
        to=list(to),
        dry_run=dry_run,
        force=force,
    )
