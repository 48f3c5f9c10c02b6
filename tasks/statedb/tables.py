"""Every table of d9's state, in one place: what each store keeps, and its schema version.

A *store* is a group of tables with a version of its own (recorded in `d9_schema_version`):
`history` (indicator snapshots), `ledger` (who got which report), `findings` (the nightly
findings and validation results), `approvals` (report runs waiting for the team lead) and
`nightly` (the engagement ids the nightly check saw). The same tables serve SQLite and
PostgreSQL; the stage modules hold the queries.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

Migration = Callable[[Connection, int], None]

METADATA = MetaData()


class JsonNumber(TypeDecorator[Any]):
    """A number kept with its type (int or float) on every database, as JSON text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise TypeError(f"not a number: {value!r}")
        return None if value is None else json.dumps(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        # Files of schema 1 hold SQLite numbers rather than JSON text.
        return json.loads(value) if isinstance(value, str) else value


def insert(conn: Connection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT with the dialect's ON CONFLICT clauses (SQLite and PostgreSQL alike)."""
    return (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(table)


def upsert(conn: Connection, table: Table, row: Mapping[str, object]) -> None:
    """Write `row`, replacing the one with the same primary key."""
    keys = [c.name for c in table.primary_key.columns]
    statement = insert(conn, table).values(dict(row))
    conn.execute(statement.on_conflict_do_update(index_elements=keys, set_=dict(row)))


VERSIONS = Table(
    "d9_schema_version",
    METADATA,
    Column("store", String(40), primary_key=True),
    Column("version", Integer, nullable=False),
)

# history ------------------------------------------------------------------------------------
SNAPSHOT = Table(
    "snapshot",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("as_of", String(10), nullable=False),
    Column("period", String(10)),
    Column("fingerprint", String(128), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("recorded_at", String(40), nullable=False),
    UniqueConstraint("as_of", "fingerprint"),
)
VALUE = Table(
    "indicator_value",
    METADATA,
    Column("snapshot_id", Integer, ForeignKey("snapshot.id", ondelete="CASCADE"), primary_key=True),
    Column("indicator_id", String(80), primary_key=True),
    Column("value", JsonNumber),
    Column("status", String(10), nullable=False),
    Column("target", JsonNumber),
    Column("numerator", Integer),
    Column("denominator", Integer),
    Column("extra", Text, nullable=False),
    Column("position", Integer),  # the results' order (added in schema 2)
)
EXTRA = Table(
    "snapshot_extra",
    METADATA,
    Column("snapshot_id", Integer, ForeignKey("snapshot.id", ondelete="CASCADE"), primary_key=True),
    Column("context", Text, nullable=False),
    Column("findings", Text, nullable=False),
    Column("drawn", Text, nullable=False),
    Column("trends", Text, nullable=False),
)

# ledger -------------------------------------------------------------------------------------
CLAIMS = Table(
    "delivery_claim",
    METADATA,
    Column("kind", String(40), primary_key=True),
    Column("period", String(40), primary_key=True),
    Column("recipient", String(320), primary_key=True),
    Column("state", String(10), nullable=False),
    Column("claimed_at", String(40), nullable=False),
    Column("claimed_by", String(200), nullable=False),
    Column("message_id", String(400), nullable=False),
    Column("digest", String(128), nullable=False),
    Column("sent_at", String(40)),
    # when the team lead was told that this claim is in doubt (schema 3): told once per claim
    Column("notice_at", String(40)),
)

# findings -----------------------------------------------------------------------------------
FINDINGS_RUN = Table(
    "findings_run",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("recorded_at", String(40), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("findings", Text, nullable=False),
)
VALIDATION_RESULT = Table(
    "validation_result",
    METADATA,
    Column("key", String(64), primary_key=True),
    Column("recorded_at", String(40), nullable=False),
    Column("findings", Text, nullable=False),
)

# approvals ----------------------------------------------------------------------------------
APPROVAL = Table(
    "approval",
    METADATA,
    Column("run_id", String(64), primary_key=True),
    Column("period", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("record", Text, nullable=False),  # the PendingApproval as JSON (message in base64)
)

# nightly ------------------------------------------------------------------------------------
SEEN = Table(
    "seen_engagements",
    METADATA,
    Column("name", String(40), primary_key=True),  # one row: "register"
    Column("recorded_at", String(40), nullable=False),
    Column("ids", Text, nullable=False),  # JSON list of the engagement ids seen last night
)


def _history_1_to_2(conn: Connection, stored: int) -> None:
    """Schema 1 (plain-sqlite3 files of earlier versions) had no `position` column."""
    if "position" not in {c["name"] for c in inspect(conn).get_columns("indicator_value")}:
        conn.exec_driver_sql("ALTER TABLE indicator_value ADD COLUMN position INTEGER")


def _ledger_up(conn: Connection, stored: int) -> None:
    """Bring a ledger of schema 1 or 2 up to 3 (the in-doubt notice's column)."""
    if "notice_at" not in {c["name"] for c in inspect(conn).get_columns("delivery_claim")}:
        conn.exec_driver_sql("ALTER TABLE delivery_claim ADD COLUMN notice_at VARCHAR(40)")
    if stored < 2:
        _ledger_1_to_2(conn)


def _ledger_1_to_2(conn: Connection) -> None:
    """Carry a schema-1 ledger's deliveries over as "sent" claims (the latest per recipient)."""
    if "deliveries" not in inspect(conn).get_table_names():
        return
    rows = conn.exec_driver_sql(
        "SELECT kind, period, recipient, message_id, digest, sent_at FROM deliveries ORDER BY id"
    ).all()
    latest = {(k, p, r): (m, d, t) for k, p, r, m, d, t in rows}
    for (kind, period, recipient), (message_id, digest, sent_at) in latest.items():
        conn.execute(
            insert(conn, CLAIMS)
            .values(
                kind=kind,
                period=period,
                recipient=recipient,
                state="sent",
                claimed_at=sent_at,
                claimed_by="schema 1",
                message_id=message_id,
                digest=digest,
                sent_at=sent_at,
            )
            .on_conflict_do_nothing()
        )


@dataclass(frozen=True)
class StoreSchema:
    """A store's tables, their current version, and how to bring an older version up to it."""

    name: str
    tables: tuple[Table, ...]
    version: int
    migrate: Migration | None = None


STORES = {
    s.name: s
    for s in (
        StoreSchema("history", (SNAPSHOT, VALUE, EXTRA), 2, _history_1_to_2),
        StoreSchema("ledger", (CLAIMS,), 3, _ledger_up),
        StoreSchema("findings", (FINDINGS_RUN, VALIDATION_RESULT), 1),
        StoreSchema("approvals", (APPROVAL,), 1),
        StoreSchema("nightly", (SEEN,), 1),
    )
}
