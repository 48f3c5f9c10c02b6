"""The team lead's approval before a scheduled report goes out, given in the Prefect UI."""

from __future__ import annotations

from prefect import pause_flow_run
from prefect.exceptions import FlowPauseTimeout
from prefect.input import RunInput
from pydantic import Field

from flows import steps
from schemas.mail import Message
from schemas.settings import Settings


class Approval(RunInput):
    """The form the team lead sees on the paused run."""

    send: bool = Field(
        description="Send the report to the steering group? / Lähetetäänkö raportti?"
    )
    note: str = Field("", description="Optional note for the run log")


def approved(message: Message, settings: Settings, language: str) -> bool:
    """Mail the preview to the team lead and pause for the answer; on timeout use the default."""
    steps.send_preview(message, settings, language)
    default = settings.report.approval_default == "send"
    try:
        answer = pause_flow_run(
            wait_for_input=Approval.with_initial_data(send=default),
            timeout=int(settings.report.approval_timeout_hours * 3600),
        )
    except FlowPauseTimeout:
        return default
    return bool(answer.send)
