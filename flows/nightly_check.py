"""The nightly data-quality check, as a Prefect flow.

load → validate (Data Docs into the state folder) → store findings → publish a summary
→ if the findings changed since last night: mail each owner their own, and the team lead a summary
→ the summary also lists each engagement new since last night with its three most similar past
  engagements and their owners (sent for those alone when the findings did not change).
"""

from __future__ import annotations

from prefect import flow

from flows import duty_steps, steps
from flows.hooks import mail_failure
from flows.outcome import CheckOutcome


@flow(name="d9-nightly-check", log_prints=True, persist_result=False, on_failure=[mail_failure])
def nightly_check_flow(config: str | None = None, notify: bool = True) -> CheckOutcome:
    """Check the shared spreadsheets and nudge the people who keep them.

    Args:
        config: path of the TOML configuration (default: $D9_CONFIG or the bundled file).
        notify: mail owners and the team lead when the findings changed since the last run.
    """
    settings = steps.read_settings(config)
    inputs = steps.load(settings)
    validation = steps.check(inputs, settings, settings.state_dir / "data-docs")
    changed = steps.write_findings(validation.findings, settings)
    steps.publish_findings(validation, settings)
    newcomers = duty_steps.newcomers(inputs, settings) if notify else ()
    sent: tuple[str, ...] = ()
    if notify and (changed or newcomers):
        sent = steps.nudge(validation.findings, settings, newcomers, owners=changed)
    if notify:
        duty_steps.remember_engagements(inputs, settings)
    return CheckOutcome.of(validation, changed, sent)
