"""Delivery ledger: which report went to whom, so that nobody gets the same report twice.

One SQLite file, `state_dir / "deliveries.sqlite"`, one row per recipient of each delivery.
A report is identified by its kind ("report", "check", ...) and period ("2018H1"); addresses
compare case-insensitively. Semantics of "never twice": a kind+period already delivered to an
address is not sent to it again unless forced; an address added later still gets it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from schemas.errors import DeliveryError
from tasks import _sqlite

LEDGER_FILE = "deliveries.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    recipient TEXT NOT NULL,
    message_id TEXT NOT NULL,
    digest TEXT NOT NULL,
    sent_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS deliveries_key ON deliveries (kind, period, recipient);
PRAGMA user_version = 1;
"""


@dataclass(frozen=True)
class Delivery:
    """One earlier delivery of a report to one recipient."""

    kind: str
    period: str
    recipient: str
    message_id: str
    digest: str
    sent_at: datetime


def ledger_path(state_dir: Path) -> Path:
    """Return where the ledger of `state_dir` lives."""
    return Path(state_dir) / LEDGER_FILE


def normalise_address(address: str) -> str:
    """Compare addresses without case or surrounding whitespace."""
    return address.strip().lower()


def already_sent(
    state_dir: Path, kind: str, period: str, recipients: Iterable[str]
) -> list[Delivery]:
    """Return the earlier deliveries of kind+period to any of `recipients`, oldest first."""
    path = ledger_path(state_dir)
    wanted = _unique(recipients)
    if not path.exists() or not wanted:
        return []
    marks = ",".join("?" * len(wanted))
    query = (
        "SELECT kind, period, recipient, message_id, digest, sent_at FROM deliveries "
        f"WHERE kind = ? AND period = ? AND recipient IN ({marks}) ORDER BY id"
    )
    with _connect(path) as conn:
        rows = conn.execute(query, (kind, period, *wanted)).fetchall()
    found = [
        Delivery(
            kind=k, period=p, recipient=r, message_id=m, digest=d, sent_at=datetime.fromisoformat(t)
        )
        for k, p, r, m, d, t in rows
    ]
    return sorted(found, key=lambda d: d.sent_at)


def recipients_to_send(
    state_dir: Path, kind: str, period: str, recipients: Iterable[str], *, force: bool = False
) -> tuple[str, ...]:
    """Return the recipients still to receive kind+period (all of them when forced), in order."""
    given = tuple(dict.fromkeys(r.strip() for r in recipients))
    if force:
        return given
    done = {d.recipient for d in already_sent(state_dir, kind, period, given)}
    return tuple(r for r in given if normalise_address(r) not in done)


def record_delivery(
    state_dir: Path,
    kind: str,
    period: str,
    recipients: Iterable[str],
    message_id: str,
    digest: str,
    now: datetime,
) -> None:
    """Record that kind+period went to `recipients`: all rows or none."""
    if now.tzinfo is None:
        raise ValueError("record_delivery needs a timezone-aware time")
    rows = [(kind, period, r, message_id, digest, now.isoformat()) for r in _unique(recipients)]
    with _connect(ledger_path(state_dir)) as conn, _sqlite.transaction(conn):
        conn.executemany(
            "INSERT INTO deliveries (kind, period, recipient, message_id, digest, sent_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )


def _unique(recipients: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(normalise_address(r) for r in recipients))


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    """Open the ledger (creating its table), turning SQLite failures into DeliveryError."""
    try:
        with _sqlite.connect(path, _SCHEMA) as conn:
            yield conn
    except sqlite3.Error as exc:
        raise DeliveryError(f"delivery ledger failed ({exc})", file=str(path)) from None
