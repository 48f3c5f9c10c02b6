"""The team lead's approval before a scheduled report goes out, given in the Prefect UI.

A run of a deployment is *suspended*: it leaves the worker, and when the lead answers (or the
deadline run answers with the configured default) it starts again from the top on any worker.
What it must not repeat is kept in its `PendingApproval` record in the state store (so any
worker finds it): the message previewed, whether the preview went out, whether the deadline
run was scheduled, the decision. A run without a deployment (called from Python) cannot be
suspended: it pauses in its own process, and a timer in that process gives the default answer
at the deadline.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import cast
from uuid import UUID

from prefect import get_run_logger, pause_flow_run, suspend_flow_run
from prefect.client.schemas.objects import FlowRun
from prefect.context import FlowRunContext
from prefect.deployments import run_deployment
from prefect.exceptions import NotPausedError, ObjectNotFound
from prefect.flow_runs import resume_flow_run
from prefect.input import RunInput, create_flow_run_input, read_flow_run_input
from prefect.states import State
from pydantic import Field, create_model

from flows import messages
from flows.cancel import delete_deadline_run
from flows.links import run_url
from flows.outcome import ReportOutcome
from flows.pipeline import deliver, settle, with_commentary
from flows.run import now, step
from schemas.approval import Decision, PendingApproval
from schemas.catalogue import translate
from schemas.errors import ConfigError
from schemas.mail import Message
from schemas.request import ReportRequest
from schemas.results import Indicators
from schemas.settings import Settings
from tasks.approval import load_pending, save_pending
from tasks.deliver import mailer_for
from tasks.statedb import Store

PAUSE_KEY = "approval"
DEFAULT_INPUT_KEY = "d9-approval-default"  # set by whoever answers with the default
DEADLINE_DEPLOYMENT = "d9-approval-deadline/approval-deadline"
# A paused run Prefect itself fails when nobody resumed it: only long after our own deadline.
GRACE = timedelta(days=1)
PATIENCE = 120.0  # seconds the default waits for a run still on its way to the pause


class Approval(RunInput):
    """The Resume form of a paused report run (titles and descriptions set per run)."""

    send: bool
    note: str = ""
    commentary: str = ""


def current_run_id() -> str:
    """The id of the flow run this code runs in."""
    context = FlowRunContext.get()
    assert context is not None and context.flow_run is not None, "not inside a flow run"
    return str(context.flow_run.id)


def _deployed() -> bool:
    context = FlowRunContext.get()
    return bool(context and context.flow_run and context.flow_run.deployment_id)


def resumed(store: Store) -> PendingApproval | None:
    """What this run previewed before it was suspended, if it was (else None: a fresh run)."""
    return load_pending(store, current_run_id())


def ask(
    message: Message, result: Indicators, request: ReportRequest, store: Store
) -> ReportOutcome:
    """Keep the message to approve and its deadline, preview it to the team lead, and wait
    (suspended, in a deployment) for the decision."""
    report = request.settings.report
    pending = PendingApproval(
        run_id=current_run_id(),
        period=request.period,
        language=request.language,
        message=message,
        deadline=request.run.now + timedelta(hours=report.approval_timeout_hours),
        default_send=report.approval_default == "send",
    )
    save_pending(store, pending, request.run.now)
    return approved(pending, request, store, result)


def approved(
    pending: PendingApproval, request: ReportRequest, store: Store, result: Indicators | None
) -> ReportOutcome:
    """Ask (or read) the lead's decision; send the previewed message when approved."""
    if pending.decision is None:
        pending = decide(pending, request.settings, store)
    assert pending.decision is not None
    by_default, note = pending.decision.by_default, pending.decision.note
    if not pending.decision.send:
        record_delivery(pending, request.settings, store, ())
        return ReportOutcome.held(pending.period, pending.message.to, result, by_default, note)
    message, review = pending.message, pending.decision.commentary.strip()
    if review:  # the lead's review given at approval goes to the top of the report
        message = step("add the lead's review", with_commentary, message, request, store, review)
    done = step("deliver report", deliver, message, request, store)
    record_delivery(pending, request.settings, store, done.sent_to)
    return settle(done, message, request, store, result, by_default, note)


def form(pending: PendingApproval) -> type[Approval]:
    """The Resume form: the decision described (period, recipients, deadline, default)."""

    def t(key: str) -> str:
        return translate(pending.language, f"approval.{key}")

    model = create_model(
        "Approval",
        __base__=Approval,
        send=(
            bool,
            Field(pending.default_send, title=t("send_title"), description=t("send_description")),
        ),
        note=(str, Field("", title=t("note_title"), description=t("note_description"))),
        commentary=(
            str,
            Field("", title=t("review.title"), description=t("review.description")),
        ),
    )
    texts = messages.approval_texts(pending)
    model._description = translate(pending.language, "approval.form", **texts)
    return model


def decide(pending: PendingApproval, settings: Settings, store: Store) -> PendingApproval:
    """Preview once, wait for the lead's answer (or the default at the deadline); keep it."""
    if _deployed() and not pending.default_scheduled:
        pending = _schedule_default(pending, store)
    if not pending.preview_sent:
        intro = messages.approval_intro(pending, run_url())
        preview = messages.preview_message(pending.message, settings, pending.language, intro)
        step("send preview", _send, preview, settings)
        pending = replace(pending, preview_sent=True)
        save_pending(store, pending, now())
        get_run_logger().info(waiting_line(pending, preview.to))
    answer = _wait(pending)
    by_default = read_flow_run_input(DEFAULT_INPUT_KEY) is not None
    decision = Decision(bool(answer.send), answer.note, by_default, now(), answer.commentary)
    get_run_logger().info(answer_line(pending, decision))
    pending = replace(pending, decision=decision)
    save_pending(store, pending, now())
    if not by_default:  # answered by the lead: the deadline run has nothing left to do
        delete_deadline_run(pending, get_run_logger())
    return pending


def _action(send: bool) -> str:
    return "send" if send else "hold (not sent)"


def waiting_line(pending: PendingApproval, to: tuple[str, ...]) -> str:
    """The run log's line while the report waits: who got the preview, until when, the default."""
    return (
        f"preview of report {pending.period} sent to {', '.join(to)}; waiting for approval "
        f"until {pending.deadline:%Y-%m-%d %H:%M %Z}; default then: {_action(pending.default_send)}"
        f" to {', '.join(pending.message.to)}"
    )


def answer_line(pending: PendingApproval, decision: Decision) -> str:
    """The run log's line for the answer: send or hold, by whom (the lead or the default), note."""
    by = " (default after the deadline)" if decision.by_default else ""
    return (
        f"approval of report {pending.period}: {'send' if decision.send else 'hold'}{by}; "
        f"note: {decision.note or '-'}"
    )


def _send(message: Message, settings: Settings) -> None:
    mailer_for(settings).send(message)


def _wait(pending: PendingApproval) -> Approval:
    seconds = int((pending.deadline + GRACE - now()).total_seconds())
    if _deployed():  # the process ends here; the run starts again when answered
        answer = suspend_flow_run(
            wait_for_input=form(pending), timeout=max(seconds, 1), key=PAUSE_KEY
        )
        return cast(Approval, answer)
    until_deadline = max((pending.deadline - now()).total_seconds(), 0)
    with _default_at(until_deadline, UUID(pending.run_id), pending.default_send):
        poll = int(min(10, max(1, until_deadline / 4)))
        answer = pause_flow_run(
            wait_for_input=form(pending),
            timeout=max(seconds, 1),
            poll_interval=poll,
            key=PAUSE_KEY,
        )
    return cast(Approval, answer)


@contextmanager
def _default_at(seconds: float, run_id: UUID, send: bool) -> Iterator[None]:
    timer = threading.Timer(seconds, apply_default, args=(run_id, send))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def apply_default(run_id: UUID, send: bool, patience: float = PATIENCE) -> bool:
    """Answer a run waiting for approval with the default; False if it was answered in time.

    A run that is still on its way to the pause (a very short approval time) is waited for,
    up to `patience` seconds; a resume refused while the form is being saved is tried again.
    """
    end = time.monotonic() + patience
    while True:
        state = _state(run_id)
        if state is not None and state.is_paused() and _resume_with_default(run_id, send):
            return True
        if state is None or state.is_final() or _answered(run_id) or time.monotonic() > end:
            return False
        time.sleep(1)


def _state(run_id: UUID) -> State | None:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return client.read_flow_run(run_id).state


def _answered(run_id: UUID) -> bool:
    """Whether the lead's answer is already stored (the run is then on its way to send/hold)."""
    keys = ("paused", "suspended")
    return any(read_flow_run_input(f"{k}-{PAUSE_KEY}-response", run_id) for k in keys)


def _resume_with_default(run_id: UUID, send: bool) -> bool:
    if read_flow_run_input(DEFAULT_INPUT_KEY, run_id) is None:
        create_flow_run_input(key=DEFAULT_INPUT_KEY, value=True, flow_run_id=run_id)
    try:
        resume_flow_run(run_id, run_input={"send": send, "note": ""})
    except (NotPausedError, RuntimeError):  # answered meanwhile, or the form not saved yet
        return False
    return True


def _schedule_default(pending: PendingApproval, store: Store) -> PendingApproval:
    """A run of the deadline deployment at the deadline, to answer with the default."""
    parameters = {"flow_run_id": pending.run_id, "send": pending.default_send}
    try:
        deadline_run = run_deployment(
            DEADLINE_DEPLOYMENT,
            parameters=parameters,
            scheduled_time=pending.deadline,
            timeout=0,
            as_subflow=False,
        )
    except ObjectNotFound:
        raise ConfigError(
            f"deployment {DEADLINE_DEPLOYMENT} not found: run prefect deploy --all"
        ) from None
    run_id = str(cast(FlowRun, deadline_run).id)  # the sync call: a FlowRun, not a coroutine
    pending = replace(pending, default_scheduled=True, deadline_run_id=run_id)
    save_pending(store, pending, now())
    return pending


def record_delivery(
    pending: PendingApproval, settings: Settings, store: Store, sent_to: tuple[str, ...]
) -> None:
    """Keep who got the approved report beside the decision; tell the lead what the default did."""
    save_pending(store, replace(pending, delivered_to=sent_to), now())
    if pending.decision is not None and pending.decision.by_default:
        notice = messages.default_message(pending, settings, bool(sent_to) or pending.decision.send)
        step("tell the team lead: approval default", _send, notice, settings)
