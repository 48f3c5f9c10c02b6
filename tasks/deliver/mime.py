"""Build the RFC 5322 bytes of a `Message` with the stdlib `email` package, and fingerprint it.

Not by yagmail: yagmail 0.16's `prepare_message` turns every newline of an HTML body into `<br>`,
wraps bodies in `<div>`, appends each inline image as an extra `<img>` whose Content-ID comes from
Python's per-process `hash()` (so our HTML cannot reference it), sends the HTML itself as the
plain-text alternative and types nameless in-memory attachments `none/none`.

Layout of every message: multipart/mixed > [multipart/alternative > [text/plain,
multipart/related > [text/html, image/png (Content-ID = the cid the HTML refers to) ...]],
attachments ...].

Content-IDs are made unique per message (`engagements` becomes `engagements.<part of the
Message-ID>@<domain>`, in the Content-ID header and in the HTML alike): mail clients that cache
images by Content-ID would otherwise show one report's chart in another report.
From carries a display name when the message has one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from email import policy
from email.header import Header
from email.message import EmailMessage
from email.policy import Policy
from email.utils import format_datetime, formataddr, make_msgid

from schemas.mail import Message, cid_pattern

Clock = Callable[[], datetime]


def local_now() -> datetime:
    """Return the current local time, timezone-aware."""
    return datetime.now().astimezone()


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


def unique_cids(message: Message, message_id: str) -> dict[str, str]:
    """Map each inline image's cid to one unique to this message (from its Message-ID)."""
    local, _, domain = message_id.strip("<>").partition("@")
    token = "".join(c for c in local if c.isalnum())[-16:]
    return {cid: f"{cid.partition('@')[0]}.{token}@{domain}" for cid in message.inline_images}


class EncodedSubject(str):
    """A Subject folded between encoded words only.

    Python's own folder can leave a space before a line break that precedes an encoded word
    (`tai \\r\\n =?utf-8?q?l=C3=A4hell=C3=A4?=`), which readers show as a double space.
    """

    name = "Subject"
    defects = ()

    def fold(self, *, policy: Policy) -> str:
        """The header line(s) as sent: non-ASCII subjects as encoded words throughout."""
        charset = "us-ascii" if self.isascii() else "utf-8"
        encoded = Header(str(self), charset, header_name=self.name).encode(linesep=policy.linesep)
        return f"{self.name}: {encoded}{policy.linesep}"


def build_mime(message: Message, *, message_id: str, now: datetime) -> EmailMessage:
    """Build the RFC 5322 message: text + HTML alternatives, related images, attachments."""
    mime = EmailMessage(policy=policy.SMTP)
    mime["From"] = formataddr((message.sender_name, message.sender))
    mime["To"] = ", ".join(message.to)
    mime["Subject"] = EncodedSubject(message.subject)
    mime["Date"] = format_datetime(now)
    mime["Message-ID"] = message_id
    mime["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    if message.report_key:
        mime["X-D9-Report"] = message.report_key
    for name, value in message.headers.items():
        mime[name] = value
    if message.reply_to:
        mime["Reply-To"] = message.reply_to
    cids, html = unique_cids(message, message_id), message.html
    for cid, unique in cids.items():
        html = cid_pattern(cid).sub(f"cid:{unique}", html)
    mime.set_content(message.text)
    mime.add_alternative(html, subtype="html")
    html_part = mime.get_payload()[1]  # type: ignore[index]
    for cid, png in message.inline_images.items():
        html_part.add_related(  # type: ignore[union-attr]
            png,
            maintype="image",
            subtype="png",
            cid=f"<{cids[cid]}>",
            disposition="inline",
            filename=f"{cid.partition('@')[0]}.png",
        )
    for att in message.attachments:
        maintype, subtype = att.mime_type.split("/")
        mime.add_attachment(att.content, maintype=maintype, subtype=subtype, filename=att.filename)
    return mime
