"""Failure hook: the open-source Prefect server sends no email, so a failed run mails the team lead.

Runs after retries are exhausted, in the flow's own process. The mail gives the one-line error,
advice that fits its kind (a D9Error subclass, or anything else) and the run's link when known.
Only d9's own errors and Prefect's own state messages are quoted; any other exception is named
by its type alone, so no secret can leak into the mail. A hook that cannot send says so in the
run's log and fails, so the UI does not report it as successful. The command line without a
Prefect API calls `notify_failure` itself, with the settings it already read.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flows.messages import failure_message
from flows.outcome import ReportOutcome
from schemas.catalogue import translate
from schemas.errors import (
    ConfigError,
    D9Error,
    DeliveryError,
    InputError,
    StateError,
    ValidationFailed,
)
from schemas.request import RunFailure
from schemas.settings import Settings, load_settings
from tasks.deliver import mailer_for

if TYPE_CHECKING:
    from prefect import Flow
    from prefect.client.schemas.objects import FlowRun
    from prefect.states import State

_KINDS = (
    ConfigError,
    InputError,
    ValidationFailed,
    DeliveryError,
    StateError,
)  # advice keys in the catalogue
_log = logging.getLogger(__name__)
Log = logging.Logger | logging.LoggerAdapter[logging.Logger]


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


def mail_failure(flow: Flow[..., object], flow_run: FlowRun, state: State[object]) -> None:
    """Prefect on_failure hook: mail the team lead what failed and what to do; not for dry runs."""
    from prefect.logging.loggers import flow_run_logger

    from flows.links import flow_run_url

    log = flow_run_logger(flow_run, flow)
    if flow_run.parameters.get("dry_run"):
        log.info("dry run failed: no failure notice is sent")
        return
    exc = state.result(raise_on_failure=False)
    if isinstance(exc, ReportOutcome):  # in doubt: the lead already has the decision notice
        log.info("%s", exc.summary)
        return
    error = exc if isinstance(exc, BaseException) else None
    try:
        settings = load_settings(flow_run.parameters.get("config") or None)
    except D9Error as err:
        log.error("could not send the failure notice: %s", err)
        raise
    reason = failure_reason(error, state.message or "", settings.report.language)
    url = flow_run_url(flow_run.id)
    notify_failure(
        RunFailure(flow.name, flow_run.name, reason, failure_kind(error), url), settings, log
    )


def notify_failure(failure: RunFailure, settings: Settings, log: Log = _log) -> None:
    """Mail the team lead that a run failed, why and what to do (also without Prefect)."""
    try:
        message = failure_message(failure, settings)
        mailer_for(settings).send(message)
        log.info("failure notice sent to %s", ", ".join(message.to))
    except D9Error as err:  # nobody else to tell: say it in the run's log, and fail the hook
        log.error("could not send the failure notice: %s", err)
        raise
