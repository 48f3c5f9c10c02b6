"""The nightly data-quality check, as a Prefect flow: `flows.jobs.nightly_check`, each stage a
task of the run.

load → validate (Data Docs into the state folder) → store findings → publish a summary
→ if the findings changed since last night: mail each owner whose own findings
  changed, and the team lead a summary naming who was nudged
→ the summary also lists each engagement new since last night with its three most similar past
  engagements and their owners (sent for those alone when the findings did not change).
"""

from __future__ import annotations

from typing import cast

from prefect import flow, get_run_logger

from flows import artifacts, jobs
from flows.check_outcome import CheckOutcome
from flows.form import Notify
from flows.hooks import mail_failure
from flows.logs import project_logs_to_run_log
from flows.report import warn_without_smtp
from flows.run import now, step
from flows.run_end import mail_cancelled, mail_crashed
from schemas.request import Run, Validator
from schemas.settings import load_settings
from tasks.statedb import open_store


@flow(
    name="d9-nightly-check",
    log_prints=True,
    persist_result=False,
    on_failure=[mail_failure],
    on_crashed=[mail_crashed],
    on_cancellation=[mail_cancelled],
)
def nightly_check_flow(config: str | None = None, notify: bool = True) -> CheckOutcome:
    """Check the shared spreadsheets and nudge the people who keep them.

    Args:
        config: path of the TOML configuration (default: $D9_CONFIG or the bundled file).
        notify: mail owners and the team lead when the findings changed since the last run.
    """
    project_logs_to_run_log()
    settings = load_settings(config)
    warn_without_smtp(settings)
    run = Run(settings, now(), Validator.GX)
    outcome = jobs.nightly_check(run, open_store(settings), notify)
    get_run_logger().info(outcome.summary)
    step("publish nudges", artifacts.publish_nudges, outcome)
    # A returned State is the run's final state ("Nudged", "NoChanges"); callers get its data.
    return cast(CheckOutcome, outcome.final_state())


@flow(
    name="d9-nightly-check",
    log_prints=True,
    persist_result=False,
    on_failure=[mail_failure],
    on_crashed=[mail_crashed],
    on_cancellation=[mail_cancelled],
)
def scheduled_nightly_check_flow(notify: Notify = True) -> CheckOutcome:
    """The nightly check as the deployment runs it: the configuration from $D9_CONFIG.

    Args:
        notify: mail owners and the team lead when the findings changed since the last run.
    """
    return nightly_check_flow.fn(None, notify)
