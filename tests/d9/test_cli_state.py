"""`d9 state migrate` and the switch from SQLite to PostgreSQL, as a user makes it.

Contract (a real PostgreSQL, `d9` as a process): after a report was sent with the SQLite state,
turning on `[state] database_url` refuses every run with one line naming `d9 state migrate`
(exit 5) — the defect sent every report again from the database's empty ledger; after the copy
the report is not sent a second time; the copy run again changes nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.postgres import PASSWORD, Postgres
from tests.support.project import sample_project

pytestmark = [pytest.mark.slow, pytest.mark.integration]
D9 = str(Path(sys.executable).parent / "d9")


def _d9(*args: str) -> tuple[int, str, str]:
    env = {**os.environ, "PREFECT_API_URL": "", "D9_DATABASE_PASSWORD": PASSWORD}
    done = subprocess.run([D9, *args], capture_output=True, text=True, env=env, timeout=300)
    return done.returncode, done.stdout, done.stderr


def _emls(folder: Path) -> list[Path]:
    return sorted((folder / "state" / "outbox").glob("*report_2018H1*.eml"))


def test_switching_to_postgres_refuses_then_migrates_and_sends_no_second_copy(
    tmp_path: Path, postgres: Postgres
) -> None:
    config = sample_project(tmp_path)  # no SMTP host: the outbox is the delivery
    report = ("report", "--config", str(config), "--period", "2018H1", "--to", "sg@example.org")
    code, out, err = _d9(*report)
    assert code == 0 and "report 2018H1 sent to sg@example.org" in out, (out, err)
    assert len(_emls(tmp_path)) == 1

    url = postgres.create_database("cli_migrate")
    config.write_text(
        config.read_text(encoding="utf-8") + f'database_url = "{url}"\n', encoding="utf-8"
    )
    code, out, err = _d9(*report)
    assert code == 5, (out, err)
    assert err.count("\n") == 1 and f"d9 state migrate --to {url}" in err
    assert len(_emls(tmp_path)) == 1

    code, out, err = _d9("state", "migrate", "--to", url, "--config", str(config))
    assert code == 0, (out, err)
    assert "copied " in out and "delivery_claim 1 of 1" in out and PASSWORD not in out

    code, out, err = _d9(*report)
    assert code == 0 and "was already sent to sg@example.org" in out, (out, err)
    assert len(_emls(tmp_path)) == 1

    code, out, err = _d9("state", "migrate", "--to", url, "--config", str(config))
    assert code == 0 and "nothing to copy" in out, (out, err)


def test_migrate_refuses_a_password_in_the_url_with_one_line(tmp_path: Path) -> None:
    config = sample_project(tmp_path)
    url = "postgresql://d9@127.0.0.1/d9?password=Sal4-sana"
    code, out, err = _d9("state", "migrate", "--to", url, "--config", str(config))
    assert code == 2 and "must not hold a password" in err and "Sal4-sana" not in err
