"""A real SMTP server on 127.0.0.1 for delivery tests (aiosmtpd), with a throwaway test CA.

`make_certificates(folder)` makes a CA and a server certificate for 127.0.0.1/localhost.
`running_smtp_server(security, certs)` starts a server (plain, STARTTLS or implicit TLS) on a
free port; the yielded `SmtpServer` records every transaction and can be told to answer
temporary failures for the first N transactions, to reject a recipient with 550, or to take
`data_delay_seconds` before answering DATA (a slow server, for races), or to store the message
and answer only after `answer_delay_seconds` (past the client's timeout: it may have been sent).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.support.net import free_port

Stage = Literal["mail", "rcpt", "data"]


@dataclass(frozen=True)
class Certificates:
    """PEM files of a test CA and of a server certificate it signed."""

    ca_file: Path
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        """Build the server side TLS context."""
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert_file, self.key_file)
        return ctx


@dataclass(frozen=True)
class Received:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    tls: bool
    login: str | None

    def parsed(self) -> EmailMessage:
        """Parse the raw message with the modern email API."""
        message = BytesParser(policy=policy.default).parsebytes(self.data)
        assert isinstance(message, EmailMessage)
        return message


@dataclass
class SmtpServer:
    """Recorded traffic and scripted answers of one running test server."""

    host: str
    port: int
    credentials: dict[str, str] = field(default_factory=dict)
    messages: list[Received] = field(default_factory=list)
    transactions: int = 0  # MAIL FROM commands seen
    rcpt_commands: list[str] = field(default_factory=list)
    data_delay_seconds: float = 0.0
    data_started: int = 0  # DATA commands received (answered or not yet)
    answer_delay_seconds: float = 0.0  # store the message, then wait this long to answer

    _fail_until: int = 0  # transactions numbered up to this one fail
    _fail_code: int = 451
    _fail_stage: Stage = "data"
    _rejected: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        """Forget traffic, scripted failures and accounts."""
        with self._lock:
            self.messages.clear()
            self.rcpt_commands.clear()
            self.credentials.clear()
            self.transactions = 0
            self._fail_until = 0
            self._rejected.clear()

    def fail_first(self, n: int, code: int = 451, stage: Stage = "data") -> None:
        """Answer `code` at `stage` in the next `n` transactions; code 0 drops the connection."""
        self._fail_until, self._fail_code, self._fail_stage = self.transactions + n, code, stage

    def reject(self, address: str, code: int = 550) -> None:
        """Refuse RCPT TO for `address` with `code`."""
        self._rejected[address.lower()] = code

    def _scripted_failure(self, stage: Stage) -> str | None:
        if self.transactions <= self._fail_until and self._fail_stage == stage:
            if self._fail_code < 500:
                return f"{self._fail_code} 4.3.0 Temporary failure, try again later"
            return f"{self._fail_code} 5.6.0 Message refused"
        return None

    # aiosmtpd handler hooks -------------------------------------------------------------
    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        with self._lock:
            self.transactions += 1
            failure = self._scripted_failure("mail")
        if failure and self._fail_code == 0:
            server.transport.close()  # the client sees the connection vanish mid-transaction
            return "421 4.4.2 Connection dropped"
        if failure:
            return failure
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        with self._lock:
            self.rcpt_commands.append(address)
            failure = self._scripted_failure("rcpt")
        if failure:
            return failure
        code = self._rejected.get(address.lower())
        if code:
            return f"{code} 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            self.data_started += 1
        if self.data_delay_seconds:
            await asyncio.sleep(self.data_delay_seconds)
        with self._lock:
            failure = self._scripted_failure("data")
            if failure:
                return failure
            login = session.auth_data.login.decode() if session.authenticated else None
            self.messages.append(
                Received(
                    mail_from=envelope.mail_from,
                    rcpt_tos=tuple(envelope.rcpt_tos),
                    data=bytes(envelope.content),
                    tls=_is_tls(server, session),
                    login=login,
                )
            )
        if self.answer_delay_seconds:  # a server that queued it, then answers too late
            await asyncio.sleep(self.answer_delay_seconds)
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        """Accept a LOGIN/PLAIN pair found in `credentials`."""
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = auth_data.login.decode(), auth_data.password.decode()
        ok = self.credentials.get(user) == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def _is_tls(server: Any, session: Any) -> bool:
    implicit = server.transport.get_extra_info("ssl_object") is not None
    return implicit or session.ssl is not None


@contextmanager
def running_smtp_server(
    security: Literal["none", "starttls", "ssl"], certs: Certificates | None = None
) -> Iterator[SmtpServer]:
    """Run an SMTP server on 127.0.0.1 until the block ends."""
    server = SmtpServer(host="127.0.0.1", port=free_port())
    kwargs: dict[str, Any] = {
        "hostname": server.host,
        "port": server.port,
        "authenticator": server.authenticate,
        "auth_require_tls": False,
        "server_hostname": "localhost",
        "ready_timeout": 5.0,
    }
    if security != "none":
        assert certs is not None, "TLS servers need test certificates"
        key = "ssl_context" if security == "ssl" else "tls_context"
        kwargs[key] = certs.server_context()
        kwargs["require_starttls"] = security == "starttls"
    controller = Controller(server, **kwargs)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


def make_certificates(folder: Path) -> Certificates:
    """Write a fresh CA and a server certificate for 127.0.0.1 and localhost into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "d9 test CA")])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        _builder(ca_name, ca_name, ca_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    san = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (
        _builder(name, ca_name, key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    certs = Certificates(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    certs.ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    certs.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    certs.key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certs


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key: Any, now: dt.datetime
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )
