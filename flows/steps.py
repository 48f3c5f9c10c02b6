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

from prefect import Task, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows import artifacts, messages, plain
from schemas.approval import PendingApproval
from schemas.findings import ValidationReport
from schemas.mail import DeliveryReceipt
from schemas.settings import Settings
from schemas.tables import Inputs
from tasks.deliver import mailer_for

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
publish_summary = _task("publish summary")(artifacts.publish_summary)
publish_outcome = _task("publish outcome")(artifacts.publish_outcome)
tell_blocked = _task("tell the team lead: blocked")(plain.tell_blocked)
preview = _task("write preview")(plain.preview)
send_preview = _task("send preview")(plain.send_preview)
anyone_left = _task("check delivery ledger")(plain.anyone_left)
deliver = _task("deliver report")(plain.deliver)
write_findings = _task("write findings")(plain.write_findings)
nudge = _task("nudge owners")(plain.nudge)


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
def publish_findings(validation: ValidationReport, data_docs: str = "") -> None:
    artifacts.publish_findings(validation.findings, data_docs)


@_task("tell the team lead: approval default")
def tell_default(pending: PendingApproval, settings: Settings, sent: bool) -> DeliveryReceipt:
    message = messages.default_message(pending, settings, sent)
    return mailer_for(settings, settings.smtp_password()).send(message)


@_task("check mail settings")
def warn_without_smtp(settings: Settings) -> bool:
    """Warn in a deployment's run log when mail would only land in the worker's outbox folder."""
    from prefect.runtime import deployment

    if settings.smtp.host or deployment.id is None:
        return False
    get_run_logger().warning(
        "no SMTP host in %s: mail goes to the outbox folder %s on this worker, not to people "
        "(set D9_CONFIG in the worker's environment to the real configuration)",
        settings.config_path,
        settings.state_dir / "outbox",
    )
    return True
