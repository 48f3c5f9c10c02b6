"""Indicator snapshots, for trends and as-of reports: a SQLite file of the state folder, or the
shared state database (`Target`, see tasks/_db.py).

A snapshot is keyed by (as_of, fingerprint of the input data). Recording the same key again
replaces that snapshot's values in place (same data, possibly other thresholds) and refreshes
its `recorded_at`; other snapshots are never touched. Each `record` is one transaction: if any
insert fails, nothing of it is kept. Values keep their type (int stays int, float stays float).

Beside the indicator values a snapshot keeps its context figures and the data-quality findings
the report counted (`tasks.history.extras`), so `snapshot` gives back everything a report shows
and a reported half-year can be rendered again without the spreadsheets. Trends read only
reports of half-years (`reported_trend`), never ad-hoc `d9 indicators` runs.
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

from schemas.findings import Finding
from schemas.periods import period_of
from schemas.results import IndicatorResult, Indicators, Status, detail_from_json
from tasks import _db
from tasks.history.extras import (
    Stored,
    Trends,
    context_from_json,
    context_json,
    drawn_json,
    findings_from_json,
    findings_json,
    trends_from_json,
    trends_json,
    with_drawn,
)

FILE_NAME = "history.sqlite"
REPORTED = ("report",)  # the kind of snapshot a sent or previewed report writes
Point = tuple[date, float | int | None, Status]
SCHEMA_VERSION = 2  # 1: the plain-sqlite3 file of earlier versions (untyped values, no position)


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
EXTRA = Table(
    "snapshot_extra",
    _META,
    Column("snapshot_id", Integer, ForeignKey("snapshot.id", ondelete="CASCADE"), primary_key=True),
    Column("context", Text, nullable=False),
    Column("findings", Text, nullable=False),
    Column("drawn", Text, nullable=False),
    Column("trends", Text, nullable=False),
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
    indicators: Indicators,
    kind: str,
    state: _db.Target,
    now: datetime | None = None,
    findings: tuple[Finding, ...] = (),
    trends: Trends | None = None,
) -> None:
    """Store one snapshot of indicator values atomically; re-recording the same data replaces it.

    `kind` says which run wrote it (e.g. "report", "check", "indicators"); `state` is a state
    folder or the state database's engine; `now` is the clock (default: the current UTC time);
    `findings` and `trends` are what a report counted and showed.
    """
    now = now or datetime.now(UTC)
    engine = _engine(state)
    extra = {
        "context": context_json(indicators.context),
        "findings": findings_json(findings),
        "drawn": drawn_json(indicators),
        "trends": trends_json(trends or {}),
    }
    with _db.guarded(engine, "written"), engine.begin() as conn:  # type: ignore[union-attr]
        snapshot_id = _upsert_snapshot(conn, indicators, kind, now)
        conn.execute(delete(VALUE).where(VALUE.c.snapshot_id == snapshot_id))
        conn.execute(insert(VALUE), list(_value_rows(snapshot_id, indicators)))
        conn.execute(delete(EXTRA).where(EXTRA.c.snapshot_id == snapshot_id))
        conn.execute(insert(EXTRA).values(snapshot_id=snapshot_id, **extra))


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


def reported_trend(state: _db.Target, indicator_id: str, up_to: date) -> list[Point]:
    """The values of reported half-years up to `up_to`: the latest report per half-year, only."""
    points = trend(state, indicator_id, up_to, REPORTED)
    return [p for p in points if period_of(p[0]) is not None]


def snapshot(
    state: _db.Target,
    as_of: date,
    fingerprint: str | None = None,
    kinds: tuple[str, ...] | None = None,
) -> Indicators | None:
    """Return the stored values of an as-of date (the latest, or the one of a fingerprint).

    `kinds` limits it to snapshots written by those runs (e.g. `REPORTED`).
    """
    found = stored(state, as_of, fingerprint, kinds)
    return found.indicators if found is not None else None


def stored(
    state: _db.Target,
    as_of: date,
    fingerprint: str | None = None,
    kinds: tuple[str, ...] | None = None,
) -> Stored | None:
    """Return a stored snapshot with its findings and when it was recorded, or None."""
    engine = _engine(state, create=False)
    if engine is None:
        return None
    query = select(SNAPSHOT).where(SNAPSHOT.c.as_of == as_of.isoformat())
    if fingerprint is not None:
        query = query.where(SNAPSHOT.c.fingerprint == fingerprint)
    if kinds:
        query = query.where(SNAPSHOT.c.kind.in_(kinds))
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
        extra = conn.execute(select(EXTRA).where(EXTRA.c.snapshot_id == found.id)).first()
    return _stored(found, values, extra)


def _stored(found: Any, values: Any, extra: Any) -> Stored:
    context, findings, drawn, trends = (
        (extra.context, extra.findings, extra.drawn, extra.trends)
        if extra is not None
        else ("[]", "[]", "{}", "{}")
    )
    results = {row.indicator_id: _result(row) for row in values}
    as_of = date.fromisoformat(found.as_of)
    indicators = Indicators(
        as_of, found.period, results, context_from_json(context), fingerprint=found.fingerprint
    )
    return Stored(
        with_drawn(indicators, drawn),
        findings_from_json(findings),
        datetime.fromisoformat(found.recorded_at),
        trends_from_json(trends),
    )


def _result(row: Any) -> IndicatorResult:
    return IndicatorResult(
        row.indicator_id,
        row.value,
        Status(row.status),
        target=row.target,
        numerator=row.numerator,
        denominator=row.denominator,
        detail=detail_from_json(row.indicator_id, json.loads(row.extra)),
    )
