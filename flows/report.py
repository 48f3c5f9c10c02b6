"""The half-yearly situation report, as a Prefect flow: the pipeline of `flows.pipeline`, each
stage a task of the run (the command line runs the same pipeline without Prefect).

`half_yearly_report_flow` is what the scheduled deployment runs: a flat form in Finnish
(`flows.form`), the configuration from the worker's $D9_CONFIG. `report_flow` takes the command
line's internals too (a configuration path, `from_history`). Cancelling a run that waits for
approval closes its record, deletes its deadline run and tells the team lead
(`cancel.closed_on_cancel`; for a suspended run the `approval-cancelled` automation).

The request is resolved once here (settings, clock, recipients — from the Prefect Variable
`d9_report_recipients` when no `to` is given), then `pipeline.report` runs. Every run ends in a
named Completed state (Sent, AlreadySent, Held, Blocked, Preview, Claimed) whose message is the
outcome's one-line summary, logged and published as an artifact too.

A run waiting for approval is suspended and starts again from the top when answered; it then
finds what it previewed in its approval record and sends exactly that (nothing is recomputed,
no second preview).
"""

from __future__ import annotations

from datetime import date
from typing import Literal, cast

from prefect import flow, get_run_logger

from flows import approval, artifacts, cancel, pipeline
from flows.form import (
    AsOf,
    DryRun,
    Force,
    Language,
    Period,
    Recipients,
    RequireApproval,
    chosen,
)
from flows.hooks import mail_failure
from flows.logs import project_logs_to_run_log
from flows.outcome import ReportOutcome
from flows.run import now, step
from flows.run_end import mail_cancelled, mail_crashed
from schemas.request import ReportAsk, Run, Validator, report_request
from schemas.settings import Settings, load_settings
from tasks.statedb import open_store

RECIPIENTS_VARIABLE = "d9_report_recipients"


@flow(
    name=pipeline.FLOW_NAME,
    log_prints=True,
    persist_result=False,
    on_failure=[mail_failure],
    on_crashed=[mail_crashed],
    on_cancellation=[cancel.closed_on_cancel, mail_cancelled],
)
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
    settings = load_settings(config)
    warn_without_smtp(settings)
    ask = ReportAsk(period, as_of, language, tuple(to or ()), dry_run, force, from_history)
    request = report_request(ask, Run(settings, now(), Validator.GX), _variable(ask.to))
    if request.notice:
        print(request.notice)
    store = open_store(settings)
    if require_approval and (pending := approval.resumed(store)) is not None:
        # answered after a suspension: send what was previewed
        return _finish(approval.approved(pending, request, store, None))
    outcome = pipeline.report(request, store, approval.ask if require_approval else None)
    return _finish(outcome)


@flow(
    name=pipeline.FLOW_NAME,
    log_prints=True,
    persist_result=False,
    validate_parameters=True,
    on_failure=[mail_failure],
    on_crashed=[mail_crashed],
    on_cancellation=[cancel.closed_on_cancel, mail_cancelled],
)
def half_yearly_report_flow(
    period: Period = "",
    as_of: AsOf = "",
    language: Language = "",
    to: Recipients = [],  # noqa: B006 - Prefect copies parameters; the form needs a list default
    dry_run: DryRun = False,
    force: Force = False,
    require_approval: RequireApproval = True,
) -> ReportOutcome:
    """The half-yearly report as its deployment runs it: a flat form, the configuration from
    $D9_CONFIG on the worker, the team lead's approval before sending (by default).

    Args:
        period: half-year such as 2018H1; empty = the last half-year ended.
        as_of: any as-of date (YYYY-MM-DD) instead of a half-year; empty = use the half-year.
        language: fi or en; empty = the configured language.
        to: recipients; empty = the Prefect Variable d9_report_recipients, else the configuration.
        dry_run: on = render the report into the preview folder and send nothing.
        force: send even to recipients who already had this half-year's report.
        require_approval: preview to the team lead and wait for approval in the UI.
    """
    chosen_period, chosen_as_of = chosen(period, as_of)
    return report_flow.fn(
        period=chosen_period,
        as_of=chosen_as_of,
        language=language or None,
        to=list(to),
        dry_run=dry_run,
        force=force,
        require_approval=require_approval,
    )


def _variable(to: tuple[str, ...]) -> object:
    """The recipients Prefect Variable's value (asked only when no `to` was given)."""
    from prefect.variables import Variable

    return None if to else Variable.get(RECIPIENTS_VARIABLE, default=None)


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


def _finish(outcome: ReportOutcome) -> ReportOutcome:
    """Log the outcome, publish it, and end the run in its named state."""
    get_run_logger().info(outcome.summary)
    step("publish outcome", artifacts.publish_outcome, outcome)
    # Prefect takes a returned State as the run's final state and gives its data to the caller,
    # so `report_flow(...)` still returns the ReportOutcome.
    return cast(ReportOutcome, outcome.final_state())
