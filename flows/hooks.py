"""Failure hook: the open-source Prefect server sends no email, so a failed run mails the team lead.

Runs after retries are exhausted, in the flow's own process. Only d9's own one-line errors are
quoted; any other exception is named by its type alone, so no secret can leak into the mail.
"""

from __future__ import annotations

import logging
from typing import Any

from flows.messages import failure_message
from schemas.errors import D9Error
from schemas.settings import load_settings
from tasks.deliver import mailer_for

log = logging.getLogger(__name__)


def failure_reason(exc: BaseException | None) -> str:
    """One line a person can act on, never an exception's free text unless it is ours."""
    if isinstance(exc, D9Error):
        return str(exc)
    return f"{type(exc).__name__ if exc else 'unknown error'} (details in the run's log in Prefect)"


def mail_failure(flow: Any, flow_run: Any, state: Any) -> None:
    """Prefect on_failure hook: mail the team lead what failed (never for a dry run)."""
    exc = state.result(raise_on_failure=False)
    error = exc if isinstance(exc, BaseException) else None
    parameters = flow_run.parameters
    notify_failure(flow.name, flow_run.name, parameters.get("config"), error, parameters)


def notify_failure(
    flow: str,
    run: str,
    config: str | None,
    exc: BaseException | None,
    parameters: dict[str, Any] | None = None,
) -> None:
    """Mail the team lead that run `run` of `flow` failed, and why (also without Prefect).

    A dry run (parameter `dry_run`) never sends: nothing is mailed.
    """
    if (parameters or {}).get("dry_run"):
        log.info("dry run failed: no failure notice is sent")
        return
    try:
        settings = load_settings(config)
        message = failure_message(flow, run, failure_reason(exc), settings)
        mailer_for(settings, settings.smtp_password()).send(message)
    except D9Error as err:  # nothing else to tell, nobody else to tell it to: log it
        log.error("could not send the failure notice: %s", err)
