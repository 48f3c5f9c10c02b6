"""State in one store — `state.sqlite` of the state folder, or PostgreSQL — and what a broken
state looks like to the user.

Contract: with `[state] database_url` everything d9 remembers (history, the delivery ledger,
findings, validation results, approvals, the engagements seen) lives in PostgreSQL and behaves
exactly as in the SQLite file (values keep their type; one claim per recipient even when many
claim at once); the state folder then holds no database; the password comes only from the
environment (or a Secret block) and never shows in a message; each store records its schema
version. A state folder that is a file, a full disk or a corrupt `state.sqlite` is one
`StateError` (exit 5) naming the file. The files of earlier versions are carried over once.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import text

from schemas.approval import PendingApproval
from schemas.errors import StateError
from schemas.findings import Finding, Severity
from schemas.mail import DeliveryState, MailKey, Message
from schemas.request import ReportKind
from schemas.results import Status
from schemas.settings import load_settings
from tasks.approval import load_pending, save_pending
from tasks.deliver.ledger import Sent, claim, claims, record_delivery
from tasks.history import record, stored, trend
from tasks.similar import new_engagement_ids, remember_engagement_ids
from tasks.statedb import Store, database_engine, open_store, sqlite_store
from tasks.validate import previous_findings, remember_findings
from tasks.validate.stored import read_result, write_result
from tests.support.disk import fill, small_disk
from tests.support.postgres import PASSWORD, Postgres, postgres  # noqa: F401 - a fixture
from tests.tasks.history.test_history import H1, H2, make

NOW = datetime(2018, 7, 2, 9, 0, tzinfo=UTC)
REPORT = ReportKind.REPORT
KEY = MailKey("report", "2018H1")
FIRST = Finding(
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


@pytest.fixture
def database(postgres: Postgres, request: pytest.FixtureRequest, tmp_path: Path) -> Store:  # noqa: F811
    url = postgres.create_database(f"t_{abs(hash(request.node.nodeid))}")
    config = tmp_path / "d9.toml"
    config.write_text(f'[state]\ndatabase_url = "{url}"\n', encoding="utf-8")
    settings = load_settings(config, environ={"D9_DATABASE_PASSWORD": PASSWORD})
    store = open_store(settings)
    assert store.shared and store.path is None and store.folder == tmp_path / "state"
    return store


@pytest.mark.integration
def test_history_in_postgres_keeps_types_order_and_replacement(database: Store) -> None:
    record(database, make(H1, 21), REPORT, NOW)
    record(database, make(H1, 22), REPORT, NOW)  # same key: replaced in place
    record(database, make(H2, 30, fp="fp-b", mean=None), ReportKind.INDICATORS, NOW)

    got = stored(database, H1)
    assert got is not None and list(got.indicators.results) == [
        "engagements_completed",
        "quick_satisfaction_mean",
        "branches_covered",
    ]
    assert got.indicators.results["engagements_completed"].value == 22
    assert type(got.indicators.results["quick_satisfaction_mean"].value) is float
    assert trend(database, "engagements_completed", H2) == [
        (H1, 22, Status.YELLOW),
        (H2, 30, Status.YELLOW),
    ]
    assert trend(database, "quick_satisfaction_mean", H2)[1] == (H2, None, Status.GREY)
    assert database.engine is not None
    with database.engine.connect() as conn:
        versions = dict(conn.execute(text("SELECT store, version FROM d9_schema_version")).all())
    assert versions == {"history": 2}
    assert not database.folder.exists()  # no database file in the state folder


@pytest.mark.integration
def test_eight_claimers_at_once_get_each_recipient_once(database: Store) -> None:
    board = ("a@example.org", "b@example.org", "c@example.org")
    won: list[tuple[str, ...]] = []
    failed: list[BaseException] = []
    start = threading.Barrier(8)

    def claimer(n: int) -> None:
        start.wait()
        try:
            got = claim(database, KEY, board, force=False, now=NOW, by=f"w{n}")
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
    assert {d.state for d in claims(database, KEY, board)} == {DeliveryState.SENDING}
    record_delivery(database, KEY, board[:1], Sent("<m@x.org>", "d", NOW))
    states = {d.recipient: d.state for d in claims(database, KEY, board)}
    assert states == {
        "a@example.org": "sent",
        "b@example.org": "sending",
        "c@example.org": "sending",
    }


@pytest.mark.integration
def test_findings_results_approvals_and_seen_ids_are_shared_through_postgres(
    database: Store,
) -> None:
    assert remember_findings(database, [FIRST], NOW) is True  # nothing stored before
    assert remember_findings(database, [FIRST], NOW) is False  # another worker, same findings
    assert previous_findings(database) == (FIRST,)
    assert remember_findings(database, [], NOW) is True

    write_result(database, "k1", (FIRST,), NOW)
    write_result(database, "k1", (FIRST, FIRST), NOW)  # replaced, not added
    assert read_result(database, "k1") == (FIRST, FIRST)
    assert read_result(database, "k2") is None

    message = Message(("sg@example.org",), "Tilannekuva", "<p>x</p>", "x", "d9@example.org")
    pending = PendingApproval("run-1", "2018H1", "fi", message, NOW, default_send=False)
    save_pending(database, pending, NOW)
    assert load_pending(database, "run-1") == pending  # a resumed run on another worker

    assert new_engagement_ids(database, ["E1"]) == ()  # the first night: nothing is new
    remember_engagement_ids(database, ["E1"], NOW)
    assert new_engagement_ids(database, ["E1", "E2"]) == ("E2",)
    assert not database.folder.exists()


@pytest.mark.integration
def test_a_wrong_password_is_one_line_without_the_password(
    postgres: Postgres,  # noqa: F811
    tmp_path: Path,
) -> None:
    url = postgres.create_database("wrong_password")
    wrong = Store(tmp_path, database_engine(url, SecretStr("wrong-Secret-1")))
    with pytest.raises(StateError) as caught:
        trend(wrong, "engagements_completed", H1)
    message = str(caught.value)
    assert message.startswith(f"{url}: state cannot be read (connection failed")
    assert "password authentication failed" in message and "\n" not in message
    assert "wrong-Secret-1" not in message
    right = database_engine(url, SecretStr(PASSWORD))
    assert PASSWORD not in str(right.url) and PASSWORD not in repr(right)
    assert trend(Store(tmp_path, right), "engagements_completed", H1) == []


def test_a_password_in_the_url_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "d9.toml"
    config.write_text('[state]\ndatabase_url = "postgresql://d9:pw@db/d9"\n', encoding="utf-8")
    with pytest.raises(Exception, match="must not hold a password"):
        load_settings(config, environ={})


def test_state_folder_that_is_a_file(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.write_text("not a folder", encoding="utf-8")
    with pytest.raises(StateError) as caught:
        record(sqlite_store(state), make(H1, 21), REPORT, NOW)
    assert str(caught.value) == f"{state}: state cannot be written (the state folder is a file)"
    assert caught.value.exit_code == 5


def test_corrupt_state_is_one_line_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "state.sqlite").write_bytes(b"garbage, not SQLite " * 200)
    with pytest.raises(StateError) as caught:
        trend(sqlite_store(tmp_path), "engagements_completed", H1)
    assert str(caught.value) == (
        f"{tmp_path / 'state.sqlite'}: state cannot be read (file is not a database)"
    )


@pytest.mark.slow
def test_a_full_disk_keeps_the_earlier_snapshot_and_says_so() -> None:
    with small_disk(2) as disk:
        record(sqlite_store(disk), make(H1, 21), REPORT, NOW)
        filler = fill(disk)
        with pytest.raises(StateError) as caught:
            record(sqlite_store(disk), make(H2, 30, fp="fp-b"), REPORT, NOW)
        assert str(caught.value) == (
            f"{disk / 'state.sqlite'}: state cannot be written (database or disk is full)"
        )
        filler.unlink()
        points = trend(sqlite_store(disk), "engagements_completed", date(2018, 1, 1))
        assert points == [(H1, 21, Status.YELLOW)]


def test_a_state_folder_removed_between_runs_of_one_process_is_made_again(tmp_path: Path) -> None:
    store = sqlite_store(tmp_path / "state")
    record(store, make(H1, 21), REPORT, NOW)
    (tmp_path / "state" / "state.sqlite").unlink()
    record(store, make(H1, 23), REPORT, NOW)
    assert trend(store, "engagements_completed", H1) == [(H1, 23, Status.YELLOW)]


def test_the_files_of_an_earlier_version_are_carried_over_once(tmp_path: Path) -> None:
    """history.sqlite (schema 1: untyped values, no position), an approval's JSON file and the
    ids seen become rows of state.sqlite; the old files are renamed, never read again."""
    with sqlite3.connect(tmp_path / "history.sqlite") as conn:
        conn.executescript(
            "CREATE TABLE snapshot (id INTEGER PRIMARY KEY, as_of TEXT NOT NULL, period TEXT,"
            " fingerprint TEXT NOT NULL, kind TEXT NOT NULL, recorded_at TEXT NOT NULL,"
            " UNIQUE (as_of, fingerprint));"
            "CREATE TABLE indicator_value (snapshot_id INTEGER NOT NULL, indicator_id TEXT"
            " NOT NULL, value, status TEXT NOT NULL, target, numerator INTEGER, denominator"
            " INTEGER, extra TEXT NOT NULL, PRIMARY KEY (snapshot_id, indicator_id));"
            "INSERT INTO snapshot VALUES (1, '2017-06-30', '2017H1', 'fp', 'report',"
            " '2017-07-01T08:00:00+00:00');"
            "INSERT INTO indicator_value VALUES (1, 'engagements_completed', 21, 'yellow', 50,"
            " NULL, NULL, '{}');"
        )
    conn.close()
    (tmp_path / "engagement-ids.json").write_text('["E1"]', encoding="utf-8")
    message = Message(("sg@example.org",), "Tilannekuva", "<p>x</p>", "x", "d9@example.org")
    pending = PendingApproval("run-7", "2017H1", "fi", message, NOW, default_send=True)
    save_pending(sqlite_store(tmp_path / "elsewhere"), pending, NOW)
    (tmp_path / "approvals").mkdir()
    exported = sqlite3.connect(tmp_path / "elsewhere" / "state.sqlite")
    (tmp_path / "approvals" / "run-7.json").write_text(
        exported.execute("SELECT record FROM approval").fetchone()[0], encoding="utf-8"
    )
    exported.close()

    store = sqlite_store(tmp_path)
    assert trend(store, "engagements_completed", H1) == [(H1, 21, Status.YELLOW)]
    assert load_pending(store, "run-7") == pending
    assert new_engagement_ids(store, ["E1", "E2"]) == ("E2",)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "approvals.imported",
        "elsewhere",
        "engagement-ids.json.imported",
        "history.sqlite.imported",
        "state.sqlite",
    ]
