"""Prefect tasks around the steps of `flows.plain`: one line each, typed.

Only the edges that talk to the outside world could be retried; the mailer already retries
transient SMTP failures itself, so no Prefect retries are stacked on top of it, and loading,
validation and computation are never retried (a bad cell does not get better by waiting).
Caching is off: every run reads the spreadsheets anew.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import ParamSpec, TypeVar

from prefect import Task, task
from prefect.cache_policies import NO_CACHE

from flows import artifacts, plain
from schemas.findings import ValidationReport
from schemas.settings import Settings
from schemas.tables import Inputs

RECIPIENTS_VARIABLE = "d9_report_recipients"
P = ParamSpec("P")
R = TypeVar("R")


def _task(name: str) -> Callable[[Callable[P, R]], Task[P, R]]:
    return task(name=name, cache_policy=NO_CACHE, persist_result=False)


read_settings = _task("read settings")(plain.read_settings)
load = _task("load spreadsheets")(plain.load)
indicators = _task("compute indicators")(plain.indicators)
counted = _task("count findings on the rows used")(plain.counted)
stored_report = _task("read stored report")(plain.stored_report)
remember = _task("store history")(plain.remember)
trends = _task("read trends")(plain.trends)
render = _task("render report")(plain.render)
pdf = _task("render PDF")(plain.pdf)
appendix = _task("build appendix")(plain.appendix)
compose_report = _task("compose message")(plain.compose_report)
publish_indicators = _task("publish indicators")(artifacts.publish_indicators)
tell_blocked = _task("tell the team lead: blocked")(plain.tell_blocked)
preview = _task("write preview")(plain.preview)
send_preview = _task("send preview")(plain.send_preview)
anyone_left = _task("check delivery ledger")(plain.anyone_left)
deliver = _task("deliver report")(plain.deliver)
write_findings = _task("write findings")(plain.write_findings)
nudge = _task("nudge owners")(plain.nudge)
link = artifacts.link  # a markdown artifact of the flow run itself, not a task


@_task("validate")
def check(
    inputs: Inputs,
    settings: Settings,
    data_docs_dir: Path | None = None,
    today: date | None = None,
) -> ValidationReport:
    """Great Expectations, the validator of record, in the flows (Data Docs need it)."""
    return plain.check(inputs, settings, data_docs_dir, today, engine="gx")


@_task("resolve recipients")
def recipients(to: list[str] | None, settings: Settings) -> list[str]:
    from prefect.variables import Variable  # the API is asked only when no --to was given

    variable = None if to else Variable.get(RECIPIENTS_VARIABLE, default=None)
    return plain.recipients(to, settings, variable)


@_task("publish findings")
def publish_findings(validation: ValidationReport, settings: Settings) -> None:
    artifacts.publish_findings(validation, settings.state_dir / "data-docs")
