"""The half-yearly situation report, as a Prefect flow: the pipeline of `flows.pipeline`, its
steps run as the Prefect tasks of `flows.steps` (the command line runs the same pipeline with
plain functions when no Prefect API is configured).

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

from datetime import date
from typing import Literal, cast

from prefect import flow, get_run_logger

from flows import approval, pipeline, steps
from flows.hooks import mail_failure
from flows.logs import project_logs_to_run_log
from flows.outcome import ReportOutcome
from schemas.approval import PendingApproval
from schemas.mail import Message
from schemas.results import Indicators
from schemas.settings import Settings


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
    outcome = pipeline.report(
        steps,
        period=period,
        as_of=as_of,
        language=language,
        to=to,
        dry_run=dry_run,
        force=force,
        approve=_ask if require_approval else None,
        config=config,
        from_history=from_history,
    )
    return _finish(outcome)


def _ask(
    message: Message,
    result: Indicators,
    period: str,
    language: str,
    settings: Settings,
    force: bool,
) -> ReportOutcome:
    """Preview to the team lead and wait (suspended, in a deployment) for the decision."""
    pending = approval.start(message, settings, period, language)
    return _approved(pending, settings, force, result)


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
