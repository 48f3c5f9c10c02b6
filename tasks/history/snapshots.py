"""Indicator snapshots in the state store, for trends and reports rendered again.

A snapshot is keyed by (as_of, fingerprint of the input data). Recording the same key again
replaces that snapshot's values in place (same data, possibly other thresholds) and refreshes
its `recorded_at`; other snapshots are never touched. Each `record` is one transaction: if any
insert fails, nothing of it is kept. Values keep their type (int stays int, float stays float).

Beside the values a snapshot keeps its context figures, the findings the report counted and
the trend it showed (`codec`), so a reported half-year can be rendered again without the
spreadsheets (`stored`). Trends read only reports of half-years (`reported_trend`), never
ad-hoc `d9 indicators` runs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, select

from schemas.findings import Finding, findings_from_json, findings_to_json
from schemas.periods import period_of
from schemas.report import TrendPoint, Trends
from schemas.request import ReportKind
from schemas.results import IndicatorResult, Indicators, Status, detail_from_json
from tasks.history.codec import (
    Stored,
    context_from_json,
    context_json,
    drawn_json,
    trends_from_json,
    trends_json,
    with_drawn,
)
from tasks.statedb import Store, guarded
from tasks.statedb.tables import EXTRA, SNAPSHOT, VALUE, insert

STORE = "history"


def _value_rows(snapshot_id: int, indicators: Indicators) -> Iterator[dict[str, object]]:
    for position, result in enumerate(indicators.results.values()):
        yield {
            "position": position,
            "snapshot_id": snapshot_id,
            "indicator_id": str(result.id),
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
    store: Store,
    indicators: Indicators,
    kind: ReportKind,
    now: datetime,
    shown: tuple[tuple[Finding, ...], Trends] = ((), {}),
) -> None:
    """Store one snapshot of indicator values atomically; re-recording the same data replaces it.

    `kind` says which run wrote it; `shown` are the findings a report counted and the trend it
    showed.
    """
    findings, trends = shown
    engine = store.database(STORE)
    extra = {
        "context": context_json(indicators.context),
        "findings": findings_to_json(findings),
        "drawn": drawn_json(indicators),
        "trends": trends_json(trends),
    }
    with guarded(engine, "written"), engine.begin() as conn:  # type: ignore[union-attr]
        snapshot_id = _upsert_snapshot(conn, indicators, kind, now)
        conn.execute(delete(VALUE).where(VALUE.c.snapshot_id == snapshot_id))
        conn.execute(VALUE.insert(), list(_value_rows(snapshot_id, indicators)))
        conn.execute(delete(EXTRA).where(EXTRA.c.snapshot_id == snapshot_id))
        conn.execute(EXTRA.insert().values(snapshot_id=snapshot_id, **extra))


def _upsert_snapshot(
    conn: Connection, indicators: Indicators, kind: ReportKind, now: datetime
) -> int:
    values = {
        "as_of": indicators.as_of.isoformat(),
        "period": indicators.period,
        "fingerprint": indicators.fingerprint,
        "kind": str(kind),
        "recorded_at": now.isoformat(),
    }
    statement = insert(conn, SNAPSHOT).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=["as_of", "fingerprint"],
        set_={"period": values["period"], "kind": values["kind"], "recorded_at": now.isoformat()},
    )
    return int(conn.execute(statement.returning(SNAPSHOT.c.id)).scalar_one())


def trend(
    store: Store, indicator_id: str, up_to: date, kinds: tuple[ReportKind, ...] = ()
) -> list[TrendPoint]:
    """Return the latest (as_of, value, status) per as-of date up to `up_to`, oldest first."""
    engine = store.database(STORE, create=False)
    if engine is None:
        return []
    query = (
        select(SNAPSHOT.c.as_of, VALUE.c.value, VALUE.c.status)
        .join(VALUE, VALUE.c.snapshot_id == SNAPSHOT.c.id)
        .where(VALUE.c.indicator_id == str(indicator_id), SNAPSHOT.c.as_of <= up_to.isoformat())
        .order_by(SNAPSHOT.c.as_of, SNAPSHOT.c.recorded_at, SNAPSHOT.c.id)
    )
    if kinds:
        query = query.where(SNAPSHOT.c.kind.in_([str(k) for k in kinds]))
    with guarded(engine, "read"), engine.connect() as conn:
        rows = conn.execute(query).all()
    latest = {as_of: (value, status) for as_of, value, status in rows}  # later rows win
    return [TrendPoint(date.fromisoformat(d), v, Status(s)) for d, (v, s) in latest.items()]


def reported_trend(store: Store, indicator_id: str, up_to: date) -> list[TrendPoint]:
    """The values of reported half-years up to `up_to`: the latest report per half-year, only."""
    points = trend(store, indicator_id, up_to, (ReportKind.REPORT,))
    return [p for p in points if period_of(p.as_of) is not None]


def reported_trends(store: Store, indicators: Indicators) -> dict[str, list[TrendPoint]]:
    """The reported trend of each of the indicators, up to their as-of date."""
    return {i: reported_trend(store, i, indicators.as_of) for i in indicators.results}


def stored(
    store: Store,
    as_of: date,
    kinds: tuple[ReportKind, ...] = (),
    fingerprint: str | None = None,
) -> Stored | None:
    """Return a stored snapshot (the latest of the date, or the one of a fingerprint) with its
    findings and when it was recorded, or None; `kinds` limits it to snapshots of those runs."""
    engine = store.database(STORE, create=False)
    if engine is None:
        return None
    query = select(SNAPSHOT).where(SNAPSHOT.c.as_of == as_of.isoformat())
    if fingerprint is not None:
        query = query.where(SNAPSHOT.c.fingerprint == fingerprint)
    if kinds:
        query = query.where(SNAPSHOT.c.kind.in_([str(k) for k in kinds]))
    query = query.order_by(SNAPSHOT.c.recorded_at.desc(), SNAPSHOT.c.id.desc()).limit(1)
    with guarded(engine, "read"), engine.connect() as conn:
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


def previous_report(
    store: Store, as_of: date, recorded_by: datetime | None = None
) -> Indicators | None:
    """The figures of the last report before `as_of`: the stored report of the latest reported
    half-year ending before it (None: no earlier report).

    With `recorded_by` (when the report itself was made), a half-year reported again later, on
    corrected data, does not count: a report rendered again from history compares with what it
    compared with when it was sent.
    """
    engine = store.database(STORE, create=False)
    if engine is None:
        return None
    query = select(SNAPSHOT.c.as_of, SNAPSHOT.c.recorded_at, SNAPSHOT.c.fingerprint).where(
        SNAPSHOT.c.kind == str(ReportKind.REPORT), SNAPSHOT.c.as_of < as_of.isoformat()
    )
    with guarded(engine, "read"), engine.connect() as conn:
        rows = [
            (date.fromisoformat(d), datetime.fromisoformat(at), fp)
            for d, at, fp in conn.execute(query).all()
        ]
    rows = [r for r in rows if period_of(r[0]) is not None]
    if not rows:
        return None
    last = max(d for d, _, _ in rows)
    candidates = sorted((at, fp) for d, at, fp in rows if d == last)
    if recorded_by is not None:
        # Aware and naive times do not compare: without a comparable time, keep them all.
        earlier = [c for c in candidates if _comparable(c[0], recorded_by) and c[0] <= recorded_by]
        candidates = earlier or candidates
    found = stored(store, last, (ReportKind.REPORT,), fingerprint=candidates[-1][1])
    return found.indicators if found is not None else None


def _comparable(a: datetime, b: datetime) -> bool:
    return (a.tzinfo is None) == (b.tzinfo is None)


def _stored(found: Row[Any], values: Sequence[Row[Any]], extra: Row[Any] | None) -> Stored:
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


def _result(row: Row[Any]) -> IndicatorResult:
    return IndicatorResult(
        row.indicator_id,
        row.value,
        Status(row.status),
        target=row.target,
        numerator=row.numerator,
        denominator=row.denominator,
        detail=detail_from_json(row.indicator_id, json.loads(row.extra)),
    )
