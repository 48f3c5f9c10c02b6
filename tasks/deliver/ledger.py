"""Delivery ledger: which report went to whom, so that nobody gets the same report twice.

One row per (kind, period, recipient) — a unique key — in `state_dir / "deliveries.sqlite"` or
in the shared state database. A sender first *claims* its recipients in one transaction (state
"sending"), sends, then marks them "sent". A second sender meeting a claim skips that recipient;
a claim still "sending" (another run at work, or one that was killed mid-send) is reported, never
silently sent again; `force` overrides both. Addresses compare case-insensitively.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    String,
    Table,
    delete,
    inspect,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from tasks import _db

LEDGER_FILE = "deliveries.sqlite"
SCHEMA_VERSION = 2  # 1: a row per delivery without claims (table "deliveries")
SENDING, SENT = "sending", "sent"

_META = MetaData()
CLAIMS = Table(
    "delivery_claim",
    _META,
    Column("kind", String(40), primary_key=True),
    Column("period", String(40), primary_key=True),
    Column("recipient", String(320), primary_key=True),
    Column("state", String(10), nullable=False),
    Column("claimed_at", String(40), nullable=False),
    Column("claimed_by", String(200), nullable=False),
    Column("message_id", String(400), nullable=False),
    Column("digest", String(128), nullable=False),
    Column("sent_at", String(40)),
)


@dataclass(frozen=True)
class Delivery:
    """The ledger's row of one recipient: sent (with when), or claimed and still "sending"."""

    kind: str
    period: str
    recipient: str
    message_id: str
    digest: str
    sent_at: datetime | None
    state: str = SENT
    claimed_at: datetime | None = field(default=None, compare=False)
    claimed_by: str = field(default="", compare=False)


@dataclass(frozen=True)
class Claim:
    """The outcome of claiming recipients: ours to send, already sent, claimed by another run."""

    mine: tuple[str, ...]
    sent: tuple[Delivery, ...]
    in_doubt: tuple[Delivery, ...]


def ledger_path(state_dir: Path) -> Path:
    """Return where the ledger of `state_dir` lives."""
    return Path(state_dir) / LEDGER_FILE


def normalise_address(address: str) -> str:
    """Compare addresses without case or surrounding whitespace."""
    return address.strip().lower()


def _engine(target: _db.Target, *, create: bool = True) -> Engine | None:
    engine = _db.engine_for(target, LEDGER_FILE, create=create)
    if engine is not None:
        _db.ensure(engine, "ledger", _META, SCHEMA_VERSION, _migrate)
    return engine


def _migrate(conn: Connection, stored: int) -> None:
    """Carry a schema-1 file's deliveries over as "sent" claims (the latest per recipient)."""
    if "deliveries" not in inspect(conn).get_table_names():
        return
    rows = conn.exec_driver_sql(
        "SELECT kind, period, recipient, message_id, digest, sent_at FROM deliveries ORDER BY id"
    ).all()
    latest = {(k, p, r): (m, d, t) for k, p, r, m, d, t in rows}
    for (kind, period, recipient), (message_id, digest, sent_at) in latest.items():
        conn.execute(
            _insert(conn)
            .values(_row(kind, period, recipient, SENT, sent_at, "schema 1", message_id, digest))
            .on_conflict_do_nothing()
        )


def _row(
    kind: str,
    period: str,
    recipient: str,
    state: str,
    at: str,
    by: str,
    message_id: str = "",
    digest: str = "",
) -> dict[str, Any]:
    sent_at = at if state == SENT else None
    return {
        "kind": kind,
        "period": period,
        "recipient": recipient,
        "state": state,
        "claimed_at": at,
        "claimed_by": by,
        "message_id": message_id,
        "digest": digest,
        "sent_at": sent_at,
    }


def _insert(conn: Connection) -> Any:
    return (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(CLAIMS)


def _delivery(row: Any) -> Delivery:
    return Delivery(
        row.kind,
        row.period,
        row.recipient,
        row.message_id,
        row.digest,
        datetime.fromisoformat(row.sent_at) if row.sent_at else None,
        row.state,
        datetime.fromisoformat(row.claimed_at),
        row.claimed_by,
    )


def _unique(recipients: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(normalise_address(r) for r in recipients))


def _rows(conn: Connection, kind: str, period: str, wanted: list[str]) -> dict[str, Delivery]:
    query = select(CLAIMS).where(
        CLAIMS.c.kind == kind, CLAIMS.c.period == period, CLAIMS.c.recipient.in_(wanted)
    )
    return {row.recipient: _delivery(row) for row in conn.execute(query)}


def claims(target: _db.Target, kind: str, period: str, recipients: Iterable[str]) -> list[Delivery]:
    """Return the ledger's rows (sent or still sending) of kind+period for `recipients`."""
    wanted = _unique(recipients)
    engine = _engine(target, create=False)
    if engine is None or not wanted:
        return []
    with _db.guarded(engine, "read"), engine.connect() as conn:
        found = _rows(conn, kind, period, wanted)
    return sorted(found.values(), key=lambda d: d.sent_at or d.claimed_at or datetime.min)


def already_sent(
    target: _db.Target, kind: str, period: str, recipients: Iterable[str]
) -> list[Delivery]:
    """Return the deliveries of kind+period marked sent to any of `recipients`, oldest first."""
    return [d for d in claims(target, kind, period, recipients) if d.state == SENT]


def recipients_to_send(
    target: _db.Target, kind: str, period: str, recipients: Iterable[str], *, force: bool = False
) -> tuple[str, ...]:
    """Return the recipients neither sent nor claimed for kind+period (all when forced)."""
    given = tuple(dict.fromkeys(r.strip() for r in recipients))
    if force:
        return given
    done = {d.recipient for d in claims(target, kind, period, given)}
    return tuple(r for r in given if normalise_address(r) not in done)


def claim(
    target: _db.Target,
    kind: str,
    period: str,
    recipients: Iterable[str],
    *,
    force: bool,
    now: datetime,
    by: str,
) -> Claim:
    """Claim kind+period for each recipient in one transaction, before anything is sent."""
    given = tuple(dict.fromkeys(r.strip() for r in recipients))
    at = _aware(now).isoformat()
    engine = _engine(target)
    mine: list[str] = []
    with _db.guarded(engine, "written"), engine.begin() as conn:  # type: ignore[union-attr]
        for address in given:
            key = normalise_address(address)
            new = _insert(conn).values(_row(kind, period, key, SENDING, at, by))
            inserted = new.on_conflict_do_nothing().returning(CLAIMS.c.recipient)
            if conn.execute(inserted).first() is not None:
                mine.append(address)
            elif force:
                _reclaim(conn, kind, period, key, at, by)
                mine.append(address)
        keys = [normalise_address(a) for a in given if a not in mine]
        found = _rows(conn, kind, period, keys)
    others = [found[k] for k in keys if k in found]
    sent = tuple(d for d in others if d.state == SENT)
    in_doubt = tuple(d for d in others if d.state != SENT)
    return Claim(tuple(mine), sent, in_doubt)


def _reclaim(conn: Connection, kind: str, period: str, key: str, at: str, by: str) -> None:
    conn.execute(
        update(CLAIMS)
        .where(CLAIMS.c.kind == kind, CLAIMS.c.period == period, CLAIMS.c.recipient == key)
        .values(state=SENDING, claimed_at=at, claimed_by=by)
    )


def record_delivery(
    target: _db.Target,
    kind: str,
    period: str,
    recipients: Iterable[str],
    message_id: str,
    digest: str,
    now: datetime,
) -> None:
    """Mark kind+period sent to `recipients` (claimed or not): all rows or none."""
    at = _aware(now).isoformat()
    engine = _engine(target)
    with _db.guarded(engine, "written"), engine.begin() as conn:  # type: ignore[union-attr]
        for key in _unique(recipients):
            row = _row(kind, period, key, SENT, at, "", message_id, digest)
            sent = {k: row[k] for k in ("state", "message_id", "digest", "sent_at")}
            conn.execute(
                _insert(conn)
                .values(row)
                .on_conflict_do_update(index_elements=["kind", "period", "recipient"], set_=sent)
            )


def release(
    target: _db.Target, kind: str, period: str, recipients: Iterable[str], *, by: str
) -> None:
    """Drop this run's claims that were not delivered, so that a later run sends them."""
    engine = _engine(target)
    with _db.guarded(engine, "written"), engine.begin() as conn:  # type: ignore[union-attr]
        conn.execute(
            delete(CLAIMS).where(
                CLAIMS.c.kind == kind,
                CLAIMS.c.period == period,
                CLAIMS.c.recipient.in_(_unique(recipients)),
                CLAIMS.c.state == SENDING,
                CLAIMS.c.claimed_by == by,
            )
        )


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("the ledger needs a timezone-aware time")
    return now
