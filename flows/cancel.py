"""Cleaning up behind a report run that waited for the team lead's approval.

Answered: its deadline run has nothing left to do and is deleted. Cancelled in the UI while it
waited: its approval record is closed, its deadline run deleted, the team lead told ("peruttu,
raporttia ei lähetetty") and the outcome left as an artifact on the cancelled run's page — by
the run's own `on_cancellation` hook when it had a process, else by the `approval-cancelled`
automation (a suspended run has none); whichever comes first, once.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING
from uuid import UUID

from prefect.exceptions import ObjectNotFound

from flows import artifacts, messages
from flows.outcome import ReportOutcome
from flows.run import now
from schemas.approval import Decision, PendingApproval
from schemas.settings import Settings, load_settings
from tasks.approval import close_pending
from tasks.deliver import mailer_for
from tasks.statedb import Store, open_store

if TYPE_CHECKING:
    from prefect import Flow
    from prefect.client.schemas.objects import FlowRun
    from prefect.states import State

Log = logging.Logger | logging.LoggerAdapter[logging.Logger]


def delete_deadline_run(pending: PendingApproval, log: Log) -> None:
    """Remove the scheduled deadline run (answered or cancelled: nothing left for it to do)."""
    if not pending.deadline_run_id:
        return
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        try:
            client.delete_flow_run(UUID(pending.deadline_run_id))
        except ObjectNotFound:  # already gone (deleted by hand, or the other handler)
            return
    log.info("deadline run %s of report %s deleted", pending.deadline_run_id, pending.period)


def close_cancelled(
    run_id: str, settings: Settings, store: Store, log: Log
) -> ReportOutcome | None:
    """Clean up after a report run cancelled while it waited for approval: close its record,
    delete its deadline run, tell the team lead, and leave the outcome on the run's page.

    None when the run had nothing waiting (no record, already answered, or already closed by
    the other handler: the run's own hook and the automation may both see one cancel).
    """

    def closing(pending: PendingApproval) -> PendingApproval | None:
        if pending.decision is not None or pending.cancelled:
            return None
        return replace(pending, decision=Decision(False, "", False, now()), cancelled=True)

    pending = close_pending(store, run_id, closing, now())
    if pending is None:
        return None
    delete_deadline_run(pending, log)
    mailer_for(settings).send(messages.cancelled_message(pending, settings))
    outcome = ReportOutcome.cancelled(pending.period, pending.message.to, settings.report.team_lead)
    log.info(outcome.summary)
    artifacts.publish_outcome(outcome, flow_run_id=run_id)
    return outcome


def closed_on_cancel(flow: Flow[..., object], flow_run: FlowRun, state: State[object]) -> None:
    """Prefect on_cancellation hook: clean up a report cancelled while it waited in this process.

    (A *suspended* run has no process when it is cancelled: the `approval-cancelled`
    deployment's automation does the same for it.)
    """
    from prefect.logging.loggers import flow_run_logger

    settings = load_settings(flow_run.parameters.get("config") or None)
    log = flow_run_logger(flow_run, flow)
    close_cancelled(str(flow_run.id), settings, open_store(settings), log)
