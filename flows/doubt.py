"""Deliveries in doubt reach a person: the team lead is told once per claim and decides.

A claim is in doubt when its message was handed over with no answer ("unsure"), or when the run
that made it stopped mid-send (killed, crashed, the machine restarted). d9 never sends such a
report again by itself; the team lead gets one decision notice per claim — which recipients,
since when, how to check, how to send again — taken in the ledger first, so that two runs
meeting the same claim never both tell.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from flows.messages import in_doubt_message
from schemas.errors import D9Error
from schemas.mail import DeliveryState, InDoubt, MailKey, UnsureDeliveryError
from schemas.settings import Settings
from tasks.deliver import Delivery, mailer_for
from tasks.deliver.ledger import drop_notice, take_notice
from tasks.statedb import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Told:
    """What became of the decision notice: whom it covered, and a problem sending it."""

    lead: str
    told: tuple[str, ...] = ()  # recipients first told of now
    earlier: tuple[str, ...] = ()  # recipients the lead was told of by an earlier run
    problem: str = ""  # the notice could not be sent (a later run tries again)

    def note(self) -> str:
        """One clause for the run's summary line."""
        if self.problem:
            return f"; the team lead ({self.lead}) could not be told: {self.problem}"
        if self.told:
            return f"; the team lead ({self.lead}) was told and decides"
        return f"; the team lead ({self.lead}) was told earlier and decides"


def in_doubt(claim: Delivery, subject: str = "") -> InDoubt:
    """The notice's view of a ledger row."""
    return InDoubt(
        MailKey(claim.kind, claim.period),
        claim.recipient,
        claim.claimed_at,
        claim.state is DeliveryState.UNSURE,
        claim.claimed_by,
        claim.message_id,
        subject,
    )


def tell(
    claims: Sequence[Delivery], store: Store, settings: Settings, now: datetime, subject: str = ""
) -> Told:
    """Mail the team lead one notice per mail and period for the claims not told of before."""
    lead = settings.report.team_lead
    told, earlier, problems = list[str](), list[str](), list[str]()
    ordered = sorted(claims, key=lambda d: (d.kind, d.period, d.recipient))
    for (kind, period), group in groupby(ordered, key=lambda d: (d.kind, d.period)):
        items = list(group)
        key = MailKey(kind, period)
        fresh = take_notice(store, key, [d.recipient for d in items], now=now)
        earlier += [d.recipient for d in items if d.recipient not in fresh]
        if not fresh:
            continue
        doubts = [in_doubt(d, subject) for d in items if d.recipient in fresh]
        try:
            message = in_doubt_message(doubts, settings, settings.report.language)
            mailer_for(settings).send(message)
        except UnsureDeliveryError as exc:  # it may have arrived: never told twice either
            log.warning("the in-doubt notice of %s may not have arrived: %s", key, exc)
        except D9Error as exc:
            drop_notice(store, key, fresh, now=now)
            log.error("could not tell the team lead about %s in doubt: %s", key, exc)
            problems.append(str(exc))
            continue
        told += fresh
    return Told(lead, tuple(told), tuple(earlier), "; ".join(problems))
