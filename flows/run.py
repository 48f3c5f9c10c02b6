"""Run a stage call as a Prefect task inside a flow run, and as a plain call everywhere else.

The pipelines (`flows.pipeline`) call the stage functions through `step`, so the same code
runs on a Prefect worker (each step a task in the run's graph, with its own state and log)
and on the command line without a Prefect API (nothing of Prefect imported: no temporary
API server, no seconds of import). Results are not persisted and never cached: every run
reads the spreadsheets anew. Only loading is retried (`step_retried`), and only when a source
could not be reached this time (`SourceUnavailable`: a network share or web server that did
not answer): a bad cell does not get better by waiting, and the mailer retries transient SMTP
failures itself (never after the message was handed over).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

from schemas.errors import SourceUnavailable
from schemas.periods import HELSINKI

if TYPE_CHECKING:
    from prefect import Task
    from prefect.client.schemas.objects import TaskRun
    from prefect.states import State

P = ParamSpec("P")
R = TypeVar("R")
# Seconds before each new try of loading a source that did not answer (a hiccup of a network
# share or web server): three more tries over about two and a half minutes.
LOAD_RETRY_SECONDS: tuple[float, ...] = (5.0, 30.0, 120.0)
log = logging.getLogger(__name__)


def now() -> datetime:
    """The time now in Europe/Helsinki: read once by each flow at its start (and by the approval
    while it waits, which is about time passing)."""
    return datetime.now(HELSINKI)


def in_flow_run() -> bool:
    """Whether this code runs inside a Prefect flow run (never imports Prefect to find out)."""
    context = sys.modules.get("prefect.context")
    return context is not None and context.FlowRunContext.get() is not None


def in_deployment_run() -> bool:
    """Whether this code runs in a flow run of a deployment (started from the UI, a schedule or
    the API), where people see parameters, not command-line options."""
    context = sys.modules.get("prefect.context")
    run = context.FlowRunContext.get() if context is not None else None
    return bool(run and run.flow_run and run.flow_run.deployment_id)


def step(name: str, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """Call `fn(*args, **kwargs)`: as the Prefect task `name` in a flow run, else directly."""
    if not in_flow_run():
        return fn(*args, **kwargs)
    return cast(R, _task(name, fn)(*args, **kwargs))


@cache
def _task(name: str, fn: Callable[..., Any]) -> Task[..., Any]:
    from prefect import task
    from prefect.cache_policies import NO_CACHE

    return task(name=name, cache_policy=NO_CACHE, persist_result=False)(fn)


def step_retried(name: str, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """`step`, tried again after `LOAD_RETRY_SECONDS` while it raises `SourceUnavailable`: as a
    Prefect task with retries in a flow run (the run's log shows each retry), a loop elsewhere."""
    delays = LOAD_RETRY_SECONDS
    if in_flow_run():
        return cast(R, _retried_task(name, fn, delays)(*args, **kwargs))
    for attempt, delay in enumerate((*delays, None), start=1):
        try:
            return fn(*args, **kwargs)
        except SourceUnavailable as exc:
            if delay is None:
                raise
            log.warning(
                "%s: %s; try %d of %d in %g s", name, exc, attempt + 1, len(delays) + 1, delay
            )
            time.sleep(delay)
    raise AssertionError("unreachable")


@cache
def _retried_task(name: str, fn: Callable[..., Any], delays: tuple[float, ...]) -> Task[..., Any]:
    from prefect import task
    from prefect.cache_policies import NO_CACHE

    return task(
        name=name,
        cache_policy=NO_CACHE,
        persist_result=False,
        retries=len(delays),
        retry_delay_seconds=list(delays),
        retry_condition_fn=_unavailable,
    )(fn)


def _unavailable(task: Task[..., Any], run: TaskRun, state: State[Any]) -> bool:
    """Retry a load only when its source could not be reached (say so in the run's log)."""
    error = state.result(raise_on_failure=False)
    if not isinstance(error, SourceUnavailable):
        return False
    from prefect import get_run_logger

    get_run_logger().warning("%s: %s; trying again (%s)", task.name, error, run.name)
    return True
