"""What delivery takes and gives: a complete `Message`, its `DeliveryReceipt`, the `Mailer` seam."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Literal, Protocol

from schemas.contract import EMAIL_ADDRESS
from schemas.errors import ConfigError, DeliveryError, StateError


class DeliveryState(StrEnum):
    """A recipient's row in the delivery ledger: claimed and being sent, sent, or unsure.

    Unsure: the message was handed over, then the server's answer never came (a timeout, a lost
    connection, the run stopped): it may have been delivered, and nobody can tell.
    """

    SENDING = "sending"
    SENT = "sent"
    UNSURE = "unsure"


@dataclass(frozen=True)
class MailKey:
    """Which mail the ledger keys a delivery by: a kind of report and its period."""

    kind: str  # e.g. "report"
    period: str  # e.g. "2018H1"

    def __str__(self) -> str:
        return f"{self.kind} {self.period}"


@dataclass(frozen=True)
class InDoubt:
    """A delivery nobody can vouch for, as the team lead is told of it: a person decides."""

    key: MailKey
    recipient: str
    since: datetime | None  # when sending started
    unsure: bool  # True: handed over, no answer; False: the run sending it stopped
    claimed_by: str = ""  # host:pid of the run
    message_id: str = ""  # to look for in the mail server's log ("" when never handed over)
    subject: str = ""


_CID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(@[A-Za-z0-9.-]+)?$")
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Attachment:
    """A file attached to a message, always with a name and a MIME type."""

    filename: str
    content: bytes
    mime_type: str

    def __post_init__(self) -> None:
        if not self.filename or "/" in self.filename or "\\" in self.filename:
            raise ValueError(f"attachment needs a plain file name, got {self.filename!r}")
        if not re.fullmatch(r"[\w.+-]+/[\w.+-]+", self.mime_type):
            raise ValueError(f"not a MIME type: {self.mime_type!r}")


@dataclass(frozen=True)
class Message:
    """A complete email: HTML with inline PNG images by cid, a text alternative, attachments."""

    to: tuple[str, ...]
    subject: str
    html: str
    text: str
    sender: str
    inline_images: Mapping[str, bytes] = field(default_factory=dict)  # cid -> PNG bytes
    attachments: tuple[Attachment, ...] = ()
    report_key: str = ""  # stable key, e.g. "report/2018H1"; sent as X-D9-Report
    headers: Mapping[str, str] = field(default_factory=dict)
    sender_name: str = ""  # display name in From, e.g. "D9-tiimi"
    reply_to: str = ""  # where replies go (the team lead); "" = to the sender

    def __post_init__(self) -> None:
        if isinstance(self.to, str):
            raise TypeError("Message.to must be a tuple of addresses, not a string")
        object.__setattr__(self, "to", tuple(self.to))
        object.__setattr__(self, "attachments", tuple(self.attachments))
        if not self.to:
            raise ConfigError("no recipients for the message")
        for address in (*self.to, self.sender, *((self.reply_to,) if self.reply_to else ())):
            if not EMAIL_ADDRESS.fullmatch(address):
                raise ConfigError(f"not an email address: {address!r}")
        one_line = (self.subject, self.report_key, self.sender_name)
        for value in (*one_line, *self.headers, *self.headers.values()):
            if "\r" in value or "\n" in value:
                raise ValueError(f"header text must be one line: {value!r}")
        for cid, png in self.inline_images.items():
            _check_image(cid, png, self.html)


def _check_image(cid: str, png: bytes, html: str) -> None:
    if not _CID.match(cid):
        raise ValueError(f"inline image id {cid!r} is not a safe Content-ID")
    if not png.startswith(_PNG_MAGIC):
        raise ValueError(f"inline image {cid!r} is not a PNG")
    if not cid_pattern(cid).search(html):
        raise ValueError(f"inline image {cid!r} is not referenced from the HTML as cid:{cid}")


def cid_pattern(cid: str) -> re.Pattern[str]:
    """Match `cid:<cid>` in HTML, not a longer id that starts the same way."""
    return re.compile(r"cid:" + re.escape(cid) + r"(?![A-Za-z0-9._@-])")


@dataclass(frozen=True)
class DeliveryReceipt:
    """What was delivered, how, and where (outbox paths)."""

    transport: Literal["smtp", "outbox"]
    message_id: str
    recipients: tuple[str, ...]
    digest: str
    attempts: int = 1
    paths: tuple[Path, ...] = ()


class PartialDeliveryError(DeliveryError):
    """Some recipients got the message, others were refused: record the former, report the rest."""

    def __init__(self, message: str, *, receipt: DeliveryReceipt, refused: tuple[str, ...]) -> None:
        super().__init__(message)
        self.receipt = receipt
        self.refused = refused


class UnsureDeliveryError(DeliveryError):
    """The message was handed over, then the answer was lost: it may have been delivered.

    Never retried and never resent without `force`; `unsure` are the recipients the server had
    accepted, `delivered` what earlier attempts surely delivered (None when nothing).
    """

    def __init__(
        self,
        message: str,
        *,
        message_id: str,
        digest: str,
        unsure: tuple[str, ...],
        delivered: DeliveryReceipt | None = None,
    ) -> None:
        super().__init__(message)
        self.message_id = message_id
        self.digest = digest
        self.unsure = unsure
        self.delivered = delivered


class OutboxError(StateError):
    """The outbox folder (in the state folder) cannot be written: nothing was delivered."""


class Mailer(Protocol):
    """Anything that can deliver a `Message`."""

    def send(self, message: Message) -> DeliveryReceipt:
        """Deliver `message` or raise DeliveryError."""
        ...
