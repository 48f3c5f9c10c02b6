"""After a report run waiting for approval was cancelled in the UI: clean up behind it.

A suspended run has no process, so cancelling it runs none of its hooks. The
`approval-cancelled` deployment's automation (prefect.yaml: the event
`prefect.flow-run.Cancelled` of a `d9-report` run) starts this flow with the run's id: it closes
the approval record, deletes the deadline run, mails the team lead and leaves the outcome
artifact on the cancelled run's page. A run that was not waiting (a manual run, a run already
answered or already cleaned up by its own hook) is left alone.
"""

from __future__ import annotations

from typing import cast

from prefect import flow, get_run_logger
from prefect.states import Completed

from flows.cancel import close_cancelled
from flows.form import FlowRunRef
from flows.links import flow_run_url
from flows.logs import project_logs_to_run_log
from schemas.settings import load_settings
from tasks.statedb import open_store

CLOSED, NOTHING = "Closed", "NothingToDo"


def run_id_of(reference: str) -> str:
    """The run id in `prefect.flow-run.<id>` (the event's resource), or the id itself."""
    return reference.strip().rsplit(".", 1)[-1]


@flow(name="d9-approval-cancelled", persist_result=False)
def approval_cancelled_flow(flow_run: FlowRunRef) -> bool:
    """Close the approval of the cancelled report run `flow_run`, if it was waiting for one.

    Args:
        flow_run: the cancelled run (its id, or the event resource prefect.flow-run.<id>).
    """
    project_logs_to_run_log()
    run_id = run_id_of(flow_run)
    settings = load_settings(None)
    log = get_run_logger()
    outcome = close_cancelled(run_id, settings, open_store(settings), log)
    where = flow_run_url(run_id) or run_id
    line = (
        outcome.summary if outcome else f"run {where} was not waiting for approval; nothing to do"
    )
    log.info(line)
    return cast(
        bool, Completed(name=CLOSED if outcome else NOTHING, message=line, data=bool(outcome))
    )
