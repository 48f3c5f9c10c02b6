"""prefect.yaml on a real Prefect server with process workers, as the team lead lives with it.

Contract: `prefect deploy --all` accepts prefect.yaml and makes the four deployments (schedules in
Europe/Helsinki). A scheduled report waiting for approval holds no process: its worker can be
killed, a new one started, and the lead's approval sends the report once, with no second
preview. Nobody answering ends the run Completed by the configured default, and the lead is
told. Every run ends in a named state whose message names the period and the recipients, and
the project's own log lines reach the run's log. The manual form is flat, and a period with an
as-of date is refused with one clear line (and a failure mail with advice and the run's link).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from schemas.mail import MailKey
from tasks.deliver.ledger import claims
from tasks.statedb import sqlite_store
from tests.support import CHECKOUT
from tests.support.prefect_api import PrefectApi, kill, prefect, worker
from tests.support.prefect_server import prefect_server
from tests.support.project import sample_project
from tests.support.smtp import SmtpServer, running_smtp_server
from tests.support.state import approvals

pytestmark = [pytest.mark.slow, pytest.mark.integration]

REPORT = "d9-report/half-yearly-report"
MANUAL = "d9-report/manual-report"
DEADLINE = "d9-approval-deadline/approval-deadline"
GROUP = ("sg1@example.org", "sg2@example.org")
LEAD = ("lead@example.org",)
KEY = MailKey("report", "2018H1")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A Prefect server with prefect.yaml deployed and the d9-pool work pool."""
    home = tmp_path_factory.mktemp("prefect-home")
    with prefect_server(home) as env:
        env = {**env, "PWD": str(CHECKOUT)}
        prefect(env, "work-pool", "create", "d9-pool", "--type", "process")
        prefect(env, "--no-prompt", "deploy", "--all")
        yield env


@pytest.fixture
def api(server: dict[str, str]) -> Iterator[PrefectApi]:
    client = PrefectApi(server)
    yield client
    client.close()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with running_smtp_server("none") as server:
        yield server


def _worker_env(env: dict[str, str], config: Path) -> dict[str, str]:
    # INFO: the run log shows the project's own lines; the worker asks for work every 2 s.
    return {
        **env,
        "D9_CONFIG": str(config),
        "PREFECT_LOGGING_LEVEL": "INFO",
        "PREFECT_WORKER_QUERY_SECONDS": "2",
    }


def _to(smtp: SmtpServer, rcpt: tuple[str, ...]) -> list[Any]:
    return [m for m in smtp.messages if tuple(sorted(m.rcpt_tos)) == rcpt]


def _text(message: Any) -> str:
    return str(message.parsed().get_body(("plain",)).get_content())


def test_deployments_and_schedules(server: dict[str, str]) -> None:
    listing = prefect(server, "deployment", "ls")
    for name in ("half-yearly-report", "nightly-check", "manual-report", "approval-deadline"):
        assert name in listing
    for name in ("similar-engagements", "approval-cancelled"):
        assert name in listing
    schedule = prefect(server, "deployment", "inspect", REPORT)
    assert "Europe/Helsinki" in schedule and "0 8 2 1,7 *" in schedule


def test_approval_survives_a_worker_restart_and_sends_once(
    server: dict[str, str], api: PrefectApi, smtp: SmtpServer, tmp_path: Path
) -> None:
    config = sample_project(tmp_path, smtp_port=smtp.port, report="approval_timeout_hours = 1\n")
    env = _worker_env(server, config)
    with worker(env, tmp_path / "worker.log") as first:
        run = api.run(REPORT, {"period": "2018H1"})
        waiting = api.wait(run, lambda s: s["type"] == "PAUSED")
        kill(first)
    assert waiting["name"] == "Suspended"
    [preview] = _to(smtp, LEAD)
    assert preview.parsed()["Subject"].startswith("[Esikatselu] D9-tilannekuva 1.1.–30.6.2018")
    assert f"/runs/flow-run/{run}" in _text(preview)  # the link to the paused run
    assert "sg1@example.org, sg2@example.org" in _text(preview)
    assert not _to(smtp, GROUP)

    with worker(env, tmp_path / "worker.log"):
        api.resume(run, {"send": True, "note": "Hyvä, lähetä."})
        final = api.wait_final(run)
    assert (final["type"], final["name"]) == ("COMPLETED", "Sent"), final
    assert final["message"].startswith("report 2018H1 sent to sg1@example.org, sg2@example.org")
    assert len(_to(smtp, GROUP)) == 1 and len(_to(smtp, LEAD)) == 1  # sent once, one preview
    sent = "report 2018H1 sent to sg1@example.org, sg2@example.org"  # the project's own logger
    api.wait_log(run, lambda name, line: (name, line) == ("tasks.deliver.dispatch", sent))
    logs = api.logs(run)
    assert any("send; note: Hyvä, lähetä." in line for _, line in logs)
    assert any(line == final["message"] for _, line in logs)
    record = approvals(tmp_path / "state")[run]
    assert record["decision"]["note"] == "Hyvä, lähetä." and record["decision"]["send"] is True
    assert record["delivered_to"] == list(GROUP)


def test_unanswered_approval_sends_by_default_and_tells_the_lead(
    server: dict[str, str], api: PrefectApi, smtp: SmtpServer, tmp_path: Path
) -> None:
    # 0.004 h = 14.4 s until the deadline run answers with the default.
    report = 'approval_timeout_hours = 0.004\napproval_default = "send"\n'
    config = sample_project(tmp_path, smtp_port=smtp.port, report=report)
    with worker(_worker_env(server, config), tmp_path / "worker.log"):
        run = api.run(REPORT, {"period": "2018H1"})
        final = api.wait_final(run, timeout=300)
    assert (final["type"], final["name"]) == ("COMPLETED", "Sent"), final
    assert "by default" in final["message"] and "sg1@example.org" in final["message"]
    assert len(_to(smtp, GROUP)) == 1
    preview, notice = _to(smtp, LEAD)
    assert notice.parsed()["Subject"] == (
        "D9-tilannekuva 2018H1: hyväksyntää ei saatu määräaikaan mennessä"
    )
    assert "lähetettiin oletuksen mukaisesti" in _text(notice)
    [deadline_run] = [r for r in api.runs_of(DEADLINE) if r["parameters"]["flow_run_id"] == run]
    assert deadline_run["state"]["name"] == "DefaultApplied"


def test_manual_form_is_flat_and_refuses_period_with_as_of(
    server: dict[str, str], api: PrefectApi, smtp: SmtpServer, tmp_path: Path
) -> None:
    props = api.deployment(MANUAL)["parameter_openapi_schema"]["properties"]
    assert set(props) == {"period", "as_of", "language", "to", "dry_run", "force"}
    assert not [name for name, p in props.items() if "anyOf" in p or "type" not in p]
    assert props["period"]["default"] == "" and "pattern" in props["period"]
    assert props["as_of"]["examples"] == ["2018-03-31"] and "format" not in props["as_of"]
    assert props["language"]["enum"] == ["fi", "en"]
    assert props["dry_run"]["default"] is True and props["force"]["default"] is False

    config = sample_project(tmp_path, smtp_port=smtp.port)
    with worker(_worker_env(server, config), tmp_path / "worker.log"):
        dry = api.run(MANUAL, {"period": "2018H1"})
        both = api.run(MANUAL, {"period": "2018H1", "as_of": "2018-03-31"})
        preview, refused = api.wait_final(dry), api.wait_final(both)
    assert (preview["type"], preview["name"]) == ("COMPLETED", "Preview"), preview
    assert "report 2018H1 for sg1@example.org, sg2@example.org" in preview["message"]
    assert list((tmp_path / "state" / "preview").glob("*.html"))
    assert refused["type"] == "FAILED"
    assert "give a period or an as-of date, not both" in refused["message"]
    [failure] = _to(smtp, LEAD)
    text = _text(failure)
    assert "Tarkista asetustiedosto" in text and f"/runs/flow-run/{both}" in text
    assert not _to(smtp, GROUP)


def test_a_run_killed_while_sending_is_told_and_does_not_stay_running(
    server: dict[str, str], api: PrefectApi, smtp: SmtpServer, tmp_path: Path
) -> None:
    # The defect: a flow process killed mid-send (kill -9, out of memory) ran no hook, nobody was
    # told, and the next run ended green. Now the worker reports the run Crashed, the
    # run-end-notice deployment's trigger fires, and the team lead hears of it within minutes:
    # that the run stopped, and which deliveries are in doubt (once each).
    config = sample_project(tmp_path, smtp_port=smtp.port)
    smtp.data_delay_seconds = 120  # the server holds DATA: the run is killed while sending
    with worker(_worker_env(server, config), tmp_path / "worker.log"):
        run = api.run(MANUAL, {"period": "2018H1", "dry_run": False})
        _until(lambda: smtp.data_started >= 1, 300, "the report never reached DATA")
        [claimed_by] = {d.claimed_by for d in claims(sqlite_store(tmp_path / "state"), KEY, GROUP)}
        os.kill(int(claimed_by.rpartition(":")[2]), signal.SIGKILL)  # the flow's own process
        killed = time.monotonic()
        smtp.data_delay_seconds = 0
        crashed = api.wait(run, lambda s: s["type"] != "RUNNING", timeout=120)
        _until(lambda: len(_to(smtp, LEAD)) >= 2, 300, "the team lead was not told")
        told = time.monotonic() - killed
        time.sleep(5)  # nothing more comes

    assert crashed["type"] == "CRASHED", crashed
    assert told < 300
    subjects = sorted(str(m.parsed()["Subject"]) for m in _to(smtp, LEAD))
    assert subjects == [
        "D9: ajo d9-report pysähtyi kesken (Crashed)",
        "D9: onko raportti 2018H1 perillä? Päätä, lähetetäänkö se uudelleen",
    ]
    stopped = next(m for m in _to(smtp, LEAD) if "pysähtyi" in str(m.parsed()["Subject"]))
    assert f"/runs/flow-run/{run}" in _text(stopped)
    assert "Se oli lähettämässä raporttia" in _text(stopped)
    rows = claims(sqlite_store(tmp_path / "state"), KEY, GROUP)
    assert all(d.notice_at is not None for d in rows)  # a later run does not tell again
    assert len(_to(smtp, GROUP)) <= 1


def _until(condition: Callable[[], bool], timeout: float, failed: str) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(failed)
        time.sleep(0.5)


@pytest.mark.timeout(900)
def test_a_run_whose_worker_is_stopped_does_not_stay_running(
    server: dict[str, str], api: PrefectApi, smtp: SmtpServer, tmp_path: Path
) -> None:
    # The defect: a worker stopped with SIGTERM (a service restart) left its run Running forever.
    # Now either the run's own process reports its end, or its heartbeats stop and the proactive
    # trigger of run-end-notice marks it Crashed; either way the team lead is told, once.
    config = sample_project(tmp_path, smtp_port=smtp.port)
    env = _worker_env(server, config)
    smtp.data_delay_seconds = 120
    with worker(env, tmp_path / "worker.log") as first:
        run = api.run(MANUAL, {"period": "2018H1", "dry_run": False})
        _until(lambda: smtp.data_started >= 1, 300, "the report never reached DATA")
        os.killpg(first.pid, signal.SIGTERM)  # the service manager stops the worker
        first.wait(timeout=60)
        stopped = time.monotonic()
    smtp.data_delay_seconds = 0
    with worker(env, tmp_path / "worker.log"):  # the service comes back
        ended = api.wait(run, lambda s: s["type"] != "RUNNING", timeout=420)
        _until(lambda: _stopped_notices(smtp), 420, "the team lead was not told")
        waited = time.monotonic() - stopped
        time.sleep(5)

    assert ended["type"] in ("CRASHED", "CANCELLED", "FAILED"), ended
    assert waited < 480
    assert len(_stopped_notices(smtp)) == 1
    assert len(_to(smtp, GROUP)) <= 1


def _stopped_notices(smtp: SmtpServer) -> list[Any]:
    return [m for m in _to(smtp, LEAD) if "pysähtyi kesken" in str(m.parsed()["Subject"])]
