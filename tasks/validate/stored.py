"""Findings and validation results kept in the state store (`tasks.statedb`).

The nightly check keeps each night's findings (so owners are nudged only when their own findings
change, once even with several workers), and every validation keeps its result under a key of
everything it depends on (`cache`), so an unchanged workbook is not validated twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select

from schemas.findings import Finding, findings_from_json, findings_to_json
from tasks.statedb import Store, guarded
from tasks.statedb.tables import FINDINGS_RUN, VALIDATION_RESULT, upsert
from tasks.validate.quality import findings_digest

STORE = "findings"
KEEP_RESULTS = 20  # validation results kept (one a night is the usual pace)
KEEP_NIGHTS = 60  # nights of findings kept


def previous_findings(store: Store) -> tuple[Finding, ...]:
    """The findings stored last; none when nothing was stored."""
    engine = store.database(STORE, create=False)
    if engine is None:
        return ()
    query = select(FINDINGS_RUN.c.findings).order_by(FINDINGS_RUN.c.id.desc()).limit(1)
    with guarded(engine, "read"), engine.connect() as conn:
        text = conn.execute(query).scalar()
    return findings_from_json(text) if text else ()


def remember_findings(store: Store, findings: Iterable[Finding], now: datetime) -> bool:
    """Keep tonight's findings; return whether they differ from those kept last."""
    items = list(findings)
    digest = findings_digest(items)
    engine = store.database(STORE)
    row = {"recorded_at": now.isoformat(), "digest": digest, "findings": findings_to_json(items)}
    last = select(FINDINGS_RUN.c.digest).order_by(FINDINGS_RUN.c.id.desc()).limit(1)
    with guarded(engine, "written"), engine.begin() as conn:  # type: ignore[union-attr]
        changed = conn.execute(last).scalar() != digest
        conn.execute(FINDINGS_RUN.insert().values(row))
        oldest_kept = select(FINDINGS_RUN.c.id).order_by(FINDINGS_RUN.c.id.desc())
        conn.execute(
            delete(FINDINGS_RUN).where(
                FINDINGS_RUN.c.id.not_in(oldest_kept.limit(KEEP_NIGHTS).scalar_subquery())
            )
        )
    return changed


def read_result(store: Store, key: str) -> tuple[Finding, ...] | None:
    """The findings of a validation stored under `key`, or None."""
    engine = store.database(STORE, create=False)
    if engine is None:
        return None
    query = select(VALIDATION_RESULT.c.findings).where(VALIDATION_RESULT.c.key == key)
    with guarded(engine, "read"), engine.connect() as conn:
        text = conn.execute(query).scalar()
    return None if text is None else findings_from_json(text)


def write_result(store: Store, key: str, findings: Iterable[Finding], now: datetime) -> None:
    """Store the findings of a validation under `key`; keep only the latest results."""
    row = {"key": key, "recorded_at": now.isoformat(), "findings": findings_to_json(findings)}
    engine = store.database(STORE)
    newest = select(VALIDATION_RESULT.c.key).order_by(VALIDATION_RESULT.c.recorded_at.desc())
    with guarded(engine, "written"), engine.begin() as conn:  # type: ignore[union-attr]
        upsert(conn, VALIDATION_RESULT, row)
        kept = newest.limit(KEEP_RESULTS).scalar_subquery()
        conn.execute(delete(VALIDATION_RESULT).where(VALIDATION_RESULT.c.key.not_in(kept)))
