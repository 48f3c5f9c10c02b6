"""The delivery ledger remembers who got which report, so nobody gets it twice.

Contract: deliveries live in `state_dir/deliveries.sqlite`, one row per recipient; a kind+period
already delivered to an address (compared without case) is not sent to it again unless forced;
an address added later still gets it; recording is all-or-nothing; the clock is a parameter.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from schemas.errors import DeliveryError
from tasks.deliver.ledger import (
    Delivery,
    already_sent,
    ledger_path,
    recipients_to_send,
    record_delivery,
)

HELSINKI_SUMMER = timezone(timedelta(hours=3))
SENT = datetime(2018, 7, 2, 9, 0, tzinfo=HELSINKI_SUMMER)
BOARD = ("puheenjohtaja@example.org", "Jasen@Example.org")


def test_empty_state_folder_has_no_deliveries_and_creates_no_file(tmp_path: Path) -> None:
    assert already_sent(tmp_path, "report", "2018H1", BOARD) == []
    assert recipients_to_send(tmp_path, "report", "2018H1", BOARD) == BOARD
    assert not (tmp_path / "deliveries.sqlite").exists()


def test_recorded_delivery_is_found_per_recipient_without_case(tmp_path: Path) -> None:
    record_delivery(tmp_path, "report", "2018H1", BOARD, "<m1@example.org>", "abc", SENT)

    found = already_sent(tmp_path, "report", "2018H1", ["JASEN@example.org"])

    assert ledger_path(tmp_path) == tmp_path / "deliveries.sqlite"
    assert found == [
        Delivery("report", "2018H1", "jasen@example.org", "<m1@example.org>", "abc", SENT)
    ]
    assert found[0].sent_at.utcoffset() == timedelta(hours=3)


def test_same_report_is_not_sent_twice_but_a_new_recipient_gets_it(tmp_path: Path) -> None:
    record_delivery(tmp_path, "report", "2018H1", BOARD, "<m1@example.org>", "abc", SENT)
    later = (*BOARD, "uusi.jasen@example.org")

    assert recipients_to_send(tmp_path, "report", "2018H1", later) == ("uusi.jasen@example.org",)
    assert recipients_to_send(tmp_path, "report", "2018H1", BOARD) == ()


def test_force_sends_again_and_both_deliveries_are_kept(tmp_path: Path) -> None:
    record_delivery(tmp_path, "report", "2018H1", BOARD[:1], "<m1@example.org>", "abc", SENT)
    assert recipients_to_send(tmp_path, "report", "2018H1", BOARD[:1], force=True) == BOARD[:1]

    record_delivery(
        tmp_path, "report", "2018H1", BOARD[:1], "<m2@example.org>", "def", SENT + timedelta(days=1)
    )

    ids = [d.message_id for d in already_sent(tmp_path, "report", "2018H1", BOARD[:1])]
    assert ids == ["<m1@example.org>", "<m2@example.org>"]


def test_other_period_or_kind_does_not_count(tmp_path: Path) -> None:
    record_delivery(tmp_path, "report", "2017H2", BOARD, "<m1@example.org>", "abc", SENT)
    record_delivery(tmp_path, "check", "2018H1", BOARD, "<m2@example.org>", "abc", SENT)

    assert already_sent(tmp_path, "report", "2018H1", BOARD) == []
    assert recipients_to_send(tmp_path, "report", "2018H1", BOARD) == BOARD


def test_deliveries_come_back_in_time_order_across_offsets(tmp_path: Path) -> None:
    # 08:00 UTC is 11:00 in Helsinki: later than 09:00 Helsinki although it is written "earlier"
    record_delivery(
        tmp_path,
        "report",
        "2018H1",
        BOARD[:1],
        "<late@x.org>",
        "b",
        datetime(2018, 7, 2, 8, 0, tzinfo=UTC),
    )
    record_delivery(tmp_path, "report", "2018H1", BOARD[:1], "<early@x.org>", "a", SENT)

    ids = [d.message_id for d in already_sent(tmp_path, "report", "2018H1", BOARD[:1])]
    assert ids == ["<early@x.org>", "<late@x.org>"]


def test_naive_time_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="timezone"):
        record_delivery(
            tmp_path, "report", "2018H1", BOARD, "<m@x.org>", "a", datetime(2018, 7, 2, 9, 0)
        )


def test_recording_is_all_or_nothing(tmp_path: Path) -> None:
    record_delivery(tmp_path, "report", "2017H2", BOARD[:1], "<m0@x.org>", "a", SENT)
    with sqlite3.connect(ledger_path(tmp_path)) as conn:  # make the second row fail
        conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON deliveries "
            "WHEN NEW.recipient = 'jasen@example.org' "
            "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
        )
    conn.close()

    with pytest.raises(DeliveryError, match="disk on fire"):
        record_delivery(tmp_path, "report", "2018H1", BOARD, "<m1@x.org>", "b", SENT)

    assert already_sent(tmp_path, "report", "2018H1", BOARD) == []


def test_unreadable_ledger_is_a_delivery_error(tmp_path: Path) -> None:
    ledger_path(tmp_path).write_bytes(b"this is not a database" * 100)

    with pytest.raises(DeliveryError, match="delivery ledger"):
        already_sent(tmp_path, "report", "2018H1", BOARD)
