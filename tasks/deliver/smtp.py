"""SMTP delivery, yagmail as the client: TLS verified, transient failures retried, secrets masked.

yagmail opens the connection (implicit TLS or STARTTLS with our verifying `ssl.SSLContext`) and
logs in; the MIME bytes built by `tasks.deliver.mime.build_mime` go over its smtplib connection
in one SMTP transaction of our own (MAIL, RCPT, DATA), which knows when the message was handed
over: once the final "." has gone out, a timeout or a lost connection means the server may have
it. That is never retried (another copy would follow) but raised as `UnsureDeliveryError`; only
failures before the hand-over are retried, each on a new connection. yagmail's own `send`
retries blindly and returns False, so it is not used.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import yagmail
from pydantic import SecretStr

from schemas.errors import ConfigError, DeliveryError
from schemas.mail import DeliveryReceipt, Message, PartialDeliveryError, UnsureDeliveryError
from schemas.settings import Smtp
from tasks.deliver.mime import Clock, build_mime, local_now, message_digest, new_message_id
from tasks.deliver.transaction import HandOver, transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """Retry transient SMTP failures: `attempts` tries in all, backoff * 2**(n-1) after try n."""

    attempts: int = 3
    backoff_seconds: float = 5.0

    def delay(self, failed_attempt: int) -> float:
        """Return the wait after the `failed_attempt`-th try."""
        return float(self.backoff_seconds * 2 ** (failed_attempt - 1))


class _Failure(Exception):
    def __init__(
        self, reason: str, *, transient: bool, unsure: bool = False, accepted: tuple[str, ...] = ()
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.accepted = accepted  # the recipients the server had taken when the answer was lost
        self.transient = transient and not unsure
        self.unsure = unsure  # after the hand-over: the server may have the message


class SmtpMailer:
    """Send through an SMTP server with yagmail; retry only transient failures."""

    def __init__(
        self,
        smtp: Smtp,
        password: SecretStr | str | None,
        *,
        retry: RetryPolicy = RetryPolicy(),
        ssl_context: ssl.SSLContext | None = None,
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
        self._context = ssl_context or tls_context(smtp.verify_certificate)
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
                if failure.unsure:
                    self._unsure(failure, attempt, message, message_id, delivered)
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

    def _unsure(
        self, failure: _Failure, attempt: int, message: Message, message_id: str, done: list[str]
    ) -> NoReturn:
        unsure = tuple(r for r in message.to if r not in done and r in failure.accepted)
        text = self._scrub(
            f"SMTP {self._where}: {failure.reason} after the message was handed over: "
            f"it may have been delivered to {', '.join(unsure)}; not sent again"
        )
        receipt = (
            DeliveryReceipt("smtp", message_id, tuple(done), message_digest(message), attempt)
            if done
            else None
        )
        raise UnsureDeliveryError(
            text,
            message_id=message_id,
            digest=message_digest(message),
            unsure=unsure,
            delivered=receipt,
        )

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
        client, handed = self._client(), HandOver()
        try:
            client.login()  # yagmail: connect, TLS, AUTH unless smtp_skip_login
            try:
                refused = transaction(client.smtp, sender, recipients, data, handed)
            except smtplib.SMTPRecipientsRefused as exc:
                refused = exc.recipients
            _quit(client.smtp)  # delivered: a failing QUIT must not cause a second copy
            return dict(refused)
        except (smtplib.SMTPException, OSError) as exc:
            failure = _classify(exc, self.smtp.user)
            if handed.done and not isinstance(exc, smtplib.SMTPResponseException):
                # no answer to the end of DATA (a reply, even 4xx, says it was not taken)
                raise _lost(failure.reason, handed) from None
            raise failure from None
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM while sending: say what may have gone out
            if handed.done:
                raise _lost("interrupted", handed) from None
            raise
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


def _lost(reason: str, handed: HandOver) -> _Failure:
    return _Failure(reason, transient=False, unsure=True, accepted=handed.accepted)


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
