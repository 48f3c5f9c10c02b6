"""Deliveries in doubt reach the team lead once: the sweep of the nightly check, without Prefect.

Contract: a claim left "sending" by a run that no longer exists (killed mid-send) is told to the
team lead by the next sweep, in one decision notice per period, and never again by later sweeps;
a claim whose run still sends is not told; a claim another host made is told only once it is
older than any send takes.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

from flows.jobs import sweep_in_doubt
from schemas.mail import MailKey
from schemas.request import Run, Validator
from schemas.settings import load_settings
from tasks.deliver.dispatch import STALE_AFTER, claimant
from tasks.deliver.ledger import claim, claims
from tasks.statedb import sqlite_store
from tests.support.project import sample_project
from tests.tasks.deliver.test_deliver import SENT

KEY = MailKey("report", "2018H1")


def _dead() -> str:
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return f"{socket.gethostname()}:{int(ended.stdout)}"


def _notices(tmp_path: Path) -> list[str]:
    parse = BytesParser(policy=policy.default).parsebytes
    return [
        str(parse(p.read_bytes())["Subject"]) for p in (tmp_path / "state" / "outbox").glob("*.eml")
    ]


def test_the_sweep_tells_the_lead_once_about_a_claim_its_run_left(tmp_path: Path) -> None:
    settings = load_settings(sample_project(tmp_path), environ={})  # no SMTP: the outbox
    store = sqlite_store(tmp_path / "state")
    claim(store, KEY, ["a@example.org"], force=False, now=SENT, by=_dead())
    claim(
        store, MailKey("report", "2017H2"), ["b@example.org"], force=False, now=SENT, by=claimant()
    )  # this process: still sending
    run = Run(settings, SENT + timedelta(minutes=5), Validator.POLARS)

    said = sweep_in_doubt(store, run)
    assert "the team lead (lead@example.org) was told" in said
    assert _notices(tmp_path) == [
        "D9: onko raportti 2018H1 perillä? Päätä, lähetetäänkö se uudelleen"
    ]
    assert sweep_in_doubt(store, run).endswith("was told earlier and decides")
    assert len(_notices(tmp_path)) == 1
    assert claims(store, KEY, ["a@example.org"])[0].notice_at is not None


def test_a_claim_of_another_host_is_in_doubt_only_once_it_is_stale(tmp_path: Path) -> None:
    settings = load_settings(sample_project(tmp_path), environ={})
    store = sqlite_store(tmp_path / "state")
    claim(store, KEY, ["a@example.org"], force=False, now=SENT, by="other-host:4242")

    assert sweep_in_doubt(store, Run(settings, SENT + timedelta(minutes=5), Validator.POLARS)) == ""
    later = Run(settings, SENT + STALE_AFTER + timedelta(minutes=1), Validator.POLARS)
    assert "was told" in sweep_in_doubt(store, later)
    assert len(_notices(tmp_path)) == 1
