"""State in SQLite files or in PostgreSQL, and what a broken state looks like to the user.

Contract: with `[state] database_url` the history and the delivery ledger live in PostgreSQL
and behave exactly as in the SQLite files (values keep their type; one claim per recipient even
when many claim at once); the password comes only from the environment (or a Secret block) and
never shows in a message; a store records its schema version. A state folder that is a file, a
full disk or a corrupt `history.sqlite` is one `StateError` (exit 5) naming the file.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine, text

from schemas.errors import StateError
from schemas.findings import Finding, Severity
from schemas.results import Status
from schemas.settings import load_settings
from tasks.deliver.ledger import claim, claims, record_delivery
from tasks.history.store import history_path, record, snapshot, trend
from tasks.statedb import database_engine, state_target
from tasks.validate import shared
from tasks.validate.quality import remember_findings
from tests.support.disk import fill, small_disk
from tests.support.postgres import PASSWORD, Postgres, postgres  # noqa: F401 - a fixture
from tests.tasks.test_history import H1, H2, make

NOW = datetime(2018, 7, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def database(postgres: Postgres, request: pytest.FixtureRequest) -> Engine:  # noqa: F811
    url = postgres.create_database(f"t_{abs(hash(request.node.nodeid))}")
    config = request.getfixturevalue("tmp_path") / "d9.toml"
    config.write_text(f'[state]\ndatabase_url = "{url}"\n', encoding="utf-8")
    settings = load_settings(config, environ={"D9_DATABASE_PASSWORD": PASSWORD})
    engine = state_target(settings)
    assert isinstance(engine, Engine)
    return engine


@pytest.mark.integration
def test_history_in_postgres_keeps_types_order_and_replacement(database: Engine) -> None:
    record(make(H1, 21), "report", database, now=NOW)
    record(make(H1, 22), "report", database, now=NOW)  # same key: replaced in place
    record(make(H2, 30, fp="fp-b", mean=None), "check", database, now=NOW)

    got = snapshot(database, H1)
    assert got is not None and list(got.results) == [
        "engagements_completed",
        "quick_satisfaction_mean",
        "branches_covered",
    ]
    assert got.results["engagements_completed"].value == 22
    assert type(got.results["quick_satisfaction_mean"].value) is float
    assert trend(database, "engagements_completed", H2) == [
        (H1, 22, Status.YELLOW),
        (H2, 30, Status.YELLOW),
    ]
    assert trend(database, "quick_satisfaction_mean", H2)[1] == (H2, None, Status.GREY)
    with database.connect() as conn:
        versions = dict(conn.execute(text("SELECT store, version FROM d9_schema_version")).all())
    assert versions == {"history": 2}


@pytest.mark.integration
def test_eight_claimers_at_once_get_each_recipient_once(database: Engine) -> None:
    board = ("a@example.org", "b@example.org", "c@example.org")
    won: list[tuple[str, ...]] = []
    failed: list[BaseException] = []
    start = threading.Barrier(8)

    def claimer(n: int) -> None:
        start.wait()
        try:
            got = claim(database, "report", "2018H1", board, force=False, now=NOW, by=f"w{n}")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            failed.append(exc)
        else:
            won.append(got.mine)

    threads = [threading.Thread(target=claimer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failed == []
    assert sorted(r for mine in won for r in mine) == sorted(board)
    assert {d.state for d in claims(database, "report", "2018H1", board)} == {"sending"}
    record_delivery(database, "report", "2018H1", board[:1], "<m@x.org>", "d", NOW)
    states = {d.recipient: d.state for d in claims(database, "report", "2018H1", board)}
    assert states == {
        "a@example.org": "sent",
        "b@example.org": "sending",
        "c@example.org": "sending",
    }


@pytest.mark.integration
def test_a_wrong_password_is_one_line_without_the_password(postgres: Postgres) -> None:  # noqa: F811
    url = postgres.create_database("wrong_password")
    with pytest.raises(StateError) as caught:
        trend(database_engine(url, SecretStr("wrong-Secret-1")), "engagements_completed", H1)
    message = str(caught.value)
    assert message.startswith(f"{url}: state cannot be read (connection failed")
    assert "password authentication failed" in message and "\n" not in message
    assert "wrong-Secret-1" not in message
    right = database_engine(url, SecretStr(PASSWORD))
    assert PASSWORD not in str(right.url) and PASSWORD not in repr(right)
    assert trend(right, "engagements_completed", H1) == []


def test_a_password_in_the_url_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "d9.toml"
    config.write_text('[state]\ndatabase_url = "postgresql://d9:pw@db/d9"\n', encoding="utf-8")
    with pytest.raises(Exception, match="must not hold a password"):
        load_settings(config, environ={})


def test_state_folder_that_is_a_file(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.write_text("not a folder", encoding="utf-8")
    with pytest.raises(StateError) as caught:
        record(make(H1, 21), "report", state)
    assert str(caught.value) == f"{state}: state cannot be written (the state folder is a file)"
    assert caught.value.exit_code == 5


def test_corrupt_history_is_one_line_naming_the_file(tmp_path: Path) -> None:
    history_path(tmp_path).write_bytes(b"garbage, not SQLite " * 200)
    with pytest.raises(StateError) as caught:
        trend(tmp_path, "engagements_completed", H1)
    assert str(caught.value) == (
        f"{history_path(tmp_path)}: state cannot be read (file is not a database)"
    )


@pytest.mark.slow
def test_a_full_disk_keeps_the_earlier_snapshot_and_says_so() -> None:
    with small_disk(2) as disk:
        record(make(H1, 21), "report", disk, now=NOW)
        filler = fill(disk)
        with pytest.raises(StateError) as caught:
            record(make(H2, 30, fp="fp-b"), "report", disk, now=NOW)
        assert str(caught.value) == (
            f"{history_path(disk)}: state cannot be written (database or disk is full)"
        )
        filler.unlink()
        assert trend(disk, "engagements_completed", date(2018, 1, 1)) == [(H1, 21, Status.YELLOW)]


@pytest.mark.integration
def test_findings_and_validation_results_are_shared_through_postgres(database: Engine) -> None:
    first = Finding(
        dataset="engagements",
        source="seuranta.xlsx",
        sheet="Toimeksiannot",
        row=7,
        column="Tila",
        value="valmiina",
        rule="allowed_values",
        severity=Severity.BLOCKING,
        message="not an allowed value",
    )
    assert remember_findings([first], database) is True  # nothing stored before
    assert remember_findings([first], database) is False  # another worker, same findings
    assert remember_findings([], database) is True

    shared.write_result(database, "k1", (first,))
    shared.write_result(database, "k1", (first, first))  # replaced, not added
    assert shared.read_result(database, "k1") == (first, first)
    assert shared.read_result(database, "k2") is None


def test_a_state_folder_removed_between_runs_of_one_process_is_made_again(tmp_path: Path) -> None:
    record(make(H1, 21), "report", tmp_path / "state", now=NOW)
    history_path(tmp_path / "state").unlink()
    record(make(H1, 23), "report", tmp_path / "state", now=NOW)
    assert trend(tmp_path / "state", "engagements_completed", H1) == [(H1, 23, Status.YELLOW)]
