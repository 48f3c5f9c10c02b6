"""The Prefect UI as the team lead's cockpit, on a real server with a process worker.

Contract: cancelling a report that waits for approval leaves no debris (the outcome artifact on
the cancelled run, a mail to the lead "peruttu, raporttia ei lähetetty", the approval record
closed, no deadline run left); answering deletes the deadline run too, and the approver's note
is in the run's log, its state message and its outcome artifact; the run log says what the run
decided (preview sent to whom, waiting until when, the default); the half-yearly and nightly
forms are flat, Finnish and without internals; a nightly run ends "Nudged" or "NoChanges" with
an artifact saying who was mailed and why, its own findings artifact and a link to Data Docs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import CHECKOUT
from tests.support.prefect_api import PrefectApi, prefect, worker
from tests.support.prefect_server import prefect_server
from tests.support.project import sample_project
from tests.support.smtp import SmtpServer, running_smtp_server
from tests.support.state import approvals

# Each test starts a worker and one to three flow runs of several minutes on a loaded machine.
pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.timeout(900)]

REPORT = "d9-report/half-yearly-report"
NIGHTLY = "d9-nightly-check/nightly-check"
DEADLINE = "d9-approval-deadline/approval-deadline"
CANCELLED = "d9-approval-cancelled/approval-cancelled"
GROUP = ("sg1@example.org", "sg2@example.org")
LEAD = ("lead@example.org",)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A Prefect server with prefect.yaml deployed (automations included) and the d9-pool."""
    with prefect_server(tmp_path_factory.mktemp("prefect-home")) as env:
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
    with running_smtp_server("none") as smtp_server:
        yield smtp_server


def _worker_env(env: dict[str, str], config: Path) -> dict[str, str]:
    return {
        **env,
        "D9_CONFIG": str(config),
        "PREFECT_LOGGING_LEVEL": "INFO",
        "PREFECT_WORKER_QUERY_SECONDS": "2",
    }


def _to(smtp: SmtpServer, rcpt: tuple[str, ...]) -> list[Any]:
    return [m for m in smtp.messages if tuple(sorted(m.rcpt_tos)) == rcpt]


def _deadline_runs(api: PrefectApi, run: str) -> list[dict[str, Any]]:
    return [r for r in api.runs_of(DEADLINE) if r["parameters"]["flow_run_id"] == run]


def _artifacts(api: PrefectApi, run: str) -> dict[str, dict[str, Any]]:
    body = {"artifacts": {"flow_run_id": {"any_": [run]}}}
    response = api.client.post("/artifacts/filter", json=body)
    response.raise_for_status()
    return {a["key"]: a for a in response.json() if a["key"]}


def _waiting(api: PrefectApi, run: str) -> str:
    """Wait until the run is suspended for approval; return its deadline run's id."""
    api.wait(run, lambda s: s["type"] == "PAUSED")
    [deadline] = _deadline_runs(api, run)
    assert deadline["state"]["type"] == "SCHEDULED"
    return str(deadline["id"])


def _gone(api: PrefectApi, run: str) -> bool:
    return api.client.get(f"/flow_runs/{run}").status_code == 404


def test_the_forms_are_flat_finnish_and_without_internals(api: PrefectApi) -> None:
    report = api.deployment(REPORT)["parameter_openapi_schema"]["properties"]
    assert set(report) == {
        "period", "as_of", "language", "to", "dry_run", "force", "require_approval"
    }  # fmt: skip
    assert report["period"]["title"] == "Puolivuosi" and report["as_of"]["title"] == "Tilannepäivä"
    assert report["require_approval"]["default"] is True
    nightly = api.deployment(NIGHTLY)["parameter_openapi_schema"]["properties"]
    assert set(nightly) == {"notify"} and nightly["notify"]["title"] == "Lähetä muistutukset"
    for props in (report, nightly):
        assert not [n for n, p in props.items() if "anyOf" in p or "format" in p], props


def test_cancelling_a_waiting_approval_leaves_no_debris(
    server: dict[str, str], api: PrefectApi, smtp: SmtpServer, tmp_path: Path
) -> None:
    config = sample_project(tmp_path, smtp_port=smtp.port, report="approval_timeout_hours = 2\n")
    with worker(_worker_env(server, config), tmp_path / "worker.log"):
        run = api.run(REPORT, {"period": "2018H1"})
        deadline = _waiting(api, run)
        api.wait_log(run, lambda _n, line: line.startswith("preview of report 2018H1 sent to"))
        response = api.client.post(
            f"/flow_runs/{run}/set_state", json={"state": {"type": "CANCELLING"}}
        )
        response.raise_for_status()  # what the UI's Cancel button asks
        assert api.wait_final(run)["type"] == "CANCELLED"
        [closer] = api.wait_until(lambda: [
            r for r in api.runs_of(CANCELLED)
            if r["parameters"]["flow_run"].endswith(run) and r["state"]["type"] == "COMPLETED"
        ])  # fmt: skip
    assert closer["state"]["name"] == "Closed"
    [notice] = _to(smtp, LEAD)[1:]  # after the preview
    assert (
        notice.parsed()["Subject"] == "D9-tilannekuva 2018H1: ajo peruttu, raporttia ei lähetetty"
    )
    assert not _to(smtp, GROUP)
    record = approvals(tmp_path / "state")[run]
    assert record["cancelled"] is True and record["decision"]["send"] is False
    assert _gone(api, deadline) and not _deadline_runs(api, run)
    outcome = _artifacts(api, run)["d9-report-outcome"]
    assert "was cancelled; not sent to sg1@example.org, sg2@example.org" in outcome["data"]
    api.wait_log(run, lambda _name, line: line.startswith("preview of report 2018H1"))
    [line] = [line for _, line in api.logs(run) if line.startswith("preview of report 2018H1")]
    assert line.startswith("preview of report 2018H1 sent to lead@example.org; waiting for")
    assert line.endswith("default then: hold (not sent) to sg1@example.org, sg2@example.org")


def test_answering_deletes_the_deadline_run_and_keeps_the_note(
    server: dict[str, str], api: PrefectApi, smtp: SmtpServer, tmp_path: Path
) -> None:
    config = sample_project(tmp_path, smtp_port=smtp.port, report="approval_timeout_hours = 2\n")
    with worker(_worker_env(server, config), tmp_path / "worker.log"):
        run = api.run(REPORT, {"period": "2018H1"})
        deadline = _waiting(api, run)
        api.resume(run, {"send": False, "note": "Odotetaan korjauksia"})
        final = api.wait_final(run)
    assert (final["type"], final["name"]) == ("COMPLETED", "Held"), final
    assert final["message"].endswith('; note: "Odotetaan korjauksia"')
    assert _gone(api, deadline) and not _deadline_runs(api, run)
    assert 'note: "Odotetaan korjauksia"' in _artifacts(api, run)["d9-report-outcome"]["data"]
    answer = "approval of report 2018H1: hold; note: Odotetaan korjauksia"  # logs come in batches
    api.wait_log(run, lambda _name, line: line == answer)
    api.wait_log(
        run, lambda _name, line: line == f"deadline run {deadline} of report 2018H1 deleted"
    )
    assert not _to(smtp, GROUP)


def test_nightly_runs_say_who_was_nudged_or_that_nothing_changed(
    server: dict[str, str], api: PrefectApi, smtp: SmtpServer, tmp_path: Path
) -> None:
    config = sample_project(tmp_path, smtp_port=smtp.port)
    with worker(_worker_env(server, config), tmp_path / "worker.log"):
        first = api.run(NIGHTLY, {})
        nudged = api.wait_final(first, timeout=300)
        second = api.run(NIGHTLY, {})
        quiet = api.wait_final(second, timeout=300)
    assert (nudged["type"], nudged["name"]) == ("COMPLETED", "Nudged"), nudged
    assert (quiet["type"], quiet["name"]) == ("COMPLETED", "NoChanges"), quiet
    assert quiet["message"].endswith("no changes since last night; nobody mailed")
    api.wait_log(second, lambda _name, line: line == "no changes since last night: nobody nudged")
    made = _artifacts(api, first)
    assert {"d9-nightly-findings", "d9-nightly-nudges", "d9-data-docs"} <= set(made)
    assert "d9-findings" not in made and "d9-report-findings" not in made
    rows = made["d9-nightly-nudges"]["data"]
    mailed = {m.rcpt_tos[0] for m in smtp.messages}
    assert all(address in rows for address in mailed) and "own findings changed" in rows
    assert "team lead's summary" in rows
    docs = (tmp_path / "state" / "data-docs" / "index.html").resolve().as_uri()
    assert made["d9-data-docs"]["data"] == f"[Data Docs]({docs})"
