"""A long subject reads back exactly as written, whatever mail reader unfolds it.

Python's own folder can leave `tai \\r\\n =?utf-8?q?l=C3=A4hell=C3=A4?=`, which readers show as
`tai  lähellä` (two spaces). Non-ASCII subjects are sent as encoded words throughout.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.parser import BytesParser

import pytest

from schemas.mail import Message
from tasks.deliver.mime import build_mime

SUBJECT = "D9-tilannekuva 1.1.–30.6.2018: tavoitteessa 2, aikataulussa tai lähellä 3, jäljessä 2"


def _raw(subject: str) -> bytes:
    message = Message(("a@example.org",), subject, "<p>x</p>", "x", "d9@example.org")
    return build_mime(
        message, message_id="<1@example.org>", now=datetime(2018, 7, 2, tzinfo=UTC)
    ).as_bytes()


@pytest.mark.parametrize("prefix", ["", "[Esikatselu] ", "[Esikatselu] " + "a" * 28 + " "])
def test_a_folded_finnish_subject_keeps_single_spaces(prefix: str) -> None:
    raw = _raw(prefix + SUBJECT)
    assert BytesParser(policy=policy.default).parsebytes(raw)["Subject"] == prefix + SUBJECT
    legacy = message_from_bytes(raw)["Subject"]
    assert str(make_header(decode_header(legacy))) == prefix + SUBJECT
    header = raw.split(b"\r\nDate:")[0]
    assert b" \r\n" not in header  # no space left before a fold
    assert all(len(line) <= 78 for line in header.split(b"\r\n"))


def test_an_ascii_subject_stays_plain_text() -> None:
    raw = _raw("D9 report 2018H1")
    assert b"\r\nSubject: D9 report 2018H1\r\n" in raw
