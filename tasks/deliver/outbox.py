"""The outbox: each message as `<stem>.eml` plus `<stem>.html` with its images, to open."""

from __future__ import annotations

import glob
import re
from datetime import datetime
from pathlib import Path

from schemas.mail import DeliveryReceipt, Message, OutboxError, cid_pattern
from tasks._files import write_atomic
from tasks.deliver.mime import Clock, build_mime, local_now, message_digest, new_message_id


class OutboxMailer:
    """Write each message into a folder instead of sending it (no SMTP configured, previews)."""

    def __init__(self, folder: Path, clock: Clock = local_now) -> None:
        self.folder = Path(folder)
        self._clock = clock

    def send(self, message: Message) -> DeliveryReceipt:
        """Write the message files atomically; the .eml is written last.

        A failure (the state folder is a file, read-only, or the disk is full) removes what was
        written, so that nothing half-delivered stays behind, and says nothing was delivered.
        """
        now = self._clock()
        message_id = new_message_id(message.sender)
        paths: list[Path] = []
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            stem = _unique_stem(self.folder, message, now)
            self._write_browser_copy(message, stem, paths)
            eml = build_mime(message, message_id=message_id, now=now).as_bytes()
            paths.insert(0, write_atomic(self.folder / f"{stem}.eml", eml))
        except OSError as exc:
            for path in paths:
                path.unlink(missing_ok=True)
            raise OutboxError(
                f"cannot write the outbox ({exc.strerror or exc}); nothing was delivered",
                file=str(self.folder),
            ) from None
        return DeliveryReceipt(
            "outbox", message_id, message.to, message_digest(message), paths=tuple(paths)
        )

    def _write_browser_copy(self, message: Message, stem: str, paths: list[Path]) -> None:
        html = message.html
        for i, (cid, png) in enumerate(message.inline_images.items(), start=1):
            path = write_atomic(self.folder / f"{stem}.{i}-{_safe_name(cid)}.png", png)
            html = cid_pattern(cid).sub(path.name, html)
            paths.append(path)
        for att in message.attachments:
            paths.append(
                write_atomic(self.folder / f"{stem}.{_safe_name(att.filename)}", att.content)
            )
        paths.insert(0, write_atomic(self.folder / f"{stem}.html", html.encode("utf-8")))


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
