"""One SMTP transaction — MAIL, RCPT, DATA — that knows when the message was handed over.

smtplib's `sendmail` does the same, but cannot say whether a failure came before or after the
end of DATA went out. Before it, nothing was delivered and a retry is safe; after it, a timeout
or a lost connection means the server may already have queued the message (a retry would send a
second copy), so the mailer must not retry.
"""

from __future__ import annotations

import re
import smtplib
from dataclasses import dataclass


@dataclass
class HandOver:
    """Whether the end of DATA went out in the current transaction, and to whom."""

    done: bool = False
    accepted: tuple[str, ...] = ()


def transaction(
    conn: smtplib.SMTP, sender: str, recipients: list[str], data: bytes, handed: HandOver
) -> dict[str, tuple[int, bytes]]:
    """MAIL, RCPT, DATA as smtplib's `sendmail` does, noting when the message was handed over."""
    conn.ehlo_or_helo_if_needed()
    options = [f"size={len(data)}"] if conn.does_esmtp and conn.has_extn("size") else []
    code, answer = conn.mail(sender, options)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, answer, sender)
    refused: dict[str, tuple[int, bytes]] = {}
    for recipient in recipients:
        code, answer = conn.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, answer)
        if code == 421:  # the server is closing the connection
            raise smtplib.SMTPRecipientsRefused(refused)
    if len(refused) == len(recipients):
        raise smtplib.SMTPRecipientsRefused(refused)
    conn.putcmd("data")
    code, answer = conn.getreply()
    if code != 354:
        raise smtplib.SMTPDataError(code, answer)
    conn.send(_dotted(data))
    handed.done, handed.accepted = True, tuple(r for r in recipients if r not in refused)
    code, answer = conn.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, answer)
    return refused


def _dotted(data: bytes) -> bytes:
    """The message as DATA carries it: lines starting with "." doubled, then CRLF "." CRLF."""
    body = re.sub(rb"(?m)^\.", b"..", data)
    return body + (b"" if body.endswith(b"\r\n") else b"\r\n") + b".\r\n"
