"""Indicator snapshots, for trends and as-of reports: a SQLite file of the state folder, or the
shared state database (`Target`, see tasks/_db.py).

A snapshot is keyed by (as_of, fingerprint of the input data). Recording the same key again
replaces that snapshot's values in place (same data, possibly other thresholds) and refreshes
its `recorded_at`; other snapshots are never touched. Each `record` is one transaction: if any
insert fails, nothing of it is kept. Values keep their type (int stays int, float stays float).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Dialect,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    insert,
    inspect,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.types import TypeDecorator

from schemas.results import IndicatorResult, Indicators, Status, detail_from_json
from tasks import _db

FILE_NAME = "history.sqlite"
Point = tuple[date, float | int | None, Status]
SCHEMA_VERSION = 2  # 1: the plain-sqlite3 file of earlier versions (same tables, untyped values)


class _Number(TypeDecorator[Any]):
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


_META = MetaData()
SNAPSHOT = Table(
    "snapshot",
    _META,
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
    _META,
    Column("snapshot_id", Integer, ForeignKey("snapshot.id", ondelete="CASCADE"), primary_key=True),
    Column("indicator_id", String(80), primary_key=True),
    Column("value", _Number),
    Column("status", String(10), nullable=False),
    Column("target", _Number),
    Column("numerator", Integer),
    Column("denominator", Integer),
    Column("extra", Text, nullable=False),
    Column("position", Integer),  # the results' order (added in schema 2)
)


def history_path(state_dir: Path) -> Path:
    """Return the snapshot database's path inside a state folder."""
    return Path(state_dir) / FILE_NAME


def _engine(target: _db.Target, *, create: bool = True) -> Engine | None:
    engine = _db.engine_for(target, FILE_NAME, create=create)
    if engine is not None:
        _db.ensure(engine, "history", _META, SCHEMA_VERSION, _migrate)
    return engine


def _migrate(conn: Connection, stored: int) -> None:
    """Bring a schema-1 file (no `position` column) up to date; its values stay readable."""
    if "position" not in {c["name"] for c in inspect(conn).get_columns("indicator_value")}:
        conn.exec_driver_sql("ALTER TABLE indicator_value ADD COLUMN position INTEGER")


def _value_rows(snapshot_id: int, indicators: Indicators) -> Iterator[dict[str, Any]]:
    for position, result in enumerate(indicators.results.values()):
        yield {
            "position": position,
            "snapshot_id": snapshot_id,
            "indicator_id": result.id,
            "value": result.value,
            "status": str(result.status),
            "target": result.target,
            "numerator": result.numerator,
            "denominator": result.denominator,
            "extra": json.dumps(
                result.detail.to_json() if result.detail else {}, ensure_ascii=False
            ),
        }


def record(
    indicators: Indicators, kind: str, state: _db.Target, now: datetime | None = None
) -> None:
    """Store one snapshot of indicator values atomically; re-recording the same data replaces it.

    `kind` says which run wrote it (e.g. "report", "check", "indicators"); `state` is a state
    folder or the state database's engine; `now` is the clock (default: the current UTC time).
    """
    now = now or datetime.now(UTC)
    engine = _engine(state)
    with _db.guarded(engine, "written"), engine.begin() as conn:  # type: ignore[union-attr]
        snapshot_id = _upsert_snapshot(conn, indicators, kind, now)
        conn.execute(delete(VALUE).where(VALUE.c.snapshot_id == snapshot_id))
        conn.execute(insert(VALUE), list(_value_rows(snapshot_id, indicators)))


def _upsert_snapshot(conn: Connection, indicators: Indicators, kind: str, now: datetime) -> int:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    values = {
        "as_of": indicators.as_of.isoformat(),
        "period": indicators.period,
        "fingerprint": indicators.fingerprint,
        "kind": kind,
        "recorded_at": now.isoformat(),
    }
    statement = dialect.insert(SNAPSHOT).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=["as_of", "fingerprint"],
        set_={"period": values["period"], "kind": kind, "recorded_at": values["recorded_at"]},
    )
    return int(conn.execute(statement.returning(SNAPSHOT.c.id)).scalar_one())


def trend(
    state: _db.Target, indicator_id: str, up_to: date, kinds: tuple[str, ...] | None = None
) -> list[Point]:
    """Return the latest (as_of, value, status) per as-of date up to `up_to`, oldest first."""
    engine = _engine(state, create=False)
    if engine is None:
        return []
    query = (
        select(SNAPSHOT.c.as_of, VALUE.c.value, VALUE.c.status)
        .join(VALUE, VALUE.c.snapshot_id == SNAPSHOT.c.id)
        .where(VALUE.c.indicator_id == indicator_id, SNAPSHOT.c.as_of <= up_to.isoformat())
        .order_by(SNAPSHOT.c.as_of, SNAPSHOT.c.recorded_at, SNAPSHOT.c.id)
    )
    if kinds:
        query = query.where(SNAPSHOT.c.kind.in_(kinds))
    with _db.guarded(engine, "read"), engine.connect() as conn:
        rows = conn.execute(query).all()
    latest = {as_of: (value, status) for as_of, value, status in rows}  # later rows win
    return [(date.fromisoformat(d), v, Status(s)) for d, (v, s) in latest.items()]


def snapshot(state: _db.Target, as_of: date, fingerprint: str | None = None) -> Indicators | None:
    """Return the stored values of an as-of date (the latest, or the one of a fingerprint)."""
    engine = _engine(state, create=False)
    if engine is None:
        return None
    query = select(SNAPSHOT.c.id, SNAPSHOT.c.period, SNAPSHOT.c.fingerprint).where(
        SNAPSHOT.c.as_of == as_of.isoformat()
    )
    if fingerprint is not None:
        query = query.where(SNAPSHOT.c.fingerprint == fingerprint)
    query = query.order_by(SNAPSHOT.c.recorded_at.desc(), SNAPSHOT.c.id.desc()).limit(1)
    with _db.guarded(engine, "read"), engine.connect() as conn:
        found = conn.execute(query).first()
        if found is None:
            return None
        values = conn.execute(
            select(VALUE)
            .where(VALUE.c.snapshot_id == found.id)
            .order_by(VALUE.c.position, VALUE.c.indicator_id)
        ).all()
    results = {row.indicator_id: _result(row) for row in values}
    return Indicators(as_of, found.period, results, fingerprint=found.fingerprint)


def _result(row: Any) -> IndicatorResult:
    return IndicatorResult(
        row.indicator_id,
        row.value,
        Status(row.status),
        target=row.target,
        numerator=row.numerator,
        denominator=row.denominator,
        detail=detail_from_json(json.loads(row.extra)),
    )
