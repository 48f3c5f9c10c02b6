"""Moving the state from `state.sqlite` into PostgreSQL: `d9 state migrate --to URL`.

Contract, against a real PostgreSQL: every table is copied (history with its values, the ledger,
findings and validation results, approvals, the engagements seen); running the copy again adds
nothing; rows a worker already wrote to the database stay; the file is then renamed
`state.sqlite.migrated`. Until it is, a run configured with `database_url` refuses with one
line naming the command (exit 5) instead of starting from an empty ledger. A password is
refused anywhere in the URL: in the user info or as a query parameter.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr

from schemas.approval import PendingApproval
from schemas.errors import ConfigError, StateError
from schemas.mail import DeliveryState, MailKey, Message
from schemas.request import ReportKind
from schemas.settings import load_settings
from tasks.approval import load_pending, save_pending
from tasks.deliver.ledger import Sent, claim, claims, record_delivery
from tasks.history import record, stored
from tasks.similar import new_engagement_ids, remember_engagement_ids
from tasks.statedb import Store, database_engine, open_store, sqlite_store
from tasks.statedb.migrate import migrate
from tasks.validate import previous_findings, remember_findings
from tasks.validate.stored import read_result, write_result
from tests.support.postgres import PASSWORD, Postgres, postgres  # noqa: F401 - a fixture
from tests.tasks.history.test_history import H1, H2, make
from tests.tasks.statedb.test_store import FIRST

NOW = datetime(2018, 7, 2, 9, 0, tzinfo=UTC)
KEY = MailKey("report", "2018H1")
BOARD = ("a@example.org", "b@example.org")


def _fill(folder: Path) -> None:
    """SQLite state as a worker leaves it after a few months."""
    store = sqlite_store(folder)
    record(store, make(H1, 21), ReportKind.REPORT, NOW)
    record(store, make(H2, 30, fp="fp-b"), ReportKind.REPORT, NOW)
    claim(store, KEY, BOARD, force=False, now=NOW, by="worker:1")
    record_delivery(store, KEY, BOARD[:1], Sent("<m1@example.org>", "d1", NOW))
    remember_findings(store, [FIRST], NOW)
    write_result(store, "k1", (FIRST,), NOW)
    message = Message(("sg@example.org",), "Tilannekuva", "<p>x</p>", "x", "d9@example.org")
    save_pending(store, PendingApproval("run-1", "2018H1", "fi", message, NOW, False), NOW)
    new_engagement_ids(store, ["E1"])
    remember_engagement_ids(store, ["E1"], NOW)


def _target(postgres: Postgres, name: str, folder: Path) -> Store:  # noqa: F811
    url = postgres.create_database(name)
    return Store(folder, database_engine(url, SecretStr(PASSWORD)))


@pytest.mark.integration
def test_every_table_is_copied_once_and_a_second_copy_adds_nothing(
    postgres: Postgres,  # noqa: F811
    tmp_path: Path,
) -> None:
    folder = tmp_path / "state"
    _fill(folder)
    backup = tmp_path / "state.sqlite.backup"
    shutil.copy(folder / "state.sqlite", backup)
    target = _target(postgres, "migrate_once", folder)

    done = migrate(folder, target)
    assert done.found == {
        "delivery_claim": 2,
        "validation_result": 1,
        "approval": 1,
        "seen_engagements": 1,
        "findings_run": 1,
        "snapshot": 2,
    }
    assert done.added == done.found
    assert not (folder / "state.sqlite").exists() and (folder / "state.sqlite.migrated").exists()

    rows = claims(target, KEY, BOARD)
    assert [(d.recipient, d.state, d.message_id) for d in rows] == [
        ("a@example.org", DeliveryState.SENT, "<m1@example.org>"),
        ("b@example.org", DeliveryState.SENDING, ""),
    ]
    got = stored(target, H1)
    assert got is not None and got.indicators.results["engagements_completed"].value == 21
    assert previous_findings(target) == (FIRST,) and read_result(target, "k1") == (FIRST,)
    assert load_pending(target, "run-1") is not None
    assert new_engagement_ids(target, ["E1", "E2"]) == ("E2",)

    shutil.copy(backup, folder / "state.sqlite")  # the same file copied again: nothing twice
    again = migrate(folder, target)
    assert again.found == done.found and set(again.added.values()) == {0}
    assert len(claims(target, KEY, BOARD)) == 2


@pytest.mark.integration
def test_a_run_on_the_database_refuses_until_the_folder_is_migrated(
    postgres: Postgres,  # noqa: F811
    tmp_path: Path,
) -> None:
    _fill(tmp_path / "state")
    url = postgres.create_database("migrate_refuse")
    config = tmp_path / "d9.toml"
    config.write_text(f'[state]\ndatabase_url = "{url}"\n', encoding="utf-8")
    settings = load_settings(config, environ={"D9_DATABASE_PASSWORD": PASSWORD})

    with pytest.raises(StateError) as caught:
        open_store(settings)
    assert caught.value.exit_code == 5
    assert f"d9 state migrate --to {url}" in str(caught.value)
    assert str(caught.value).startswith(str(tmp_path / "state"))

    migrate(tmp_path / "state", _target_of(url, tmp_path / "state"))
    assert claims(open_store(settings), KEY, BOARD)[0].state is DeliveryState.SENT


def _target_of(url: str, folder: Path) -> Store:
    return Store(folder, database_engine(url, SecretStr(PASSWORD)))


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://d9:pw@db/d9",
        "postgresql://d9@db/d9?password=pw",
        "postgresql://d9@db/d9?sslmode=require&PASSWORD=pw",
        "postgresql://d9@db/d9?passfile=/home/d9/.pgpass",
    ],
    ids=["user-info", "query", "query-any-case", "passfile"],
)
def test_a_password_anywhere_in_the_url_is_refused(tmp_path: Path, url: str) -> None:
    config = tmp_path / "d9.toml"
    config.write_text(f'[state]\ndatabase_url = "{url}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="must not hold a password") as caught:
        load_settings(config, environ={})
    assert "pw" not in str(caught.value).replace(str(tmp_path), "")


def test_a_url_with_ordinary_parameters_is_accepted(tmp_path: Path) -> None:
    config = tmp_path / "d9.toml"
    url = "postgresql://d9@db:5432/d9?sslmode=verify-full&connect_timeout=5"
    config.write_text(f'[state]\ndatabase_url = "{url}"\n', encoding="utf-8")
    assert load_settings(config, environ={}).state.database_url == url
