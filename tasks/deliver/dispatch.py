"""Send a report at most once per period and recipient: the delivery ledger around a mailer.

Claim → send → mark sent. A claim is written before the SMTP conversation starts, so two runs
at once send one copy, and a run killed mid-send leaves a claim the next run reports instead
of sending again. A failure to mark "sent" after the server took the message says it was
probably delivered; the claim stays, so a rerun does not send again without `force`.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, replace
from datetime import datetime

from schemas.errors import DeliveryError, StateError
from schemas.mail import DeliveryReceipt, Mailer, MailKey, Message, PartialDeliveryError
from tasks.deliver.ledger import Delivery, Sent, claim, record_delivery, release
from tasks.statedb import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Dispatch:
    """What one send did: to whom it went, who already had it, whose claim is in doubt."""

    sent_to: tuple[str, ...]
    skipped: tuple[str, ...]
    receipt: DeliveryReceipt | None
    in_doubt: tuple[Delivery, ...] = ()


def claimant() -> str:
    """Who claims: this host and process, shown when another run meets the claim."""
    return f"{socket.gethostname()}:{os.getpid()}"


def claimant_running(claimed_by: str) -> bool | None:
    """Whether the run that made a claim still runs; None when it ran on another host.

    A claim names `host:pid`; on this host the process can be asked (signal 0). A claim still
    "sending" whose process is gone was left by a run that stopped mid-send.
    """
    host, _, pid = claimed_by.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) <= 0:
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def send_once(
    message: Message, mailer: Mailer, store: Store, key: MailKey, *, force: bool, now: datetime
) -> Dispatch:
    """Send `message` to those of its recipients who have not had (or claimed) `key`.

    A partly refused message is still marked sent for the recipients who got it before the
    error goes on, so a re-run sends only to the refused ones.
    """
    by = claimant()
    got = claim(store, key, message.to, force=force, now=now, by=by)
    skipped = tuple(d.recipient for d in got.sent)
    if not got.mine:
        return Dispatch((), skipped, None, got.in_doubt)
    try:
        receipt = mailer.send(replace(message, to=got.mine))
    except PartialDeliveryError as exc:
        _mark_sent(exc.receipt, store, key, now)
        refused = [r for r in got.mine if r not in exc.receipt.recipients]
        release(store, key, refused, by=by)
        raise
    except DeliveryError:
        release(store, key, got.mine, by=by)  # the mailer says nothing went out
        raise
    _mark_sent(receipt, store, key, now)
    log.info("%s sent to %s", key, ", ".join(receipt.recipients))
    return Dispatch(receipt.recipients, skipped, receipt, got.in_doubt)


def _mark_sent(receipt: DeliveryReceipt, store: Store, key: MailKey, now: datetime) -> None:
    try:
        record_delivery(
            store, key, receipt.recipients, Sent(receipt.message_id, receipt.digest, now)
        )
    except StateError as exc:
        who = ", ".join(receipt.recipients)
        raise StateError(
            f"{key} was probably delivered to {who}, but could not be marked as sent "
            f"({exc.message}); a rerun will not send it again without --force",
            file=exc.file,
        ) from None
