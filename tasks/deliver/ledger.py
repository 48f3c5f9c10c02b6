"""Delivery ledger: which report went to whom, so that nobody gets the same report twice.

One row per (kind, period, recipient) — a unique key — in the state store. A sender first
*claims* its recipients in one transaction (state "sending"), sends, then marks them "sent". A
second sender meeting a claim skips that recipient; a claim still "sending" (another run at
work, or one that was killed mid-send) is reported, never silently sent again; `force`
overrides both. Addresses compare case-insensitively.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, Row, delete, select, update

from schemas.mail import DeliveryState, MailKey
from tasks.statedb import Store, guarded
from tasks.statedb.tables import CLAIMS, insert

STORE = "ledger"


@dataclass(frozen=True)
class Delivery:
    """The ledger's row of one recipient: sent (with when), or claimed and still "sending"."""

    kind: str
    period: str
    recipient: str
    message_id: str
    digest: str
    sent_at: datetime | None
    state: DeliveryState = DeliveryState.SENT
    claimed_at: datetime | None = field(default=None, compare=False)
    claimed_by: str = field(default="", compare=False)
    notice_at: datetime | None = field(default=None, compare=False)  # the team lead was told


@dataclass(frozen=True)
class Claim:
    """The outcome of claiming recipients: ours to send, already sent, claimed by another run."""

    mine: tuple[str, ...]
    sent: tuple[Delivery, ...]
    in_doubt: tuple[Delivery, ...]


@dataclass(frozen=True)
class Sent:
    """What the ledger records of a delivery: the message's id and digest, and when."""

    message_id: str
    digest: str
    at: datetime


def normalise_address(address: str) -> str:
    """Compare addresses without case or surrounding whitespace."""
    return address.strip().lower()


def _delivery(row: Row[tuple[str, ...]]) -> Delivery:
    return Delivery(
        row.kind,
        row.period,
        row.recipient,
        row.message_id,
        row.digest,
        datetime.fromisoformat(row.sent_at) if row.sent_at else None,
        DeliveryState(row.state),
        datetime.fromisoformat(row.claimed_at),
        row.claimed_by,
        datetime.fromisoformat(row.notice_at) if row.notice_at else None,
    )


def _unique(recipients: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(normalise_address(r) for r in recipients))


def _given(recipients: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.strip() for r in recipients))


def _of(key: MailKey) -> tuple[ColumnElement[bool], ...]:
    return (CLAIMS.c.kind == key.kind, CLAIMS.c.period == key.period)


def _rows(conn: Connection, key: MailKey, wanted: list[str]) -> dict[str, Delivery]:
    query = select(CLAIMS).where(*_of(key), CLAIMS.c.recipient.in_(wanted))
    return {row.recipient: _delivery(row) for row in conn.execute(query)}


def claims(store: Store, key: MailKey, recipients: Iterable[str]) -> list[Delivery]:
    """Return the ledger's rows (sent or still sending) of `key` for `recipients`."""
    wanted = _unique(recipients)
    engine = store.database(STORE, create=False)
    if engine is None or not wanted:
        return []
    with guarded(engine, "read"), engine.connect() as conn:
        found = _rows(conn, key, wanted)
    return sorted(found.values(), key=lambda d: d.sent_at or d.claimed_at or datetime.min)


def recipients_to_send(
    store: Store, key: MailKey, recipients: Iterable[str], *, force: bool = False
) -> tuple[str, ...]:
    """Return the recipients neither sent nor claimed for `key` (all when forced)."""
    given = _given(recipients)
    if force:
        return given
    done = {d.recipient for d in claims(store, key, given)}
    return tuple(r for r in given if normalise_address(r) not in done)


def claim(
    store: Store, key: MailKey, recipients: Iterable[str], *, force: bool, now: datetime, by: str
) -> Claim:
    """Claim `key` for each recipient in one transaction, before anything is sent."""
    given, at = _given(recipients), _aware(now).isoformat()
    engine = store.database(STORE)
    mine: list[str] = []
    with guarded(engine, "written"), engine.begin() as conn:  # type: ignore[union-attr]
        for address in given:
            row = _row(key, normalise_address(address), DeliveryState.SENDING, at, by)
            inserted = insert(conn, CLAIMS).values(row).on_conflict_do_nothing()
            if conn.execute(inserted.returning(CLAIMS.c.recipient)).first() is not None:
                mine.append(address)
            elif force:
                _reclaim(conn, key, normalise_address(address), at, by)
                mine.append(address)
        keys = [normalise_address(a) for a in given if a not in mine]
        found = _rows(conn, key, keys)
    others = [found[k] for k in keys if k in found]
    sent = tuple(d for d in others if d.state is DeliveryState.SENT)
    in_doubt = tuple(d for d in others if d.state is not DeliveryState.SENT)
    return Claim(tuple(mine), sent, in_doubt)


def _row(
    key: MailKey, recipient: str, state: DeliveryState, at: str, by: str
) -> dict[str, str | None]:
    return {
        "kind": key.kind,
        "period": key.period,
        "recipient": recipient,
        "state": str(state),
        "claimed_at": at,
        "claimed_by": by,
        "message_id": "",
        "digest": "",
        "sent_at": at if state is DeliveryState.SENT else None,
    }


def _reclaim(conn: Connection, key: MailKey, recipient: str, at: str, by: str) -> None:
    conn.execute(
        update(CLAIMS)
        .where(*_of(key), CLAIMS.c.recipient == recipient)
        .values(state=str(DeliveryState.SENDING), claimed_at=at, claimed_by=by, notice_at=None)
    )


def record_delivery(store: Store, key: MailKey, recipients: Iterable[str], sent: Sent) -> None:
    """Mark `key` sent to `recipients` (claimed or not): all rows or none."""
    at = _aware(sent.at).isoformat()
    engine = store.database(STORE)
    with guarded(engine, "written"), engine.begin() as conn:  # type: ignore[union-attr]
        for recipient in _unique(recipients):
            row = _row(key, recipient, DeliveryState.SENT, at, "")
            row |= {"message_id": sent.message_id, "digest": sent.digest}
            done = {k: row[k] for k in ("state", "message_id", "digest", "sent_at")}
            conn.execute(
                insert(conn, CLAIMS)
                .values(row)
                .on_conflict_do_update(index_elements=["kind", "period", "recipient"], set_=done)
            )


def release(store: Store, key: MailKey, recipients: Iterable[str], *, by: str) -> None:
    """Drop this run's claims that were not delivered, so that a later run sends them."""
    engine = store.database(STORE)
    with guarded(engine, "written"), engine.begin() as conn:  # type: ignore[union-attr]
        conn.execute(
            delete(CLAIMS).where(
                *_of(key),
                CLAIMS.c.recipient.in_(_unique(recipients)),
                CLAIMS.c.state == str(DeliveryState.SENDING),
                CLAIMS.c.claimed_by == by,
            )
        )


def mark_unsure(
    store: Store, key: MailKey, recipients: Iterable[str], handed: Sent, *, by: str
) -> None:
    """Keep this run's claims as "unsure": handed over, no answer; never resent without force."""
    engine = store.database(STORE)
    with guarded(engine, "written"), engine.begin() as conn:  # type: ignore[union-attr]
        conn.execute(
            update(CLAIMS)
            .where(
                *_of(key),
                CLAIMS.c.recipient.in_(_unique(recipients)),
                CLAIMS.c.claimed_by == by,
            )
            .values(
                state=str(DeliveryState.UNSURE),
                message_id=handed.message_id,
                digest=handed.digest,
                claimed_at=_aware(handed.at).isoformat(),
            )
        )


def take_notice(
    store: Store, key: MailKey, recipients: Iterable[str], *, now: datetime
) -> tuple[str, ...]:
    """Note that the team lead is being told of these claims in doubt; return the ones not told
    before (in one statement, so two runs never both tell)."""
    engine = store.database(STORE)
    with guarded(engine, "written"), engine.begin() as conn:  # type: ignore[union-attr]
        taken = conn.execute(
            update(CLAIMS)
            .where(
                *_of(key),
                CLAIMS.c.recipient.in_(_unique(recipients)),
                CLAIMS.c.state != str(DeliveryState.SENT),
                CLAIMS.c.notice_at.is_(None),
            )
            .values(notice_at=_aware(now).isoformat())
            .returning(CLAIMS.c.recipient)
        )
        return tuple(sorted(r.recipient for r in taken))


def drop_notice(store: Store, key: MailKey, recipients: Iterable[str], *, now: datetime) -> None:
    """Undo `take_notice` when the notice could not be sent, so that a later run tells."""
    engine = store.database(STORE)
    with guarded(engine, "written"), engine.begin() as conn:  # type: ignore[union-attr]
        conn.execute(
            update(CLAIMS)
            .where(
                *_of(key),
                CLAIMS.c.recipient.in_(_unique(recipients)),
                CLAIMS.c.notice_at == _aware(now).isoformat(),
            )
            .values(notice_at=None)
        )


def open_claims(store: Store) -> list[Delivery]:
    """Every claim not marked sent, of any mail and period (for the sweep of a later run)."""
    engine = store.database(STORE, create=False)
    if engine is None:
        return []
    query = select(CLAIMS).where(CLAIMS.c.state != str(DeliveryState.SENT))
    with guarded(engine, "read"), engine.connect() as conn:
        return [_delivery(row) for row in conn.execute(query)]


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("the ledger needs a timezone-aware time")
    return now
