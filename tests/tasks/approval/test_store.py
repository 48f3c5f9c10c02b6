"""The approval record of a run waiting for the team lead, kept in the state store.

Contract: the message comes back byte for byte (inline images, attachment, display name,
reply-to), with the deadline, the progress flags and the decision; a run that never previewed
has no record.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from schemas.approval import Decision, PendingApproval
from schemas.mail import Attachment, Message
from tasks.approval import load_pending, save_pending
from tasks.statedb import sqlite_store

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
EET = timezone(timedelta(hours=2))
NOW = datetime(2018, 7, 2, 8, 0, tzinfo=EET)


def _pending() -> PendingApproval:
    message = Message(
        to=("sg1@example.org", "sg2@example.org"),
        subject="D9-tilannekuva 1/2018",
        html='<p>Tilanne</p><img src="cid:chart1">',
        text="Tilanne ”30.6.2018”",
        sender="d9@example.org",
        inline_images={"chart1": PNG},
        attachments=(Attachment("d9-tilannekuva-2018H1.xlsx", b"PK\x03\x04\x00\xff", "a/b"),),
        report_key="report/2018H1",
        sender_name="D9-tiimi",
        reply_to="lead@example.org",
    )
    return PendingApproval(
        "run-1", "2018H1", "fi", message, datetime(2018, 7, 5, 8, 0, tzinfo=EET), True
    )


def test_a_pending_approval_comes_back_as_it_was_kept(tmp_path: Path) -> None:
    pending = _pending()
    save_pending(sqlite_store(tmp_path), pending, NOW)
    assert load_pending(sqlite_store(tmp_path), "run-1") == pending


def test_the_decision_and_delivery_are_kept_beside_the_message(tmp_path: Path) -> None:
    decided = datetime(2018, 7, 3, 9, 30, tzinfo=EET)
    pending = _pending()
    done = PendingApproval(
        **{
            **pending.__dict__,
            "preview_sent": True,
            "default_scheduled": True,
            "decision": Decision(True, "Hyvä, lähetä.", False, decided, "Katsaus **nyt**."),
            "delivered_to": ("sg1@example.org",),
        }
    )
    save_pending(sqlite_store(tmp_path), pending, NOW)
    save_pending(sqlite_store(tmp_path), done, NOW)
    back = load_pending(sqlite_store(tmp_path), "run-1")
    assert back == done and back.decision is not None
    assert back.decision.note == "Hyvä, lähetä." and back.decision.decided_at == decided
    assert back.decision.commentary == "Katsaus **nyt**."  # the review given at approval


def test_a_run_that_never_previewed_has_no_record(tmp_path: Path) -> None:
    assert load_pending(sqlite_store(tmp_path), "run-2") is None
    assert list(tmp_path.iterdir()) == []  # asking creates nothing
