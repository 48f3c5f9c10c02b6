"""Run a stage call as a Prefect task inside a flow run, and as a plain call everywhere else.

The pipelines (`flows.pipeline`) call the stage functions through `step`, so the same code
runs on a Prefect worker (each step a task in the run's graph, with its own state and log)
and on the command line without a Prefect API (nothing of Prefect imported: no temporary
API server, no seconds of import). Results are not persisted and never cached: every run
reads the spreadsheets anew. No step is retried here: the mailer retries transient SMTP
failures itself, and a bad cell does not get better by waiting.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

from schemas.periods import HELSINKI

if TYPE_CHECKING:
    from prefect import Task

P = ParamSpec("P")
R = TypeVar("R")


def now() -> datetime:
    """The time now in Europe/Helsinki: read once by each flow at its start (and by the approval
    while it waits, which is about time passing)."""
    return datetime.now(HELSINKI)


def in_flow_run() -> bool:
    """Whether this code runs inside a Prefect flow run (never imports Prefect to find out)."""
    context = sys.modules.get("prefect.context")
    return context is not None and context.FlowRunContext.get() is not None


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
