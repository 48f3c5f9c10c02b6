"""Send a report at most once per period and recipient: the delivery ledger around a mailer."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from schemas.mail import DeliveryReceipt, Mailer, Message, PartialDeliveryError
from tasks.deliver.ledger import recipients_to_send, record_delivery

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Dispatch:
    """What one send did: to whom it went, who already had it, and the receipt."""

    sent_to: tuple[str, ...]
    skipped: tuple[str, ...]
    receipt: DeliveryReceipt | None


def send_once(
    message: Message,
    mailer: Mailer,
    state_dir: Path,
    *,
    kind: str,
    period: str,
    force: bool,
    now: datetime,
) -> Dispatch:
    """Send `message` to those of its recipients who have not had kind+period; record who got it.

    A partly refused message is still recorded for the recipients who got it before the
    error goes on, so a re-run sends only to the refused ones.
    """
    todo = recipients_to_send(state_dir, kind, period, message.to, force=force)
    skipped = tuple(r for r in message.to if r not in todo)
    if not todo:
        return Dispatch((), skipped, None)
    try:
        receipt = mailer.send(replace(message, to=todo))
    except PartialDeliveryError as exc:
        _record(exc.receipt, state_dir, kind, period, now)
        raise
    _record(receipt, state_dir, kind, period, now)
    log.info("%s %s sent to %s", kind, period, ", ".join(receipt.recipients))
    return Dispatch(receipt.recipients, skipped, receipt)


def _record(
    receipt: DeliveryReceipt, state_dir: Path, kind: str, period: str, now: datetime
) -> None:
    record_delivery(
        state_dir, kind, period, receipt.recipients, receipt.message_id, receipt.digest, now
    )
