"""The delivery ledger remembers who got which report, so nobody gets it twice.

Contract: deliveries live in the state store, one row per kind+period+recipient; a
kind+period already delivered to an address (compared without case) is not sent to it again
unless forced; an address added later still gets it; recording is all-or-nothing; the clock is a
parameter. Claims: a recipient is claimed ("sending") in one transaction before sending; a second
claimer gets the row back instead of the recipient; `release` drops only the claimer's own rows.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from schemas.errors import StateError
from schemas.mail import DeliveryState, MailKey
from tasks.deliver.ledger import (
    Delivery,
    Sent,
    claim,
    claims,
    recipients_to_send,
    record_delivery,
    release,
)
from tasks.statedb import sqlite_store

HELSINKI_SUMMER = timezone(timedelta(hours=3))
SENT = datetime(2018, 7, 2, 9, 0, tzinfo=HELSINKI_SUMMER)
BOARD = ("puheenjohtaja@example.org", "Jasen@Example.org")


def ledger_path(folder: Path) -> Path:
    path = sqlite_store(folder).path
    assert path is not None
    return path


def already_sent(folder: Path, key: MailKey, recipients: object) -> list[Delivery]:
    found = claims(sqlite_store(folder), key, recipients)  # type: ignore[arg-type]
    return [d for d in found if d.state is DeliveryState.SENT]


def test_empty_state_folder_has_no_deliveries_and_creates_no_file(tmp_path: Path) -> None:
    assert already_sent(tmp_path, MailKey("report", "2018H1"), BOARD) == []
    assert recipients_to_send(sqlite_store(tmp_path), MailKey("report", "2018H1"), BOARD) == BOARD
    assert list(tmp_path.iterdir()) == []


def test_recorded_delivery_is_found_per_recipient_without_case(tmp_path: Path) -> None:
    record_delivery(
        sqlite_store(tmp_path),
        MailKey("report", "2018H1"),
        BOARD,
        Sent("<m1@example.org>", "abc", SENT),
    )

    found = already_sent(tmp_path, MailKey("report", "2018H1"), ["JASEN@example.org"])

    assert ledger_path(tmp_path) == tmp_path / "state.sqlite"
    assert found == [
        Delivery("report", "2018H1", "jasen@example.org", "<m1@example.org>", "abc", SENT)
    ]
    assert found[0].sent_at.utcoffset() == timedelta(hours=3)


def test_same_report_is_not_sent_twice_but_a_new_recipient_gets_it(tmp_path: Path) -> None:
    record_delivery(
        sqlite_store(tmp_path),
        MailKey("report", "2018H1"),
        BOARD,
        Sent("<m1@example.org>", "abc", SENT),
    )
    later = (*BOARD, "uusi.jasen@example.org")

    assert recipients_to_send(sqlite_store(tmp_path), MailKey("report", "2018H1"), later) == (
        "uusi.jasen@example.org",
    )
    assert recipients_to_send(sqlite_store(tmp_path), MailKey("report", "2018H1"), BOARD) == ()


def test_force_sends_again_and_the_ledger_keeps_the_latest(tmp_path: Path) -> None:
    record_delivery(
        sqlite_store(tmp_path),
        MailKey("report", "2018H1"),
        BOARD[:1],
        Sent("<m1@example.org>", "abc", SENT),
    )
    assert (
        recipients_to_send(
            sqlite_store(tmp_path), MailKey("report", "2018H1"), BOARD[:1], force=True
        )
        == BOARD[:1]
    )

    record_delivery(
        sqlite_store(tmp_path),
        MailKey("report", "2018H1"),
        BOARD[:1],
        Sent("<m2@example.org>", "def", SENT + timedelta(days=1)),
    )

    ids = [d.message_id for d in already_sent(tmp_path, MailKey("report", "2018H1"), BOARD[:1])]
    assert ids == ["<m2@example.org>"]


def test_other_period_or_kind_does_not_count(tmp_path: Path) -> None:
    record_delivery(
        sqlite_store(tmp_path),
        MailKey("report", "2017H2"),
        BOARD,
        Sent("<m1@example.org>", "abc", SENT),
    )
    record_delivery(
        sqlite_store(tmp_path),
        MailKey("check", "2018H1"),
        BOARD,
        Sent("<m2@example.org>", "abc", SENT),
    )

    assert already_sent(tmp_path, MailKey("report", "2018H1"), BOARD) == []
    assert recipients_to_send(sqlite_store(tmp_path), MailKey("report", "2018H1"), BOARD) == BOARD


def test_deliveries_come_back_in_time_order_across_offsets(tmp_path: Path) -> None:
    # 08:00 UTC is 11:00 in Helsinki: later than 09:00 Helsinki although it is written "earlier"
    late = Sent("<late@x.org>", "b", datetime(2018, 7, 2, 8, 0, tzinfo=UTC))
    record_delivery(sqlite_store(tmp_path), MailKey("report", "2018H1"), BOARD[1:], late)
    record_delivery(
        sqlite_store(tmp_path),
        MailKey("report", "2018H1"),
        BOARD[:1],
        Sent("<early@x.org>", "a", SENT),
    )

    ids = [d.message_id for d in already_sent(tmp_path, MailKey("report", "2018H1"), BOARD)]
    assert ids == ["<early@x.org>", "<late@x.org>"]


def test_naive_time_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="timezone"):
        record_delivery(
            sqlite_store(tmp_path),
            MailKey("report", "2018H1"),
            BOARD,
            Sent("<m@x.org>", "a", datetime(2018, 7, 2, 9, 0)),
        )


def test_recording_is_all_or_nothing(tmp_path: Path) -> None:
    record_delivery(
        sqlite_store(tmp_path),
        MailKey("report", "2017H2"),
        BOARD[:1],
        Sent("<m0@x.org>", "a", SENT),
    )
    with sqlite3.connect(ledger_path(tmp_path)) as conn:  # make the second row fail
        conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON delivery_claim "
            "WHEN NEW.recipient = 'jasen@example.org' "
            "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
        )
    conn.close()

    with pytest.raises(StateError, match="disk on fire"):
        record_delivery(
            sqlite_store(tmp_path),
            MailKey("report", "2018H1"),
            BOARD,
            Sent("<m1@x.org>", "b", SENT),
        )

    assert already_sent(tmp_path, MailKey("report", "2018H1"), BOARD) == []


def test_unreadable_ledger_is_a_state_error_naming_the_file(tmp_path: Path) -> None:
    ledger_path(tmp_path).write_bytes(b"this is not a database" * 100)

    with pytest.raises(StateError) as caught:
        already_sent(tmp_path, MailKey("report", "2018H1"), BOARD)
    assert str(caught.value) == (
        f"{ledger_path(tmp_path)}: state cannot be read (file is not a database)"
    )
    assert caught.value.exit_code == 5


def test_a_claim_is_seen_by_the_second_claimer_and_only_its_owner_releases_it(
    tmp_path: Path,
) -> None:
    first = claim(
        sqlite_store(tmp_path), MailKey("report", "2018H1"), BOARD, force=False, now=SENT, by="a:1"
    )
    second = claim(
        sqlite_store(tmp_path), MailKey("report", "2018H1"), BOARD, force=False, now=SENT, by="b:2"
    )

    assert first.mine == BOARD and first.in_doubt == () and first.sent == ()
    assert second.mine == () and second.sent == ()
    assert [(d.recipient, d.state, d.claimed_by) for d in second.in_doubt] == [
        ("puheenjohtaja@example.org", "sending", "a:1"),
        ("jasen@example.org", "sending", "a:1"),
    ]
    assert second.in_doubt[0].claimed_at == SENT
    assert recipients_to_send(sqlite_store(tmp_path), MailKey("report", "2018H1"), BOARD) == ()

    release(
        sqlite_store(tmp_path), MailKey("report", "2018H1"), BOARD, by="b:2"
    )  # not b's claims: nothing happens
    assert len(claims(sqlite_store(tmp_path), MailKey("report", "2018H1"), BOARD)) == 2
    release(sqlite_store(tmp_path), MailKey("report", "2018H1"), BOARD[:1], by="a:1")
    assert [
        d.recipient for d in claims(sqlite_store(tmp_path), MailKey("report", "2018H1"), BOARD)
    ] == ["jasen@example.org"]


def test_a_sent_recipient_is_not_claimed_again_unless_forced(tmp_path: Path) -> None:
    record_delivery(
        sqlite_store(tmp_path),
        MailKey("report", "2018H1"),
        BOARD[:1],
        Sent("<m1@x.org>", "a", SENT),
    )

    got = claim(
        sqlite_store(tmp_path), MailKey("report", "2018H1"), BOARD, force=False, now=SENT, by="a:1"
    )
    assert got.mine == BOARD[1:]
    assert [d.message_id for d in got.sent] == ["<m1@x.org>"]
    forced = claim(
        sqlite_store(tmp_path), MailKey("report", "2018H1"), BOARD, force=True, now=SENT, by="b:2"
    )
    assert forced.mine == BOARD


def test_a_ledger_of_schema_1_is_carried_over(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "deliveries.sqlite") as conn:  # an earlier version's file
        conn.executescript(
            "CREATE TABLE deliveries (id INTEGER PRIMARY KEY, kind TEXT, period TEXT,"
            " recipient TEXT, message_id TEXT, digest TEXT, sent_at TEXT);"
            "INSERT INTO deliveries VALUES (1, 'report', '2018H1', 'jasen@example.org',"
            " '<old@x.org>', 'a', '2018-07-02T09:00:00+03:00');"
        )
    conn.close()

    assert (
        recipients_to_send(sqlite_store(tmp_path), MailKey("report", "2018H1"), BOARD) == BOARD[:1]
    )
    [old] = already_sent(tmp_path, MailKey("report", "2018H1"), BOARD)
    assert (old.message_id, old.sent_at) == ("<old@x.org>", SENT)


def test_a_claimants_process_is_asked_whether_it_still_runs() -> None:
    import os
    import socket
    import subprocess
    import sys

    from tasks.deliver.dispatch import claimant, claimant_running

    here = socket.gethostname()
    assert claimant() == f"{here}:{os.getpid()}"
    assert claimant_running(claimant()) is True
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], stdout=-1)
    assert claimant_running(f"{here}:{int(ended.stdout)}") is False  # exited and reaped
    assert claimant_running(f"another-{here}:{os.getpid()}") is None  # cannot be asked
    assert claimant_running(f"{here}:0") is None  # never signal a process group
    assert claimant_running("") is None
