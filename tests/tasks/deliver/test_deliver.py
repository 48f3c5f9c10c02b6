"""Delivery sends one correct message, once, or fails with one clear DeliveryError.

Contract, checked against a real SMTP server on 127.0.0.1 (aiosmtpd; plain, STARTTLS, SSL):
- the received HTML is exactly ours (no `<br>` added by yagmail) but for the image references:
  each inline image is a related part whose Content-ID, unique to the message, the HTML refers
  to by `cid:`; the xlsx keeps its name and MIME type; From carries the display name and
  Reply-To the team lead;
- TLS verifies the server against the trusted CA; an untrusted certificate fails, unretried;
- temporary failures (421/451, dropped connections) are retried and delivered exactly once;
  a refused recipient (550) or a failed login is not retried; the password never shows;
- without SMTP the outbox gets a parseable .eml plus an HTML copy a browser can open.
"""

from __future__ import annotations

import email
import logging
import socket
import struct
import time
import zlib
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from schemas.errors import ConfigError, DeliveryError
from schemas.mail import Attachment, MailKey, Message, PartialDeliveryError
from schemas.settings import Settings, Smtp, State
from tasks.deliver import Dispatch, mailer_for, send_once
from tasks.deliver.ledger import claim, claims
from tasks.deliver.mime import build_mime, message_digest, new_message_id
from tasks.deliver.outbox import OutboxMailer
from tasks.deliver.smtp import RetryPolicy, SmtpMailer, tls_context
from tasks.statedb import sqlite_store
from tests.support.smtp import (
    Certificates,
    SmtpServer,
    free_port,
    make_certificates,
    running_smtp_server,
)

pytestmark = pytest.mark.integration

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTML = """<!DOCTYPE html>
<html lang="fi">
<head><meta charset="utf-8"><title>Tilannekuva</title></head>
<body>
<h1>Tilannekuva 2018H1</h1>
<p>Toteutuneet toimeksiannot: 42 / 50</p>
<p><img src="cid:kaavio1" alt="Kaavio 1">
<img src="cid:kaavio10" alt="Kaavio 10"></p>
</body>
</html>
"""
TEXT = "Tilannekuva 2018H1\n\nToteutuneet toimeksiannot: 42 / 50\n"
PASSWORD = "Sal4-sana!x"
SENT = datetime(2018, 7, 2, 9, 0, tzinfo=timezone(timedelta(hours=3)))
KEY = MailKey("report", "2018H1")


def png(red: int) -> bytes:
    """Make a real 1x1 PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(bytes([0, red, 0, 0]))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


IMAGES = {"kaavio1": png(10), "kaavio10": png(200)}
APPENDIX = Attachment("Tilannekuva 2018H1 liitteet-ä.xlsx", b"PK\x03\x04 not really a zip", XLSX)


def report(to: tuple[str, ...] = ("seurantaryhma@example.org",)) -> Message:
    return Message(
        to=to,
        subject="D9-tilannekuva 2018H1 – yhteenveto",
        html=HTML,
        text=TEXT,
        sender="d9-raportti@example.org",
        inline_images=IMAGES,
        attachments=(APPENDIX,),
        report_key="report/2018H1",
        sender_name="D9-tiimi",
        reply_to="tiimivetaja@example.org",
    )


def _cids(message_id: str) -> dict[str, str]:
    """The Content-IDs build_mime gives kaavio1 and kaavio10 in the message `message_id`."""
    local, _, domain = message_id.strip("<>").partition("@")
    token = "".join(c for c in local if c.isalnum())[-16:]
    return {cid: f"{cid}.{token}@{domain}" for cid in IMAGES}


def _sent_html(message_id: str) -> str:
    cids = _cids(message_id)
    return HTML.replace('"cid:kaavio10"', f'"cid:{cids["kaavio10"]}"').replace(
        '"cid:kaavio1"', f'"cid:{cids["kaavio1"]}"'
    )


# --- servers ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="module")
def _plain() -> Iterator[SmtpServer]:
    with running_smtp_server("none") as server:
        yield server


@pytest.fixture(scope="module")
def _starttls(certs: Certificates) -> Iterator[SmtpServer]:
    with running_smtp_server("starttls", certs) as server:
        yield server


@pytest.fixture(scope="module")
def _ssl(certs: Certificates) -> Iterator[SmtpServer]:
    with running_smtp_server("ssl", certs) as server:
        yield server


@pytest.fixture
def plain(_plain: SmtpServer) -> SmtpServer:
    _plain.reset()
    return _plain


@pytest.fixture
def servers(_plain: SmtpServer, _starttls: SmtpServer, _ssl: SmtpServer) -> dict[str, SmtpServer]:
    for server in (_plain, _starttls, _ssl):
        server.reset()
    return {"none": _plain, "starttls": _starttls, "ssl": _ssl}


@pytest.fixture
def sleeps() -> list[float]:
    return []


def smtp_mailer(
    server: SmtpServer,
    sleeps: list[float],
    *,
    security: str = "none",
    user: str = "",
    password: str | None = None,
    **kwargs: object,
) -> SmtpMailer:
    settings = Smtp(
        host=server.host, port=server.port, security=security, user=user, timeout_seconds=5
    )
    return SmtpMailer(
        settings,
        password,
        retry=RetryPolicy(attempts=3, backoff_seconds=1),
        sleep=sleeps.append,
        clock=lambda: SENT,
        **kwargs,
    )  # type: ignore[arg-type]


# --- the message -----------------------------------------------------------------------------


def test_one_message_arrives_with_exact_html_cid_images_and_named_xlsx(
    plain: SmtpServer, sleeps: list[float]
) -> None:
    receipt = smtp_mailer(plain, sleeps).send(report())

    assert len(plain.messages) == 1
    got = plain.messages[0]
    assert (got.mail_from, got.rcpt_tos, got.login) == (
        "d9-raportti@example.org",
        ("seurantaryhma@example.org",),
        None,
    )
    msg = got.parsed()
    assert msg.get_content_type() == "multipart/mixed"
    assert msg["Subject"] == "D9-tilannekuva 2018H1 – yhteenveto"
    assert msg["X-D9-Report"] == "report/2018H1"
    assert msg["Message-ID"] == receipt.message_id
    assert msg["Date"].datetime == SENT
    assert msg["From"] == "D9-tiimi <d9-raportti@example.org>"
    assert msg["Reply-To"] == "tiimivetaja@example.org"

    alternative, attachment = msg.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    text, related = alternative.get_payload()
    assert text.get_content_type() == "text/plain"
    assert text.get_content().replace("\r\n", "\n") == TEXT
    assert related.get_content_type() == "multipart/related"
    html, *images = related.get_payload()
    received_html = html.get_content().replace("\r\n", "\n")
    assert received_html == _sent_html(receipt.message_id)
    assert "<br" not in received_html
    cids = _cids(receipt.message_id)
    assert {i["Content-ID"]: i.get_content() for i in images} == {
        f"<{cids['kaavio1']}>": IMAGES["kaavio1"],
        f"<{cids['kaavio10']}>": IMAGES["kaavio10"],
    }
    assert {i.get_content_type() for i in images} == {"image/png"}

    assert attachment.get_content_type() == XLSX
    assert attachment.get_filename() == "Tilannekuva 2018H1 liitteet-ä.xlsx"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_content() == APPENDIX.content
    assert receipt.recipients == ("seurantaryhma@example.org",)
    assert (receipt.transport, receipt.attempts, sleeps) == ("smtp", 1, [])


def test_message_checks_its_own_consistency() -> None:
    with pytest.raises(ValueError, match="not referenced"):
        Message(
            to=("a@example.org",),
            subject="s",
            html="<p>ei kuvaa</p>",
            text="t",
            sender="b@example.org",
            inline_images={"kaavio1": IMAGES["kaavio1"]},
        )
    with pytest.raises(ValueError, match="not referenced"):  # cid:kaavio10 is not cid:kaavio1
        Message(
            to=("a@example.org",),
            subject="s",
            html='<img src="cid:kaavio10">',
            text="t",
            sender="b@example.org",
            inline_images={"kaavio1": IMAGES["kaavio1"]},
        )
    with pytest.raises(ConfigError, match="not an email address"):
        Message(to=("seurantaryhma",), subject="s", html="", text="", sender="b@example.org")
    with pytest.raises(ValueError, match="one line"):
        Message(
            to=("a@example.org",),
            subject="s\nBcc: x@evil.org",
            html="",
            text="",
            sender="b@example.org",
        )
    with pytest.raises(TypeError):
        Message(
            to="a@example.org",
            subject="s",
            html="",
            text="",  # type: ignore[arg-type]
            sender="b@example.org",
        )


def test_content_ids_differ_between_messages() -> None:
    first = build_mime(report(), message_id=new_message_id("d9@example.org"), now=SENT)
    second = build_mime(report(), message_id=new_message_id("d9@example.org"), now=SENT)
    ids = [
        {p["Content-ID"] for p in m.walk() if p.get_content_type() == "image/png"}
        for m in (first, second)
    ]
    assert len(ids[0]) == len(ids[1]) == 2 and not ids[0] & ids[1]
    assert all(cid.endswith("@example.org>") for cid in ids[0])


def test_digest_follows_content_not_recipients() -> None:
    assert message_digest(report()) == message_digest(report(to=("toinen@example.org",)))
    changed = Message(**{**report().__dict__, "html": HTML.replace("42", "43")})
    assert message_digest(changed) != message_digest(report())


# --- TLS and login ---------------------------------------------------------------------------


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_trusted_test_ca_and_login(
    servers: dict[str, SmtpServer], certs: Certificates, sleeps: list[float], security: str
) -> None:
    server = servers[security]
    server.credentials["d9raportti"] = PASSWORD  # a user name without "@": yagmail must keep it

    smtp_mailer(
        server,
        sleeps,
        security=security,
        user="d9raportti",
        password=PASSWORD,
        ssl_context=tls_context(cafile=certs.ca_file),
    ).send(report())

    assert [(m.tls, m.login) for m in server.messages] == [(True, "d9raportti")]


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_untrusted_certificate_fails_without_retry(
    servers: dict[str, SmtpServer], sleeps: list[float], security: str
) -> None:
    server = servers[security]
    with pytest.raises(DeliveryError, match="certificate not trusted") as caught:
        smtp_mailer(server, sleeps, security=security).send(report())  # system CAs only

    assert caught.value.exit_code == 4
    assert (server.messages, server.transactions, sleeps) == ([], 0, [])


def test_certificate_check_can_be_switched_off_explicitly(
    servers: dict[str, SmtpServer], sleeps: list[float]
) -> None:
    settings = Smtp(
        host="127.0.0.1", port=servers["ssl"].port, security="ssl", verify_certificate=False
    )
    SmtpMailer(settings, None, sleep=sleeps.append).send(report())

    assert len(servers["ssl"].messages) == 1


def test_failed_login_is_not_retried_and_hides_the_password(
    plain: SmtpServer, sleeps: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    plain.credentials["d9raportti"] = "the-right-one"
    caplog.set_level(logging.DEBUG)

    with pytest.raises(DeliveryError) as caught:
        smtp_mailer(plain, sleeps, user="d9raportti", password=PASSWORD).send(report())

    text = str(caught.value)
    assert "535" in text and "d9raportti" in text and "\n" not in text
    assert PASSWORD not in text and PASSWORD not in caplog.text
    assert (plain.transactions, sleeps) == (0, [])


def test_user_without_password_fails_at_once_instead_of_prompting() -> None:
    with pytest.raises(ConfigError, match="D9_SMTP_PASSWORD"):
        SmtpMailer(Smtp(host="127.0.0.1", user="d9raportti"), None)


# --- retries ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "stage"),
    [(421, "mail"), (451, "rcpt"), (451, "data"), (0, "mail")],
    ids=["421-mail", "451-rcpt", "451-data", "dropped-connection"],
)
def test_temporary_failure_is_retried_and_delivered_once(
    plain: SmtpServer, sleeps: list[float], code: int, stage: str
) -> None:
    plain.fail_first(1, code=code, stage=stage)  # type: ignore[arg-type]

    receipt = smtp_mailer(plain, sleeps).send(report())

    assert len(plain.messages) == 1
    assert plain.transactions == 2
    assert sleeps == [1.0]
    assert receipt.attempts == 2


def test_persisting_temporary_failure_gives_up_after_the_attempts(
    plain: SmtpServer, sleeps: list[float]
) -> None:
    plain.fail_first(10, code=451, stage="data")

    with pytest.raises(DeliveryError, match="451 .* after 3 attempts"):
        smtp_mailer(plain, sleeps).send(report())

    assert (plain.messages, plain.transactions, sleeps) == ([], 3, [1.0, 2.0])


def test_permanent_refusal_of_the_message_is_not_retried(
    plain: SmtpServer, sleeps: list[float]
) -> None:
    plain.fail_first(1, code=554, stage="data")

    with pytest.raises(DeliveryError, match="554 5.6.0 Message refused$"):
        smtp_mailer(plain, sleeps).send(report())

    assert (plain.messages, plain.transactions, sleeps) == ([], 1, [])


def test_connection_refused_is_retried_then_reported(sleeps: list[float]) -> None:
    settings = Smtp(host="127.0.0.1", port=free_port(), security="none", timeout_seconds=2)
    mailer = SmtpMailer(
        settings, None, retry=RetryPolicy(attempts=2, backoff_seconds=0.5), sleep=sleeps.append
    )

    with pytest.raises(DeliveryError, match="connection failed .*refused.* after 2 attempts"):
        mailer.send(report())
    assert sleeps == [0.5]


def test_silent_server_times_out_per_settings_and_is_retried(sleeps: list[float]) -> None:
    with socket.socket() as silent:  # accepts TCP connections, never says hello
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        settings = Smtp(
            host="127.0.0.1", port=silent.getsockname()[1], security="none", timeout_seconds=0.2
        )
        mailer = SmtpMailer(
            settings, None, retry=RetryPolicy(attempts=2, backoff_seconds=0), sleep=sleeps.append
        )
        started = time.monotonic()
        with pytest.raises(DeliveryError, match=r"connection failed \(.*timed out\)"):
            mailer.send(report())

    assert 0.4 <= time.monotonic() - started < 3
    assert sleeps == [0.0]


def test_rejected_recipient_is_not_retried(plain: SmtpServer, sleeps: list[float]) -> None:
    plain.reject("poistunut@example.org", 550)

    with pytest.raises(DeliveryError, match="poistunut@example.org .*550") as caught:
        smtp_mailer(plain, sleeps).send(report(to=("poistunut@example.org",)))

    assert not isinstance(caught.value, PartialDeliveryError)
    assert plain.transactions == 1
    assert plain.rcpt_commands == ["poistunut@example.org"]
    assert (plain.messages, sleeps) == ([], [])


def test_partly_rejected_message_names_who_got_it(plain: SmtpServer, sleeps: list[float]) -> None:
    plain.reject("poistunut@example.org", 550)
    to = ("jasen@example.org", "poistunut@example.org")

    with pytest.raises(PartialDeliveryError) as caught:
        smtp_mailer(plain, sleeps).send(report(to=to))

    assert [m.rcpt_tos for m in plain.messages] == [("jasen@example.org",)]
    assert caught.value.receipt.recipients == ("jasen@example.org",)
    assert caught.value.refused == ("poistunut@example.org",)
    assert caught.value.exit_code == 4 and plain.transactions == 1


# --- outbox ----------------------------------------------------------------------------------


def test_outbox_writes_a_parseable_eml_and_a_browser_copy(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    receipt = OutboxMailer(outbox, clock=lambda: SENT).send(report())

    stem = "20180702-090000-report_2018H1"
    assert [p.name for p in receipt.paths] == [
        f"{stem}.eml",
        f"{stem}.html",
        f"{stem}.1-kaavio1.png",
        f"{stem}.2-kaavio10.png",
        f"{stem}.Tilannekuva_2018H1_liitteet-ä.xlsx",
    ]
    assert sorted(p.name for p in outbox.iterdir()) == sorted(p.name for p in receipt.paths)

    msg = email.message_from_bytes((outbox / f"{stem}.eml").read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    assert msg["Message-ID"] == receipt.message_id
    assert msg["To"] == "seurantaryhma@example.org"
    related = msg.get_body(preferencelist=("related",))
    assert related is not None
    html, *images = related.get_payload()
    assert html.get_content().replace("\r\n", "\n") == _sent_html(receipt.message_id)
    cids = _cids(receipt.message_id)
    assert [i["Content-ID"] for i in images] == [f"<{cids['kaavio1']}>", f"<{cids['kaavio10']}>"]
    [attachment] = list(msg.iter_attachments())
    assert (attachment.get_content_type(), attachment.get_filename()) == (XLSX, APPENDIX.filename)

    page = (outbox / f"{stem}.html").read_text(encoding="utf-8")
    assert f'src="{stem}.1-kaavio1.png"' in page and f'src="{stem}.2-kaavio10.png"' in page
    assert "cid:" not in page
    assert (outbox / f"{stem}.2-kaavio10.png").read_bytes() == IMAGES["kaavio10"]


def test_outbox_never_overwrites(tmp_path: Path) -> None:
    mailer = OutboxMailer(tmp_path, clock=lambda: SENT)
    first, second = mailer.send(report()), mailer.send(report())

    assert first.paths[0].name == "20180702-090000-report_2018H1.eml"
    assert second.paths[0].name == "20180702-090000-report_2018H1-2.eml"
    assert first.message_id != second.message_id


def test_mailer_for_picks_outbox_without_smtp_host(tmp_path: Path) -> None:
    without = Settings(state=State(dir=str(tmp_path)))
    with_host = Settings(state=State(dir=str(tmp_path)), smtp=Smtp(host="smtp.example.org"))

    outbox = mailer_for(without)
    assert isinstance(outbox, OutboxMailer) and outbox.folder == tmp_path / "outbox"
    assert isinstance(mailer_for(with_host), SmtpMailer)


def test_mailer_for_takes_the_retry_policy_from_the_settings(tmp_path: Path) -> None:
    with running_smtp_server("none") as server:
        smtp = Smtp(
            host="127.0.0.1", port=server.port, security="none", attempts=3, backoff_seconds=0
        )
        mailer = mailer_for(Settings(state=State(dir=str(tmp_path)), smtp=smtp))
        server.fail_first(2, 451)  # two temporary refusals, then accepted
        receipt = mailer.send(report())
        assert receipt.attempts == 3 and len(server.messages) == 1
        server.reset()
        server.fail_first(3, 451)
        with pytest.raises(DeliveryError):
            mailer.send(report())
        assert server.messages == []


# --- send once: claim, send, mark sent ------------------------------------------------------


def _once(message: Message, mailer: SmtpMailer, state: Path, force: bool = False) -> Dispatch:
    return send_once(message, mailer, sqlite_store(state), KEY, force=force, now=SENT)


def test_send_once_marks_the_delivered_and_releases_the_refused(
    plain: SmtpServer, sleeps: list[float], tmp_path: Path
) -> None:
    plain.reject("poistunut@example.org", 550)
    to = ("jasen@example.org", "poistunut@example.org")
    mailer = smtp_mailer(plain, sleeps)

    with pytest.raises(PartialDeliveryError):
        send_once(report(to=to), mailer, sqlite_store(tmp_path), KEY, force=False, now=SENT)
    rows = claims(sqlite_store(tmp_path), KEY, to)
    assert [(d.recipient, d.state) for d in rows] == [("jasen@example.org", "sent")]

    plain.reset()  # the address works again: only the refused one is sent now
    done = send_once(report(to=to), mailer, sqlite_store(tmp_path), KEY, force=False, now=SENT)
    assert done.sent_to == ("poistunut@example.org",) and done.skipped == ("jasen@example.org",)
    assert [m.rcpt_tos for m in plain.messages] == [("poistunut@example.org",)]


def test_send_once_leaves_nothing_claimed_when_nothing_went_out(
    plain: SmtpServer, sleeps: list[float], tmp_path: Path
) -> None:
    plain.fail_first(1, code=554, stage="data")
    mailer = smtp_mailer(plain, sleeps)
    with pytest.raises(DeliveryError):
        _once(report(), mailer, tmp_path)
    assert claims(sqlite_store(tmp_path), KEY, report().to) == []


def test_send_once_skips_a_recipient_another_run_has_claimed(
    plain: SmtpServer, sleeps: list[float], tmp_path: Path
) -> None:
    claim(sqlite_store(tmp_path), KEY, report().to, force=False, now=SENT, by="other:42")
    mailer = smtp_mailer(plain, sleeps)

    done = send_once(report(), mailer, sqlite_store(tmp_path), KEY, force=False, now=SENT)
    assert (done.sent_to, plain.messages) == ((), [])
    assert [(d.recipient, d.claimed_by, d.claimed_at) for d in done.in_doubt] == [
        ("seurantaryhma@example.org", "other:42", SENT)
    ]
    forced = send_once(report(), mailer, sqlite_store(tmp_path), KEY, force=True, now=SENT)
    assert forced.sent_to == ("seurantaryhma@example.org",) and len(plain.messages) == 1


# --- handed over, then no answer: never twice -------------------------------------------------


def test_an_answer_to_the_end_of_data_that_never_comes_is_unsure_and_not_retried(
    plain: SmtpServer, sleeps: list[float], tmp_path: Path
) -> None:
    from schemas.mail import UnsureDeliveryError

    plain.answer_delay_seconds = 2  # stores the message, answers after the client's timeout
    settings = Smtp(host=plain.host, port=plain.port, security="none", timeout_seconds=0.5)
    mailer = SmtpMailer(settings, None, retry=RetryPolicy(attempts=3), sleep=sleeps.append)
    try:
        with pytest.raises(UnsureDeliveryError) as caught:
            mailer.send(report(to=("a@example.org", "b@example.org")))
        time.sleep(2)
    finally:
        plain.answer_delay_seconds = 0
    assert sleeps == [] and plain.transactions == 1  # one attempt: a retry would be a copy
    assert len(plain.messages) == 1
    assert caught.value.unsure == ("a@example.org", "b@example.org")
    assert caught.value.message_id == plain.messages[0].parsed()["Message-ID"]
    assert "after the message was handed over: it may have been delivered to a@example.org" in (
        str(caught.value)
    )


def test_send_once_keeps_an_unsure_delivery_in_doubt_and_never_sends_it_again(
    plain: SmtpServer, sleeps: list[float], tmp_path: Path
) -> None:
    plain.answer_delay_seconds = 2
    settings = Smtp(host=plain.host, port=plain.port, security="none", timeout_seconds=0.5)
    mailer = SmtpMailer(settings, None, retry=RetryPolicy(attempts=3), sleep=sleeps.append)
    try:
        first = _once(report(), mailer, tmp_path)
        second = _once(report(), mailer, tmp_path)
        time.sleep(2)
    finally:
        plain.answer_delay_seconds = 0
    assert first.sent_to == () and "may have been delivered" in first.problem
    assert [(d.recipient, d.state) for d in first.in_doubt] == [
        ("seurantaryhma@example.org", "unsure")
    ]
    assert [d.recipient for d in first.orphaned(SENT)] == ["seurantaryhma@example.org"]
    assert second.sent_to == () and [d.state for d in second.orphaned(SENT)] == ["unsure"]
    assert len(plain.messages) == 1
