"""The half-yearly situation report, as a Prefect flow: the pipeline of `flows.pipeline`, its
steps run as the Prefect tasks of `flows.steps` (the command line runs the same pipeline with
plain functions when no Prefect API is configured).

load → validate → (blocked? tell the team lead) → indicators → findings on the rows used
→ trend → history → render + appendix → PDF → compose → (dry run? preview only) → (scheduled?
preview to the team lead, wait for approval) → send once. With `from_history`, the values, context
figures, findings and trend stored when the period was reported replace the steps up to history
(no spreadsheet is read).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from prefect import flow

from flows import approval, pipeline, steps
from flows.hooks import mail_failure
from flows.outcome import ReportOutcome


@flow(name=pipeline.FLOW_NAME, log_prints=True, persist_result=False, on_failure=[mail_failure])
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
    return pipeline.report(
        steps,
        period=period,
        as_of=as_of,
        language=language,
        to=to,
        dry_run=dry_run,
        force=force,
        approve=approval.approved if require_approval else None,
        config=config,
        from_history=from_history,
    )
