"""Findings and validation results in the shared state database (`[state] database_url`).

Without a database they stay JSON files of the state folder (`quality`, `cache`); with one,
every worker sees the same last findings (so owners are nudged once, not once per worker) and
the same validation results.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from datetime import UTC, datetime

from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, Text, select
from sqlalchemy.dialects import postgresql

from schemas.findings import Finding, Severity
from tasks import _db

SCHEMA_VERSION = 1
_META = MetaData()
FINDINGS_RUN = Table(
    "findings_run",
    _META,
    Column("id", Integer, primary_key=True),
    Column("recorded_at", String(40), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("findings", Text, nullable=False),
)
VALIDATION_RESULT = Table(
    "validation_result",
    _META,
    Column("key", String(64), primary_key=True),
    Column("recorded_at", String(40), nullable=False),
    Column("findings", Text, nullable=False),
)


def to_json(findings: Iterable[Finding]) -> str:
    """The findings as JSON text (severity as its word)."""
    items = [{**asdict(f), "severity": str(f.severity)} for f in findings]
    return json.dumps(items, ensure_ascii=False)


def from_json(text: str) -> tuple[Finding, ...]:
    """Findings back from `to_json`."""
    return tuple(Finding(**{**f, "severity": Severity(f["severity"])}) for f in json.loads(text))


def _ready(engine: Engine) -> Engine:
    _db.ensure(engine, "findings", _META, SCHEMA_VERSION)
    return engine


def last_digest(engine: Engine) -> str | None:
    """The digest of the findings stored last, or None."""
    query = select(FINDINGS_RUN.c.digest).order_by(FINDINGS_RUN.c.id.desc()).limit(1)
    with _db.guarded(engine, "read"), _ready(engine).connect() as conn:
        return conn.execute(query).scalar()


def store_findings(engine: Engine, digest: str, findings: Iterable[Finding]) -> None:
    """Keep one night's findings and their digest."""
    row = {"recorded_at": _now(), "digest": digest, "findings": to_json(findings)}
    with _db.guarded(engine, "written"), _ready(engine).begin() as conn:
        conn.execute(FINDINGS_RUN.insert().values(row))


def read_result(engine: Engine, key: str) -> tuple[Finding, ...] | None:
    """The findings of a validation stored under `key`, or None."""
    query = select(VALIDATION_RESULT.c.findings).where(VALIDATION_RESULT.c.key == key)
    with _db.guarded(engine, "read"), _ready(engine).connect() as conn:
        text = conn.execute(query).scalar()
    return None if text is None else from_json(text)


def write_result(engine: Engine, key: str, findings: Iterable[Finding]) -> None:
    """Store the findings of a validation under `key` (replacing an earlier one)."""
    row = {"key": key, "recorded_at": _now(), "findings": to_json(findings)}
    with _db.guarded(engine, "written"), _ready(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            insert = postgresql.insert(VALIDATION_RESULT).values(row)
            conn.execute(insert.on_conflict_do_update(index_elements=["key"], set_=row))
        else:
            conn.execute(VALIDATION_RESULT.delete().where(VALIDATION_RESULT.c.key == key))
            conn.execute(VALIDATION_RESULT.insert().values(row))


def _now() -> str:
    return datetime.now(UTC).isoformat()
