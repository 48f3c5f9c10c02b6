"""Deliver a rendered report: one `Message`, two ways out (SMTP or an outbox folder).

The MIME message is built here with the stdlib `email` package, not by yagmail: yagmail 0.16's
`prepare_message` turns every newline of an HTML body into `<br>`, wraps bodies in `<div>`,
appends each inline image as an extra `<img>` whose Content-ID comes from Python's per-process
`hash()` (so our HTML cannot reference it), sends the HTML itself as the plain-text alternative and
types nameless in-memory attachments `none/none`. yagmail stays the SMTP client: it opens the
connection (see `tasks.smtp`: implicit TLS or STARTTLS, verified) and logs in. The prepared
bytes then go over its smtplib connection with `sendmail`, which raises on failure, where yagmail's
own `send` would retry blindly with sleeps and finally return False.

Layout of every message: multipart/mixed > [multipart/alternative > [text/plain,
multipart/related > [text/html, image/png (Content-ID = the cid the HTML refers to) ...]],
attachments ...].
"""

from __future__ import annotations

import glob
import hashlib
import logging
import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Literal, Protocol

from pydantic import SecretStr

from d9.errors import ConfigError, DeliveryError
from d9.settings import Settings

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
_ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"\\]+@[^@\s<>()\[\],;:\"\\]+$")
_CID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(@[A-Za-z0-9.-]+)?$")
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def local_now() -> datetime:
    """Return the current local time, timezone-aware."""
    return datetime.now().astimezone()


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

    def __post_init__(self) -> None:
        if isinstance(self.to, str):
            raise TypeError("Message.to must be a tuple of addresses, not a string")
        object.__setattr__(self, "to", tuple(self.to))
        object.__setattr__(self, "attachments", tuple(self.attachments))
        if not self.to:
            raise ConfigError("no recipients for the message")
        for address in (*self.to, self.sender):
            if not _ADDRESS.match(address):
                raise ConfigError(f"not an email address: {address!r}")
        for value in (self.subject, self.report_key, *self.headers, *self.headers.values()):
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


class Mailer(Protocol):
    """Anything that can deliver a `Message`."""

    def send(self, message: Message) -> DeliveryReceipt:
        """Deliver `message` or raise DeliveryError."""
        ...


def message_digest(message: Message) -> str:
    """Return a SHA-256 over the content (not the envelope) of a message."""
    h = hashlib.sha256()
    for part in (message.subject, message.html, message.text):
        h.update(part.encode("utf-8") + b"\0")
    for cid in sorted(message.inline_images):
        h.update(cid.encode() + b"\0" + message.inline_images[cid] + b"\0")
    for att in message.attachments:
        h.update(f"{att.filename}\0{att.mime_type}\0".encode() + att.content + b"\0")
    return h.hexdigest()


def new_message_id(sender: str) -> str:
    """Make a unique Message-ID in the sender's domain."""
    return make_msgid(domain=sender.rpartition("@")[2])


def build_mime(message: Message, *, message_id: str, now: datetime) -> EmailMessage:
    """Build the RFC 5322 message: text + HTML alternatives, related images, attachments."""
    mime = EmailMessage(policy=policy.SMTP)
    mime["From"] = message.sender
    mime["To"] = ", ".join(message.to)
    mime["Subject"] = message.subject
    mime["Date"] = format_datetime(now)
    mime["Message-ID"] = message_id
    mime["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    if message.report_key:
        mime["X-D9-Report"] = message.report_key
    for name, value in message.headers.items():
        mime[name] = value
    mime.set_content(message.text)
    mime.add_alternative(message.html, subtype="html")
    html_part = mime.get_payload()[1]  # type: ignore[index]
    for cid, png in message.inline_images.items():
        html_part.add_related(  # type: ignore[union-attr]
            png,
            maintype="image",
            subtype="png",
            cid=f"<{cid}>",
            disposition="inline",
            filename=f"{cid.partition('@')[0]}.png",
        )
    for att in message.attachments:
        maintype, subtype = att.mime_type.split("/")
        mime.add_attachment(att.content, maintype=maintype, subtype=subtype, filename=att.filename)
    return mime


# --- outbox ---------------------------------------------------------------------------------


class OutboxMailer:
    """Write each message as `<stem>.eml` plus `<stem>.html` with its images, for people to open."""

    def __init__(self, folder: Path, clock: Clock = local_now) -> None:
        self.folder = Path(folder)
        self._clock = clock

    def send(self, message: Message) -> DeliveryReceipt:
        """Write the message files atomically; the .eml is written last."""
        now = self._clock()
        message_id = new_message_id(message.sender)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            stem = _unique_stem(self.folder, message, now)
            paths = self._write_browser_copy(message, stem)
            eml = build_mime(message, message_id=message_id, now=now).as_bytes()
            paths.insert(0, _write_atomic(self.folder / f"{stem}.eml", eml))
        except OSError as exc:
            raise DeliveryError(
                f"cannot write the outbox ({exc.strerror or exc})", file=str(self.folder)
            ) from None
        return DeliveryReceipt(
            "outbox", message_id, message.to, message_digest(message), paths=tuple(paths)
        )

    def _write_browser_copy(self, message: Message, stem: str) -> list[Path]:
        html, paths = message.html, list[Path]()
        for i, (cid, png) in enumerate(message.inline_images.items(), start=1):
            path = _write_atomic(self.folder / f"{stem}.{i}-{_safe_name(cid)}.png", png)
            html = cid_pattern(cid).sub(path.name, html)
            paths.append(path)
        for att in message.attachments:
            paths.append(
                _write_atomic(self.folder / f"{stem}.{_safe_name(att.filename)}", att.content)
            )
        paths.insert(0, _write_atomic(self.folder / f"{stem}.html", html.encode("utf-8")))
        return paths


def _unique_stem(folder: Path, message: Message, now: datetime) -> str:
    base = f"{now:%Y%m%d-%H%M%S}-{_safe_name(message.report_key or message.subject)[:40]}"
    stem, n = base, 1
    while any(folder.glob(f"{glob.escape(stem)}.*")):
        n += 1
        stem = f"{base}-{n}"
    return stem


def _safe_name(text: str) -> str:
    """Keep letters, digits, dot, dash and underscore; never a path or a hidden file."""
    name = re.sub(r"[^\w.-]+", "_", text, flags=re.UNICODE).strip("._")
    return name or "message"


def _write_atomic(path: Path, data: bytes) -> Path:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


# --- SMTP -----------------------------------------------------------------------------------


def mailer_for(settings: Settings, password: SecretStr | str | None) -> Mailer:
    """Pick the outbox folder when no SMTP host is configured, else SMTP."""
    if not settings.smtp.host:
        return OutboxMailer(settings.state_dir / "outbox")
    from tasks.smtp import RetryPolicy, SmtpMailer  # smtplib, ssl, yagmail: only when mail goes out

    smtp = settings.smtp
    cafile = settings.resolve(smtp.cafile) if smtp.cafile else None
    retry = RetryPolicy(attempts=smtp.attempts, backoff_seconds=smtp.backoff_seconds)
    return SmtpMailer(smtp, password, retry=retry, cafile=cafile)
