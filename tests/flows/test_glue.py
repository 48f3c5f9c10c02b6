"""The flows' glue without a Prefect server: outcomes, artifacts, forms, failure advice.

Contract: each outcome ends in a named state whose one-line message names the period and the
recipients; the indicator summary shows names, formatted values and status words; the findings
table shows where and who, never cell values or comments; the manual form is flat and refuses
a period with an as-of date; the approval form describes the decision and each field; the
failure mail's advice follows the kind of error and quotes only our own or Prefect's text.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from uuid import uuid4

import pytest
from prefect.client.schemas.objects import FlowRun
from prefect.exceptions import FailedRun
from prefect.states import Failed
from prefect.utilities.callables import parameter_schema

from flows.approval import form
from flows.artifacts import finding_rows, outcome_markdown, summary_markdown
from flows.hooks import failure_kind, failure_reason, mail_failure
from flows.manual import manual_choice, manual_report_flow
from flows.outcome import ReportOutcome, in_doubt_note
from schemas.approval import PendingApproval
from schemas.errors import ConfigError, DeliveryError, InputError
from schemas.mail import Message, PartialDeliveryError
from schemas.periods import resolve_as_of
from tasks.deliver import Delivery, Dispatch
from tests.support.indicators import example_findings, example_indicators
from tests.support.net import free_port
from tests.support.project import sample_project

GROUP = ("sg1@example.org", "sg2@example.org")


def _message() -> Message:
    return Message(GROUP, "D9-tilannekuva 1/2018", "<p>x</p>", "x", "d9@example.org")


def test_outcomes_end_in_named_states_naming_period_and_recipients() -> None:
    held = ReportOutcome.held("2018H1", GROUP, None, by_default=True)
    assert held.state_name == "Held" and held.exit_code == 0
    assert held.summary == (
        "report 2018H1 held by default (no answer by the approval deadline); "
        "not sent to sg1@example.org, sg2@example.org"
    )
    sent = ReportOutcome.delivered("2018H1", Dispatch(GROUP, (), None), None)
    assert sent.summary == "report 2018H1 sent to sg1@example.org, sg2@example.org"
    again = ReportOutcome.delivered("2018H1", Dispatch((), GROUP, None), None)
    assert again.state_name == "AlreadySent"
    state = sent.final_state()
    assert (state.name, state.message, state.is_completed()) == ("Sent", sent.summary, True)
    blocked = ReportOutcome.blocked("2018H1", example_findings()[:1], None, "lead@x.org", GROUP)
    assert blocked.state_name == "Blocked" and blocked.exit_code == 1
    assert blocked.summary.startswith("report 2018H1 blocked (not sent to sg1@example.org, sg2")


def test_a_claim_in_doubt_says_whether_its_run_still_runs() -> None:
    at = datetime(2018, 7, 2, 10, 32, tzinfo=UTC)
    claimed = (Delivery("report", "2018H1", GROUP[0], "", "", None, "sending", at, "w1:4242"),)
    said = {r: in_doubt_note(claimed, running=lambda _by, r=r: r) for r in (True, False, None)}
    for note in said.values():
        assert note.startswith("; not sent to sg1@example.org (claimed by w1:4242 at 10.32 on 2.7")
        assert note.endswith("); use --force to send again")
    assert "still running: being sent by another run" in said[True]
    assert (
        "that run stopped before recording the delivery: it may have been delivered"
        in (said[False])
    )
    assert "being sent by another run, or that run stopped" in said[None]
    # Through the outcome: a claim from another host cannot be asked, and nothing was sent.
    claimed_elsewhere = Dispatch((), (), None, claimed)
    outcome = ReportOutcome.delivered("2018H1", claimed_elsewhere, None)
    assert outcome.state_name == "Claimed" and outcome.exit_code == 0
    assert outcome.summary == f"report 2018H1: nothing sent{said[None]}"


def test_indicator_summary_has_names_formatted_values_and_status_words() -> None:
    fi = summary_markdown(example_indicators(), "fi").splitlines()
    assert fi[0] == "### 30.6.2018"
    assert "| Toteutetut toimeksiannot | 38 | 50 | aikataulussa |" in fi
    assert (
        "| Toimeksiannot, joiden vaikutukset on kuvattu | 97\u00a0% | 100\u00a0% "
        "| lähellä tavoitetta |" in fi
    )
    assert (
        "| Herätysten ja kokeilujen palautteen keskiarvo | 3,96 | 4,00 | lähellä tavoitetta |" in fi
    )
    en = summary_markdown(example_indicators(), "en")
    assert (
        "| Engagements with life path and ecosystem recorded | 80% | 100% | behind the target |"
        in en
    )
    final = summary_markdown(example_indicators(), "fi", final=True).splitlines()
    assert "| Toteutetut toimeksiannot | 38 | 50 | ei saavutettu |" in final  # at the deadline


def test_findings_table_says_where_and_who_never_what() -> None:
    rows = finding_rows(example_findings())
    assert rows[0] == {
        "sheet": "Toimeksiannot",
        "row": 5,
        "column": "Elämänpolku",
        "rule": "expected",
        "severity": "warning",
        "owner": "anna@example.org",
    }
    assert rows[3]["owner"] == "-"


def test_outcome_artifact_names_files_as_text_not_links() -> None:
    outcome = ReportOutcome("sent", "2018H1", "report 2018H1 sent", ("/w/outbox/r.html",))
    assert outcome_markdown(outcome) == "**Sent**: report 2018H1 sent\n\n- `/w/outbox/r.html`"


def test_manual_form_is_flat() -> None:
    props = parameter_schema(manual_report_flow).model_dump()["properties"]
    assert list(props) == ["period", "as_of", "language", "to", "dry_run", "force"]
    assert all("anyOf" not in p and "type" in p for p in props.values())
    assert props["period"]["pattern"] and props["as_of"]["examples"] == ["2018-03-31"]
    assert "format" not in props["as_of"]  # ISO text, not the UI's mm/dd/yyyy picker
    assert "viimeisin päättynyt puolivuosi" in props["period"]["description"]
    assert props["dry_run"]["default"] is True


def test_manual_choice_reads_the_form_and_refuses_both() -> None:
    assert manual_choice(" 2018h1 ", "") == ("2018h1", None)
    assert manual_choice("", "2018-03-31") == (None, date(2018, 3, 31))
    assert manual_choice("", "") == (None, None)
    with pytest.raises(ConfigError, match="not both"):
        resolve_as_of("2018H1", date(2018, 3, 31), date(2026, 11, 27))


def test_approval_form_describes_the_decision_and_each_field() -> None:
    deadline = datetime(2027, 1, 5, 8, 0, tzinfo=timezone(timedelta(hours=2)))
    pending = PendingApproval("r1", "2018H1", "fi", _message(), deadline, default_send=False)
    model = form(pending)
    assert model._description == (
        "**Lähetetäänkö raportti 2018H1 seurantaryhmälle?** Vastaanottajat: sg1@example.org, "
        "sg2@example.org. Valitse *Lähetä* ja vahvista, tai jätä se pois pidättääksesi raportin. "
        "Jos kukaan ei vastaa 5.1.2027 klo 8.00 mennessä, raportti jää oletuksena lähettämättä."
    )
    fields = model.model_json_schema()["properties"]
    assert fields["send"]["title"] == "Lähetä" and fields["send"]["default"] is False
    assert "pidätetään" in fields["send"]["description"]
    assert "lokiin" in fields["note"]["description"]
    # The lead's review for the top of the report: optional, Markdown, replaces the file's.
    assert fields["commentary"]["title"] == "Tiimin vetäjän katsaus"
    assert fields["commentary"]["default"] == ""
    assert "korvaa asetuksissa nimetyn katsaustiedoston" in fields["commentary"]["description"]


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (ConfigError("x"), "ConfigError"),
        (InputError("x"), "InputError"),
        (PartialDeliveryError("x", receipt=None, refused=()), "DeliveryError"),  # type: ignore[arg-type]
        (DeliveryError("x"), "DeliveryError"),
        (ValueError("secret"), "other"),
        (None, "other"),
    ],
    ids=["config", "input", "partial-delivery", "delivery", "foreign", "none"],
)
def test_failure_advice_follows_the_kind_of_error(exc: BaseException | None, kind: str) -> None:
    assert failure_kind(exc) == kind


def test_failure_reason_quotes_only_our_own_or_prefects_text() -> None:
    assert failure_reason(InputError("not found", file="a.xlsx"), "", "fi") == "a.xlsx: not found"
    assert failure_reason(ValueError("pw=hunter2"), "boom pw=hunter2", "fi") == (
        "odottamaton virhe (ValueError)"
    )
    paused = failure_reason(FailedRun(), "The flow was paused and never resumed.", "en")
    assert paused == "The flow was paused and never resumed."


@pytest.mark.slow
@pytest.mark.integration  # the run logger ships to the test harness's API
def test_a_failure_hook_that_cannot_send_says_so_and_fails(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    closed = free_port()  # nothing listens there
    config = sample_project(tmp_path, smtp_port=closed, extra="attempts = 1\ntimeout_seconds = 2\n")
    flow = SimpleNamespace(name="d9-nightly-check")
    run = FlowRun(flow_id=uuid4(), name="calm-fox", parameters={"config": str(config)})
    state = Failed(data=InputError("file not found", file="seuranta.xlsx"))
    with caplog.at_level(logging.ERROR), pytest.raises(DeliveryError):
        mail_failure(flow, run, state)
    assert "could not send the failure notice" in caplog.text


def test_a_delivery_in_doubt_ends_failed_named_in_doubt_and_exits_4() -> None:
    from flows.doubt import Told
    from schemas.mail import DeliveryState

    at = datetime(2018, 7, 2, 10, 32, tzinfo=UTC)
    unsure = Delivery(
        "report", "2018H1", "sg2@example.org", "<m@x>", "d", None, DeliveryState.UNSURE, at, "h:1"
    )
    done = Dispatch(GROUP[:1], (), None, (unsure,), "SMTP x:25: connection failed (timed out)")
    told = Told("lead@example.org", ("sg2@example.org",))
    outcome = ReportOutcome.in_doubt("2018H1", done, None, (unsure,), told)

    assert (outcome.state_name, outcome.exit_code) == ("InDoubt", 4)
    assert outcome.summary == (
        "report 2018H1: sent to sg1@example.org; may have been delivered to sg2@example.org, "
        "nobody can tell (SMTP x:25: connection failed (timed out)); not sent again (check with "
        "them, then use --force to send again); the team lead (lead@example.org) was told and "
        "decides"
    )
    state = outcome.final_state()
    assert (state.name, state.is_failed(), state.message) == ("InDoubt", True, outcome.summary)


@pytest.mark.slow
@pytest.mark.integration  # the run logger ships to the test harness's API
def test_the_failure_hook_sends_nothing_for_a_run_in_doubt(tmp_path: Path) -> None:
    from flows.doubt import Told

    config = sample_project(tmp_path)  # no SMTP host: a notice would land in the outbox
    flow = SimpleNamespace(name="d9-report")
    run = FlowRun(flow_id=uuid4(), name="calm-fox", parameters={"config": str(config)})
    outcome = ReportOutcome.in_doubt("2018H1", Dispatch((), (), None), None, (), Told("l@x.org"))
    mail_failure(flow, run, outcome.final_state())  # type: ignore[arg-type]
    assert not (tmp_path / "state" / "outbox").exists()
