"""Links into the Prefect UI that open for the reader (never file paths on a worker)."""

from __future__ import annotations

from prefect.context import FlowRunContext
from prefect.settings import PREFECT_UI_URL


def flow_run_url(flow_run_id: object) -> str:
    """The UI page of a flow run, or "" when no UI address is known (no PREFECT_UI_URL/API URL)."""
    base = PREFECT_UI_URL.value()
    return f"{str(base).rstrip('/')}/runs/flow-run/{flow_run_id}" if base else ""


def run_url() -> str:
    """The UI page of the current flow run, or "" outside a run or without a UI address."""
    context = FlowRunContext.get()
    if context is None or context.flow_run is None:
        return ""
    return flow_run_url(context.flow_run.id)
