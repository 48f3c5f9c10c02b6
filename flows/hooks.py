"""Failure hook: the open-source Prefect server sends no email, so a failed run mails the team lead.

Runs after retries are exhausted, in the flow's own process. The mail gives the one-line error,
advice that fits its kind (a D9Error subclass, or anything else) and the run's link when known.
Only d9's own errors and Prefect's own state messages are quoted; any other exception is named
by its type alone, so no secret can leak into the mail. A hook that cannot send says so in the
run's log and fails, so the UI does not report it as successful.
"""

from __future__ import annotations

import logging
from typing import Any

from flows.messages import failure_message
from schemas.catalogue import translate
from schemas.errors import ConfigError, D9Error, DeliveryError, InputError, ValidationFailed
from schemas.settings import load_settings
from tasks.deliver import mailer_for

_KINDS = (ConfigError, InputError, ValidationFailed, DeliveryError)  # advice keys in the catalogue
_log = logging.getLogger(__name__)


def failure_reason(exc: BaseException | None, state_message: str, language: str) -> str:
    """One line a person can act on: our own errors and Prefect's messages, else the type."""
    if isinstance(exc, D9Error):
        return str(exc)
    if state_message and _is_prefect_error(exc):
        return state_message  # e.g. "The flow was paused and never resumed."
    kind = type(exc).__name__ if exc else "?"
    return translate(language, "failure.unexpected", kind=kind)


def _is_prefect_error(exc: BaseException | None) -> bool:
    # Prefect is imported only when the error may be one of its own: the command line's plain
    # runs import nothing of Prefect (import cost).
    if exc is None or not type(exc).__module__.startswith("prefect"):
        return False
    from prefect.exceptions import PrefectException

    return isinstance(exc, PrefectException)


def failure_kind(exc: BaseException | None) -> str:
    """The catalogue's advice key for an error: its kind of D9Error by name, else "other"."""
    return next((k.__name__ for k in _KINDS if isinstance(exc, k)), "other")


def mail_failure(flow: Any, flow_run: Any, state: Any) -> None:
    """Prefect on_failure hook: mail the team lead what failed and what to do; not for dry runs."""
    from prefect.logging.loggers import flow_run_logger

    from flows.links import flow_run_url

    exc = state.result(raise_on_failure=False)
    error = exc if isinstance(exc, BaseException) else None
    notify_failure(
        flow.name,
        flow_run.name,
        flow_run.parameters,
        error,
        state_message=state.message or "",
        run_url=flow_run_url(flow_run.id),
        log=flow_run_logger(flow_run, flow),
    )


def notify_failure(
    flow: str,
    run: str,
    parameters: dict[str, Any],
    exc: BaseException | None,
    *,
    state_message: str = "",
    run_url: str = "",
    log: logging.Logger | logging.LoggerAdapter[logging.Logger] = _log,
) -> None:
    """Mail the team lead that run `run` of `flow` failed, why and what to do (also without
    Prefect); a dry run (parameter `dry_run`) never sends."""
    if parameters.get("dry_run"):
        log.info("dry run failed: no failure notice is sent")
        return
    try:
        settings = load_settings(parameters.get("config"))
        reason = failure_reason(exc, state_message, settings.report.language)
        message = failure_message(
            flow, run, reason, settings, kind=failure_kind(exc), run_url=run_url
        )
        mailer_for(settings, settings.smtp_password()).send(message)
        log.info("failure notice sent to %s", ", ".join(message.to))
    except D9Error as err:  # nobody else to tell: say it in the run's log, and fail the hook
        log.error("could not send the failure notice: %s", err)
        raise
