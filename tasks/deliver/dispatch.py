"""Send a report at most once per period and recipient: the delivery ledger around a mailer.

Claim → send → mark sent. A claim is written before the SMTP conversation starts, so two runs
at once send one copy, and a run killed mid-send leaves a claim the next run reports instead
of sending again. A failure to mark "sent" after the server took the message says it was
probably delivered; the claim stays, so a rerun does not send again without `force`. A message
handed over whose answer never came (a timeout, a lost connection, Ctrl-C or SIGTERM) is kept as
"unsure": in doubt, like the claim of a run that vanished, until someone decides (`force`).
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from schemas.errors import DeliveryError, StateError
from schemas.mail import (
    DeliveryReceipt,
    DeliveryState,
    Mailer,
    MailKey,
    Message,
    OutboxError,
    PartialDeliveryError,
    UnsureDeliveryError,
)
from tasks.deliver.ledger import (
    Claim,
    Delivery,
    Sent,
    claim,
    claims,
    mark_unsure,
    record_delivery,
    release,
)
from tasks.statedb import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Dispatch:
    """What one send did: to whom it went, who already had it, whose claim is in doubt."""

    sent_to: tuple[str, ...]
    skipped: tuple[str, ...]
    receipt: DeliveryReceipt | None
    in_doubt: tuple[Delivery, ...] = ()
    problem: str = ""  # this run's own delivery in doubt: the mailer's one line

    def orphaned(self, now: datetime) -> tuple[Delivery, ...]:
        """The claims in doubt that nobody is working on: a person has to decide."""
        return tuple(d for d in self.in_doubt if orphaned(d, now))


# A claim of another host still "sending" after this long was left by a run that stopped: no
# send takes so long (attempts x timeout + backoff of the default [smtp] is under 3 minutes).
STALE_AFTER = timedelta(minutes=30)


def orphaned(claim: Delivery, now: datetime) -> bool:
    """Whether a claim is in doubt with nobody at work on it: unsure, or its run is gone."""
    if claim.state is DeliveryState.UNSURE:
        return True
    if claim.state is not DeliveryState.SENDING:
        return False
    running = claimant_running(claim.claimed_by)
    if running is None:  # another host: cannot be asked, so the claim's age decides
        return claim.claimed_at is None or now - claim.claimed_at > STALE_AFTER
    return not running


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
    except UnsureDeliveryError as exc:
        return _unsure(exc, got, store, key, now, by)
    except PartialDeliveryError as exc:
        _mark_sent(exc.receipt, store, key, now)
        refused = [r for r in got.mine if r not in exc.receipt.recipients]
        release(store, key, refused, by=by)
        raise
    except (DeliveryError, OutboxError, KeyboardInterrupt):
        release(store, key, got.mine, by=by)  # the mailer says nothing went out
        raise
    _mark_sent(receipt, store, key, now)
    log.info("%s sent to %s", key, ", ".join(receipt.recipients))
    return Dispatch(receipt.recipients, skipped, receipt, got.in_doubt)


def _unsure(
    exc: UnsureDeliveryError, got: Claim, store: Store, key: MailKey, now: datetime, by: str
) -> Dispatch:
    """Record what surely went out as sent, the handed-over rest as unsure; release the others."""
    done = exc.delivered.recipients if exc.delivered else ()
    if exc.delivered is not None:
        _mark_sent(exc.delivered, store, key, now)
    mark_unsure(store, key, exc.unsure, Sent(exc.message_id, exc.digest, now), by=by)
    release(store, key, [r for r in got.mine if r not in done and r not in exc.unsure], by=by)
    log.warning("%s may have been delivered to %s: %s", key, ", ".join(exc.unsure), exc)
    unsure = tuple(claims(store, key, exc.unsure))
    skipped = tuple(d.recipient for d in got.sent)
    return Dispatch(done, skipped, exc.delivered, got.in_doubt + unsure, str(exc))


def _mark_sent(receipt: DeliveryReceipt, store: Store, key: MailKey, now: datetime) -> None:
    try:
        record_delivery(
            store, key, receipt.recipients, Sent(receipt.message_id, receipt.digest, now)
        )
    except StateError as exc:
        who = ", ".join(receipt.recipients)
        raise StateError(
            f"{key} was probably delivered to {who}, but could not be marked as sent "
            f"({exc.message}); a rerun will not send it again unless forced (--force, or force on)",
            file=exc.file,
        ) from None
