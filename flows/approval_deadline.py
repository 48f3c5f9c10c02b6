"""At the approval deadline: answer a report run still waiting for the team lead with the default.

Scheduled by the waiting run itself (a run of the `approval-deadline` deployment at the
deadline), so no process waits for the answer. A run answered in time is left alone.
"""

from __future__ import annotations

from typing import cast
from uuid import UUID

from prefect import flow, get_run_logger
from prefect.states import Completed

from flows.approval import apply_default
from flows.form import DefaultSend, FlowRunRef
from flows.links import flow_run_url


@flow(name="d9-approval-deadline", persist_result=False)
def approval_deadline_flow(flow_run_id: FlowRunRef, send: DefaultSend) -> bool:
    """Resume the report run `flow_run_id` with the default answer if it still waits.

    Args:
        flow_run_id: the report run waiting for approval.
        send: the default answer (approval_default = "send" in the configuration).
    """
    applied = apply_default(UUID(flow_run_id), send)
    where = flow_run_url(flow_run_id) or flow_run_id
    if applied:
        line = f"no approval by the deadline: {'send' if send else 'hold'} applied to {where}"
    else:
        line = f"run {where} was answered in time; nothing to do"
    get_run_logger().info(line)
    name = "DefaultApplied" if applied else "AlreadyAnswered"
    return cast(bool, Completed(name=name, message=line, data=applied))
