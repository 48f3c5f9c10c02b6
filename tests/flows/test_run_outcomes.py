"""What a run says it did, as the Prefect UI shows it: the approver's note in the report's
outcome, the nightly run's named state and who it mailed and why, the `force` hint worded for
where the reader is (the UI's form or the command line)."""

from __future__ import annotations

import pytest

from flows import outcome
from flows.artifacts import nudge_rows
from flows.check_outcome import CheckOutcome, Nudge, nudges_of
from flows.outcome import ReportOutcome
from schemas.findings import ValidationReport
from tasks.deliver import Dispatch
from tests.support.indicators import example_findings

GROUP = ("sg1@example.org", "sg2@example.org")
LEAD = "lead@example.org"


def test_the_approvers_note_ends_the_summary() -> None:
    held = ReportOutcome.held("2018H1", GROUP, None, note="Odotetaan\nkorjauksia ")
    assert held.summary == (
        "report 2018H1 held: not approved; not sent to sg1@example.org, sg2@example.org; "
        'note: "Odotetaan korjauksia"'
    )
    sent = ReportOutcome.delivered("2018H1", Dispatch(GROUP, (), None), None, note="Hyvä")
    assert sent.summary == 'report 2018H1 sent to sg1@example.org, sg2@example.org; note: "Hyvä"'
    assert ReportOutcome.held("2018H1", GROUP, None).summary.endswith("sg2@example.org")


def test_a_cancelled_approval_says_nothing_was_sent() -> None:
    cancelled = ReportOutcome.cancelled("2018H1", GROUP, LEAD)
    assert (cancelled.state_name, cancelled.exit_code) == ("Cancelled", 0)
    assert cancelled.summary.startswith(
        "report 2018H1: the run waiting for approval was cancelled; not sent to sg1@example.org"
    )


def test_who_was_nudged_and_why() -> None:
    findings = example_findings()  # three of anna@'s, two without an owner (the lead's)
    nudges = nudges_of(findings, ("anna@example.org",), LEAD, newcomers=1)
    assert nudges == (
        Nudge("anna@example.org", "own findings changed since last night: 0 blocking, 3 warnings"),
        Nudge(
            LEAD,
            "team lead's summary: 0 blocking, 5 warnings; "
            "1 new engagement(s) with their most similar ones",
        ),
    )
    assert nudges_of((), (), LEAD) == ()


@pytest.mark.parametrize(
    ("changed", "nudges", "notify", "name", "tail"),
    [
        (True, (Nudge("a@x.org", "own"), Nudge(LEAD, "sum")), True, "Nudged",
         "findings changed since last night; mailed a@x.org, lead@example.org"),
        (False, (), True, "NoChanges", "no changes since last night; nobody mailed"),
        (True, (), False, "Checked", "findings changed since last night; nudges off"),
    ],
)  # fmt: skip
def test_the_nightly_state_is_named_for_what_it_did(
    changed: bool, nudges: tuple[Nudge, ...], notify: bool, name: str, tail: str
) -> None:
    report = ValidationReport(tuple(example_findings()))
    checked = CheckOutcome.of(report, changed, (), nudges, notify)
    assert checked.state_name == name
    assert checked.summary == f"nightly check: 0 blocking, 5 warnings; {tail}"
    state = checked.final_state()
    assert (state.name, state.message, state.is_completed()) == (name, checked.summary, True)
    assert nudge_rows(checked) == (
        [{"to": n.to, "why": n.why} for n in nudges] or [{"to": "-", "why": checked.summary}]
    )


@pytest.mark.parametrize(
    ("deployed", "hint"),
    [(True, "(run again with Lähetä uudelleen (the parameter force) on to send again)"),
     (False, "(use --force to send again)")],
)  # fmt: skip
def test_the_force_hint_fits_where_it_is_read(
    monkeypatch: pytest.MonkeyPatch, deployed: bool, hint: str
) -> None:
    monkeypatch.setattr(outcome, "in_deployment_run", lambda: deployed)
    again = ReportOutcome.delivered("2018H1", Dispatch((), GROUP, None), None)
    assert again.summary.endswith(f"nothing sent {hint}")
