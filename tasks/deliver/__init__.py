"""Deliver: takes a `Message` (schemas.mail), gives a `DeliveryReceipt`.

Two ways out: SMTP (`smtp.SmtpMailer`, yagmail as the client) or, with no SMTP host configured,
an outbox folder (`outbox.OutboxMailer`). `compose` turns rendered content into messages,
`dispatch.send_once` sends a report at most once per period and recipient through the `ledger`
(claim, send, mark sent), kept in a state folder or a database engine handed in by the flows.
"""

from __future__ import annotations

from pydantic import SecretStr

from schemas.mail import Mailer
from schemas.settings import Settings
from tasks.deliver.dispatch import Dispatch, claimant_running, send_once
from tasks.deliver.ledger import Delivery
from tasks.deliver.outbox import OutboxMailer


def mailer_for(settings: Settings, password: SecretStr | str | None) -> Mailer:
    """Pick the outbox folder when no SMTP host is configured, else SMTP."""
    if not settings.smtp.host:
        return OutboxMailer(settings.state_dir / "outbox")
    # smtplib, ssl and yagmail load only when mail really goes out (import cost).
    from tasks.deliver.smtp import RetryPolicy, SmtpMailer

    smtp = settings.smtp
    cafile = settings.resolve(smtp.cafile) if smtp.cafile else None
    retry = RetryPolicy(attempts=smtp.attempts, backoff_seconds=smtp.backoff_seconds)
    return SmtpMailer(smtp, password, retry=retry, cafile=cafile)


__all__ = ["Delivery", "Dispatch", "OutboxMailer", "claimant_running", "mailer_for", "send_once"]
