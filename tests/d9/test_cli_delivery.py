"""`d9 report` as real processes racing, killed and failing, against a slow SMTP server.

Contract (exactly once): two reports for one period started together — on one state folder, or
on two state folders sharing one PostgreSQL — deliver one copy per recipient; a run killed while
the server holds DATA leaves a claim the next run reports ("may have been delivered … use --force")
instead of sending again; a full disk after the server took the message says "probably
delivered" (exit 5) and the rerun does not send again; --force does.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from schemas.mail import MailKey
from tasks.deliver.ledger import claims
from tasks.statedb import sqlite_store
from tests.support.disk import fill, small_disk
from tests.support.postgres import PASSWORD, Postgres
from tests.support.project import sample_project
from tests.support.smtp import SmtpServer, running_smtp_server

pytestmark = [pytest.mark.slow, pytest.mark.integration]
D9 = str(Path(sys.executable).parent / "d9")
BOARD = ("a@example.org", "b@example.org")
TO = [arg for address in BOARD for arg in ("--to", address)]


@pytest.fixture
def slow_smtp() -> Iterator[SmtpServer]:
    with running_smtp_server("none") as server:
        server.data_delay_seconds = 2.0
        yield server


def _start(config: Path, *extra: str, env: dict[str, str]) -> subprocess.Popen[str]:
    environ = {**os.environ, **env}
    argv = [D9, "report", "--config", str(config), "--period", "2018H1", *TO, *extra]
    return subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environ,
        start_new_session=True,  # killpg reaches everything the run started
    )


def _finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=300)
    return process.returncode, out, err


def _copies(smtp: SmtpServer) -> Counter[str]:
    return Counter(r for m in smtp.messages for r in m.rcpt_tos if r in BOARD)


def test_two_reports_at_once_on_one_state_folder_send_one_copy_each(
    tmp_path: Path, slow_smtp: SmtpServer, prefect_env: dict[str, str]
) -> None:
    config = sample_project(tmp_path, smtp_port=slow_smtp.port)
    runs = [_start(config, env=prefect_env) for _ in (1, 2)]
    results = [_finish(p) for p in runs]

    assert [code for code, _, _ in results] == [0, 0], results
    assert _copies(slow_smtp) == {"a@example.org": 1, "b@example.org": 1}
    rows = claims(sqlite_store(tmp_path / "state"), MailKey("report", "2018H1"), BOARD)
    assert [(d.recipient, d.state) for d in rows] == [(r, "sent") for r in BOARD]
    said = " ".join(out for _, out, _ in results)
    assert "report 2018H1 sent to a@example.org, b@example.org" in said
    assert "already sent" in said or "being sent by another run" in said


def test_two_state_folders_on_one_postgres_send_one_copy_each(
    tmp_path: Path,
    slow_smtp: SmtpServer,
    postgres: Postgres,
    prefect_env: dict[str, str],
) -> None:
    url = postgres.create_database("two_workers")
    extra = f'database_url = "{url}"\n'
    configs = [sample_project(tmp_path / f"worker{n}", smtp_port=slow_smtp.port) for n in (1, 2)]
    for config in configs:
        text = config.read_text(encoding="utf-8").replace('[state]\ndir = "state"\n', "")
        config.write_text(f'{text}[state]\ndir = "state"\n{extra}', encoding="utf-8")
    env = {**prefect_env, "D9_DATABASE_PASSWORD": PASSWORD}
    runs = [_start(c, env=env) for c in configs]
    results = [_finish(p) for p in runs]

    assert [code for code, _, _ in results] == [0, 0], results
    assert _copies(slow_smtp) == {"a@example.org": 1, "b@example.org": 1}
    assert all(not (c.parent / "state" / "state.sqlite").exists() for c in configs)
    assert all(PASSWORD not in out + err for _, out, err in results)


@pytest.mark.timeout(900)  # four runs of the report, two through the Prefect server
def test_a_killed_run_is_reported_not_resent_until_forced(
    tmp_path: Path, prefect_env: dict[str, str]
) -> None:
    with running_smtp_server("none") as smtp:
        config = sample_project(tmp_path, smtp_port=smtp.port)
        smtp.data_delay_seconds = 60
        killed = _start(config, env=prefect_env)
        _wait_for(lambda: smtp.data_started >= 1, killed)
        os.killpg(killed.pid, signal.SIGKILL)
        killed.communicate(timeout=30)  # reaps it and closes its pipes
        smtp.data_delay_seconds = 0
        copies = _copies(smtp)  # the server may still count the dropped transaction

        code, out, err = _finish(_start(config, env=prefect_env))
        assert code == 4, (out, err)  # cron must not see a success: a person decides
        assert "report 2018H1: may have been delivered to a@example.org, b@example.org" in out
        assert "not sent again (check with them, then use --force to send again)" in out
        assert "the team lead (lead@example.org) was told and decides" in out
        assert _copies(smtp) == copies
        assert len(_notices(smtp)) == 1
        notice = _notices(smtp)[0]
        assert "Päätä, lähetetäänkö se uudelleen" in str(notice["Subject"])
        body = notice.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert "a@example.org: lähetys aloitettiin" in body and "pysähtyi kesken" in body
        assert "d9 report --period 2018H1 --force --to a@example.org --to b@example.org" in body

        plain = {"PREFECT_API_URL": ""}  # the same pipeline without the server, for time
        code, out, err = _finish(_start(config, env=plain))  # told once per claim
        assert code == 4 and "was told earlier" in out, (out, err)
        assert len(_notices(smtp)) == 1 and _copies(smtp) == copies

        code, out, err = _finish(_start(config, "--force", env=plain))
        assert code == 0, err
        assert _copies(smtp) == copies + Counter(BOARD)


def test_a_server_answering_the_end_of_data_too_late_gets_one_copy_after_two_runs(
    tmp_path: Path, slow_smtp: SmtpServer
) -> None:
    # The server stores the message but answers after the client's timeout: the defect sent 3
    # copies per run (one per attempt). Now: one copy, no retry, exit 4, the lead told once.
    slow_smtp.data_delay_seconds, slow_smtp.answer_delay_seconds = 0, 2
    config = sample_project(
        tmp_path, smtp_port=slow_smtp.port, extra="timeout_seconds = 0.5\nbackoff_seconds = 0\n"
    )
    plain = {"PREFECT_API_URL": ""}
    code, out, err = _finish(_start(config, env=plain))
    assert code == 4, (out, err)
    assert "may have been delivered to a@example.org, b@example.org, nobody can tell" in out
    assert "after the message was handed over" in out and "Traceback" not in err
    assert _copies(slow_smtp) == Counter(BOARD) and len(_notices(slow_smtp)) == 1
    rows = claims(sqlite_store(tmp_path / "state"), MailKey("report", "2018H1"), BOARD)
    assert [(d.recipient, d.state) for d in rows] == [(r, "unsure") for r in BOARD]
    assert rows[0].message_id == slow_smtp.messages[0].parsed()["Message-ID"]

    code, out, err = _finish(_start(config, env=plain))
    assert code == 4 and "was told earlier" in out, (out, err)
    time.sleep(1)
    assert _copies(slow_smtp) == Counter(BOARD) and len(_notices(slow_smtp)) == 1


def test_sigterm_while_the_server_holds_data_records_the_truth_in_one_line(
    tmp_path: Path,
) -> None:
    with running_smtp_server("none") as smtp:
        config = sample_project(tmp_path, smtp_port=smtp.port, extra="timeout_seconds = 120\n")
        smtp.data_delay_seconds = 60
        run = _start(config, env={"PREFECT_API_URL": ""})
        _wait_for(lambda: smtp.data_started >= 1, run)  # the whole message was handed over
        smtp.data_delay_seconds = 0
        run.send_signal(signal.SIGTERM)  # a service stop
        code, out, err = _finish(run)

        assert code == 4, (out, err)
        assert "may have been delivered to a@example.org, b@example.org" in out
        assert "interrupted after the message was handed over" in out
        assert "Traceback" not in err and len(_notices(smtp)) == 1
        rows = claims(sqlite_store(tmp_path / "state"), MailKey("report", "2018H1"), BOARD)
        assert [d.state for d in rows] == ["unsure", "unsure"]


def _notices(smtp: SmtpServer) -> list[EmailMessage]:
    """The decision notices the team lead got (not, say, a failure notice)."""
    lead = [m.parsed() for m in smtp.messages if m.rcpt_tos == ("lead@example.org",)]
    return [m for m in lead if "perillä?" in str(m["Subject"])]


@pytest.mark.timeout(600)  # two runs of the report, one through the Prefect server
def test_a_full_disk_after_delivery_says_probably_delivered_and_is_not_resent(
    prefect_env: dict[str, str],
) -> None:
    with small_disk(24) as disk, running_smtp_server("none") as smtp:
        config = sample_project(disk / "project", smtp_port=smtp.port)
        smtp.data_delay_seconds = 2
        filled: list[Path] = []

        def fill_during_data() -> None:
            while smtp.data_started == 0:
                time.sleep(0.05)
            filled.append(fill(disk))

        threading.Thread(target=fill_during_data, daemon=True).start()
        code, out, err = _finish(_start(config, env=prefect_env))
        ledger = disk / "project" / "state" / "state.sqlite"
        assert code == 5, (out, err)
        assert f"d9: error: {ledger}: report 2018H1 was probably delivered to " in err
        assert "could not be marked as sent" in err and "database or disk is full" in err
        assert "unless forced (--force" in err and "Traceback" not in err
        assert _copies(smtp) == Counter(BOARD)

        filled[0].unlink()  # space freed
        code, out, err = _finish(_start(config, env={"PREFECT_API_URL": ""}))
        assert code == 4, err  # in doubt: the team lead decides, nothing is sent again
        assert "may have been delivered to a@example.org, b@example.org" in out
        assert "use --force to send again" in out
        assert _copies(smtp) == Counter(BOARD) and len(_notices(smtp)) == 1


def _wait_for(condition: object, process: subprocess.Popen[str], limit: float = 180) -> None:
    deadline = time.monotonic() + limit
    while not condition():  # type: ignore[operator]
        if process.poll() is not None:
            raise AssertionError(f"d9 ended early: {process.communicate()}")
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            raise AssertionError("the report never reached DATA")
        time.sleep(0.1)
