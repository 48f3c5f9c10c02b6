"""Deliver a rendered report: one `Message`, two ways out (SMTP or an outbox folder).

The MIME message is built here with the stdlib `email` package, not by yagmail: yagmail 0.16's
`prepare_message` turns every newline of an HTML body into `<br>`, wraps bodies in `<div>`,
appends each inline image as an extra `<img>` whose Content-ID comes from Python's per-process
`hash()` (so our HTML cannot reference it), sends the HTML itself as the plain-text alternative and
types nameless in-memory attachments `none/none`. yagmail stays the SMTP client: it opens the
connection (implicit TLS or STARTTLS with our verifying `ssl.SSLContext`) and logs in. The prepared
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
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Literal, NoReturn, Protocol

import yagmail
from pydantic import SecretStr

from d9.errors import ConfigError, DeliveryError
from d9.settings import Settings, Smtp

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


@dataclass(frozen=True)
class RetryPolicy:
    """Retry transient SMTP failures: `attempts` tries in all, backoff * 2**(n-1) after try n."""

    attempts: int = 3
    backoff_seconds: float = 5.0

    def delay(self, failed_attempt: int) -> float:
        """Return the wait after the `failed_attempt`-th try."""
        return float(self.backoff_seconds * 2 ** (failed_attempt - 1))


class _Failure(Exception):
    def __init__(self, reason: str, *, transient: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


class SmtpMailer:
    """Send through an SMTP server with yagmail; retry only transient failures."""

    def __init__(
        self,
        smtp: Smtp,
        password: SecretStr | str | None,
        *,
        retry: RetryPolicy = RetryPolicy(),
        ssl_context: ssl.SSLContext | None = None,
        cafile: str | Path | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Clock = local_now,
    ) -> None:
        secret = password.get_secret_value() if isinstance(password, SecretStr) else password
        if smtp.user and not secret:
            raise ConfigError(
                f"SMTP user '{smtp.user}' is set but no password was found "
                f"(set {smtp.password_env} or [smtp] password_block)"
            )
        if retry.attempts < 1:
            raise ConfigError("SMTP retry attempts must be at least 1")
        self.smtp = smtp
        self._password = secret or None
        self._context = ssl_context or tls_context(smtp.verify_certificate, cafile)
        self._retry, self._sleep, self._clock = retry, sleep, clock

    @property
    def _where(self) -> str:
        return f"{self.smtp.host}:{self.smtp.port}"

    def send(self, message: Message) -> DeliveryReceipt:
        """Deliver to every recipient once, or raise DeliveryError naming the reason."""
        message_id = new_message_id(message.sender)
        data = build_mime(message, message_id=message_id, now=self._clock()).as_bytes()
        pending, delivered, refused = list(message.to), list[str](), dict[str, str]()
        for attempt in range(1, self._retry.attempts + 1):
            try:
                answers = self._transmit(message.sender, pending, data)
            except _Failure as failure:
                if not failure.transient or attempt == self._retry.attempts:
                    self._fail(failure.reason, attempt, message, message_id, delivered)
                self._wait(attempt, failure.reason)
                continue
            delivered += [r for r in pending if r not in answers]
            refused |= {r: _reply(*a) for r, a in answers.items() if a[0] >= 500}
            pending = [r for r, a in answers.items() if a[0] < 500]
            if not pending:
                break
            if attempt < self._retry.attempts:
                self._wait(attempt, f"recipients deferred: {', '.join(pending)}")
        refused |= {r: "still deferred after the last attempt" for r in pending}
        receipt = DeliveryReceipt(
            "smtp", message_id, tuple(delivered), message_digest(message), attempts=attempt
        )
        if refused:
            self._refused(refused, receipt)
        return receipt

    def _wait(self, attempt: int, reason: str) -> None:
        delay = self._retry.delay(attempt)
        log.warning(
            "SMTP %s: attempt %d of %d failed (%s); retrying in %.0f s",
            self._where,
            attempt,
            self._retry.attempts,
            self._scrub(reason),
            delay,
        )
        self._sleep(delay)

    def _fail(
        self, reason: str, attempt: int, message: Message, message_id: str, delivered: list[str]
    ) -> NoReturn:
        tries = f" after {attempt} attempts" if attempt > 1 else ""
        text = self._scrub(f"SMTP {self._where}: {reason}{tries}")
        if delivered:
            receipt = DeliveryReceipt(
                "smtp", message_id, tuple(delivered), message_digest(message), attempts=attempt
            )
            rest = tuple(r for r in message.to if r not in delivered)
            raise PartialDeliveryError(text, receipt=receipt, refused=rest)
        raise DeliveryError(text)

    def _refused(self, refused: dict[str, str], receipt: DeliveryReceipt) -> NoReturn:
        detail = "; ".join(f"{r} ({why})" for r, why in refused.items())
        text = self._scrub(f"SMTP {self._where}: recipient refused: {detail}")
        if receipt.recipients:
            raise PartialDeliveryError(text, receipt=receipt, refused=tuple(refused))
        raise DeliveryError(text)

    def _scrub(self, text: str) -> str:
        return text.replace(self._password, "***") if self._password else text

    def _transmit(
        self, sender: str, recipients: list[str], data: bytes
    ) -> dict[str, tuple[int, bytes]]:
        """Connect, log in, send once; return the recipients the server refused."""
        client = self._client()
        try:
            client.login()  # yagmail: connect, TLS, AUTH unless smtp_skip_login
            try:
                refused = client.smtp.sendmail(sender, recipients, data)
            except smtplib.SMTPRecipientsRefused as exc:
                refused = exc.recipients
            _quit(client.smtp)  # delivered: a failing QUIT must not cause a second copy
            return dict(refused)
        except (smtplib.SMTPException, OSError) as exc:
            raise _classify(exc, self.smtp.user) from None
        finally:
            _close(client)

    def _client(self) -> yagmail.SMTP:
        tls = self.smtp.security
        connection_args: dict[str, object] = {"timeout": self.smtp.timeout_seconds}
        if tls == "ssl":
            connection_args["context"] = self._context
        client = yagmail.SMTP(
            # a {user: alias} dict keeps yagmail from appending "@gmail.com" to a bare user name
            {self.smtp.user: self.smtp.user} if self.smtp.user else None,
            self._password,
            host=self.smtp.host,
            port=self.smtp.port,
            smtp_ssl=tls == "ssl",
            smtp_starttls={"context": self._context} if tls == "starttls" else False,
            smtp_skip_login=not self.smtp.user,
            soft_email_validation=False,
            **connection_args,
        )
        client.set_logging(None)  # yagmail's own handler would print to stderr
        return client


def tls_context(verify: bool = True, cafile: str | Path | None = None) -> ssl.SSLContext:
    """Return a client TLS context that verifies the server (against `cafile` if given)."""
    context = ssl.create_default_context(cafile=str(cafile) if cafile else None)
    if not verify:  # explicit opt-out in the config: [smtp] verify_certificate = false
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _classify(exc: Exception, user: str) -> _Failure:
    if isinstance(exc, smtplib.SMTPAuthenticationError) and exc.smtp_code >= 500:
        reply = _reply(exc.smtp_code, exc.smtp_error)
        return _Failure(f"login refused for user '{user}' ({reply})", transient=False)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _Failure(f"server certificate not trusted ({exc.verify_message})", transient=False)
    if isinstance(exc, ssl.SSLError):
        return _Failure(f"TLS failed ({exc.reason or exc})", transient=False)
    if isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPNotSupportedError):
        return _Failure(str(exc), transient=False)
    if isinstance(exc, smtplib.SMTPResponseException):
        return _Failure(_reply(exc.smtp_code, exc.smtp_error), transient=exc.smtp_code < 500)
    if isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionError | TimeoutError):
        return _Failure(f"connection failed ({exc or type(exc).__name__})", transient=True)
    if isinstance(exc, OSError):
        return _Failure(f"cannot connect ({exc.strerror or type(exc).__name__})", transient=False)
    return _Failure(f"{type(exc).__name__}: {exc}", transient=False)


def _reply(code: int, text: bytes | str) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(text.split())}"


def _quit(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError) as exc:
        log.info("SMTP QUIT failed after delivery (%s)", type(exc).__name__)


def _close(client: yagmail.SMTP) -> None:
    client.is_closed = True  # keep yagmail's __del__ from talking to a dead connection
    if client.smtp is not None:
        client.smtp.close()


def mailer_for(settings: Settings, password: SecretStr | str | None) -> Mailer:
    """Pick the outbox folder when no SMTP host is configured, else SMTP."""
    if not settings.smtp.host:
        return OutboxMailer(settings.state_dir / "outbox")
    cafile = settings.resolve(settings.smtp.cafile) if settings.smtp.cafile else None
    return SmtpMailer(settings.smtp, password, cafile=cafile)
