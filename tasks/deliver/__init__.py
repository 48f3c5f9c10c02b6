"""Deliver: takes a `Message` (schemas.mail), gives a `DeliveryReceipt`.

Two ways out: SMTP (`smtp.SmtpMailer`, yagmail as the client) or, with no SMTP host configured,
an outbox folder (`outbox.OutboxMailer`). `dispatch.send_once` sends a report at most once per
period and recipient through the `ledger` (claim, send, mark sent) kept in the state store;
`mime` builds the bytes of a message.
"""

from __future__ import annotations

from schemas.mail import Mailer
from schemas.settings import Settings
from tasks.deliver.dispatch import Dispatch, claimant_running, send_once
from tasks.deliver.ledger import Delivery, recipients_to_send
from tasks.deliver.outbox import OutboxMailer


def mailer_for(settings: Settings) -> Mailer:
    """Pick the outbox folder when no SMTP host is configured, else SMTP."""
    if not settings.smtp.host:
        return OutboxMailer(settings.state_dir / "outbox")
    # smtplib, ssl and yagmail load only when mail really goes out (import cost).
    from tasks.deliver.smtp import RetryPolicy, SmtpMailer, tls_context

    smtp = settings.smtp
    cafile = settings.resolve(smtp.cafile) if smtp.cafile else None
    context = tls_context(smtp.verify_certificate, cafile)
    retry = RetryPolicy(attempts=smtp.attempts, backoff_seconds=smtp.backoff_seconds)
    return SmtpMailer(smtp, settings.smtp_password(), retry=retry, ssl_context=context)


__all__ = [
    "Delivery",
    "Dispatch",
    "OutboxMailer",
    "claimant_running",
    "mailer_for",
    "recipients_to_send",
    "send_once",
]
