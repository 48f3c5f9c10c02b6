"""A run that did not finish is told: crashed, cancelled, or left Running by a vanished process.

Three ways in, one notice per run (keyed in the delivery ledger, so they never double up):
- the report and nightly flows' `on_crashed` and `on_cancellation` hooks, while their process
  still lives;
- the `run-end-notice` deployment, started by a deployment trigger on the events
  `prefect.flow-run.Crashed` and `prefect.flow-run.Cancelled` (a process killed with -9, out of
  memory or a machine restart runs no hook at all: the worker reports it Crashed);
- the same deployment started by a proactive trigger when a Running run stops sending heartbeats
  (its worker was stopped: nothing reports it), which first marks that run Crashed.
Each also sweeps the delivery ledger: a claim left by the stopped run is in doubt, and the team
lead gets the decision notice for it (`flows.doubt`, once per claim).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal
from uuid import UUID

from prefect import flow

from flows import doubt, messages
from flows.run import now
from schemas.errors import D9Error
from schemas.mail import MailKey
from schemas.request import RunEnd
from schemas.settings import load_settings
from tasks.approval import load_pending
from tasks.deliver import mailer_for, send_once
from tasks.deliver.dispatch import orphaned
from tasks.deliver.ledger import open_claims
from tasks.statedb import Store, open_store

if TYPE_CHECKING:
    from prefect import Flow
    from prefect.client.schemas.objects import FlowRun
    from prefect.states import State

WATCHED = ("d9-report", "d9-nightly-check")  # the flows whose ends the team lead hears of
_log = logging.getLogger(__name__)
How = Literal["crashed", "cancelled", "stale"]


def tell_run_end(end: RunEnd, parameters: Mapping[str, object], run_id: str) -> str:
    """Sweep the ledger and mail the team lead once about the run; return what was done."""
    if parameters.get("dry_run"):
        return f"{end.run}: a dry run {end.how}; nobody is told"
    config = parameters.get("config")
    settings = load_settings(str(config) if config else None)
    store, at = open_store(settings), now()
    orphans = [c for c in open_claims(store) if c.kind != "run-end" and orphaned(c, at)]
    told = doubt.tell(orphans, store, settings, at) if orphans else None
    if end.how == "cancelled" and _was_waiting(store, run_id):
        swept = told.note() if told else ""
        said = "cancelled while waiting for approval; the approval clean-up tells the lead"
        return f"{end.run}: {said}{swept}"
    end = RunEnd(end.flow, end.run, end.how, end.state, bool(orphans), end.run_url)
    message = messages.run_end_message(end, settings)
    key = MailKey("run-end", run_id)
    done = send_once(message, mailer_for(settings), store, key, force=False, now=at)
    said = "told" if done.sent_to else "already told"
    return f"{end.run} {end.how}: the team lead was {said}" + (told.note() if told else "")


def _was_waiting(store: Store, run_id: str) -> bool:
    """The run waited for the lead's approval when it was cancelled: the approval clean-up
    (`flows.cancel`) tells the lead "peruttu, raporttia ei lähetetty" — one mail, not two."""
    pending = load_pending(store, run_id)
    return pending is not None and (pending.decision is None or pending.cancelled)


def mail_crashed(flow: Flow[..., object], flow_run: FlowRun, state: State[object]) -> None:
    """Prefect on_crashed hook: tell the team lead (while the run's process still lives)."""
    _from_hook("crashed", flow, flow_run, state)


def mail_cancelled(flow: Flow[..., object], flow_run: FlowRun, state: State[object]) -> None:
    """Prefect on_cancellation hook: tell the team lead that the run was cancelled."""
    _from_hook("cancelled", flow, flow_run, state)


def _from_hook(how: How, flow: Flow[..., object], flow_run: FlowRun, state: State[object]) -> None:
    from flows.links import flow_run_url

    url = flow_run_url(flow_run.id)
    end = RunEnd(flow.name, flow_run.name, how, state.name or how, False, url)
    try:
        _log.info(tell_run_end(end, flow_run.parameters, str(flow_run.id)))
    except D9Error as err:  # the automation tries again from outside the process
        _log.error("could not tell the team lead that the run %s: %s", how, err)


@flow(name="d9-run-end-notice", log_prints=True, persist_result=False)
def run_end_notice_flow(flow_run: str) -> str:
    """Tell the team lead that a d9 run crashed, was cancelled or went silent.

    Args:
        flow_run: the run's id, or its event resource id (prefect.flow-run.<id>).
    """
    from prefect.client.orchestration import get_client
    from prefect.states import Crashed

    from flows.links import flow_run_url

    run_id = UUID(flow_run.rsplit(".", 1)[-1])
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(run_id)
        name = client.read_flow(run.flow_id).name
        if name not in WATCHED:
            return f"{run.name}: not a d9 report or nightly run"
        state = run.state
        if state is None or not (state.is_running() or state.is_crashed() or state.is_cancelled()):
            return f"{run.name}: {state.name if state else 'no state'}, nothing to tell"
        how: How = "cancelled" if state.is_cancelled() else "crashed"
        if state.is_running():  # no heartbeat: its process is gone, and nobody said so
            how = "stale"
            lost = "no heartbeat from the run's process: it stopped"
            client.set_flow_run_state(run_id, Crashed(message=lost), force=True)
    shown = "Crashed" if how != "cancelled" else "Cancelled"
    end = RunEnd(name, run.name, how, shown, False, flow_run_url(run_id))
    said = tell_run_end(end, run.parameters, str(run_id))
    print(said)
    return said
