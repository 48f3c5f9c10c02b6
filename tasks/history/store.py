"""Indicator snapshots in a SQLite file of the state folder, for trends and as-of reports.

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
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from schemas.findings import Finding
from schemas.periods import period_of
from schemas.results import IndicatorResult, Indicators, Status, detail_from_json
from tasks import _sqlite
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

_SCHEMA = """
CREATE TABLE IF NOT EXISTS snapshot (
    id INTEGER PRIMARY KEY,
    as_of TEXT NOT NULL,
    period TEXT,
    fingerprint TEXT NOT NULL,
    kind TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (as_of, fingerprint)
);
CREATE TABLE IF NOT EXISTS indicator_value (
    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
    indicator_id TEXT NOT NULL,
    value,
    status TEXT NOT NULL,
    target,
    numerator INTEGER,
    denominator INTEGER,
    extra TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, indicator_id)
);
CREATE TABLE IF NOT EXISTS snapshot_extra (
    snapshot_id INTEGER PRIMARY KEY REFERENCES snapshot(id) ON DELETE CASCADE,
    context TEXT NOT NULL,
    findings TEXT NOT NULL,
    drawn TEXT NOT NULL,
    trends TEXT NOT NULL
);
"""


def history_path(state_dir: Path) -> Path:
    """Return the snapshot database's path inside a state folder."""
    return Path(state_dir) / FILE_NAME


def _connect(state_dir: Path) -> AbstractContextManager[sqlite3.Connection]:
    return _sqlite.connect(history_path(state_dir), _SCHEMA)


def _value_rows(snapshot_id: int, indicators: Indicators) -> Iterator[tuple[Any, ...]]:
    for result in indicators.results.values():
        yield (
            snapshot_id,
            result.id,
            result.value,
            str(result.status),
            result.target,
            result.numerator,
            result.denominator,
            json.dumps(result.detail.to_json() if result.detail else {}, ensure_ascii=False),
        )


def record(
    indicators: Indicators,
    kind: str,
    state_dir: Path,
    now: datetime | None = None,
    findings: tuple[Finding, ...] = (),
    trends: Trends | None = None,
) -> None:
    """Store one snapshot of indicator values atomically; re-recording the same data replaces it.

    `kind` says which run wrote it (e.g. "report", "check", "indicators"); `now` is the clock
    (default: the current UTC time); `findings` and `trends` are what a report counted and showed.
    """
    now = now or datetime.now(UTC)
    with _connect(state_dir) as conn, _sqlite.transaction(conn):
        snapshot_id = conn.execute(
            "INSERT INTO snapshot (as_of, period, fingerprint, kind, recorded_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (as_of, fingerprint) DO UPDATE SET"
            " period = excluded.period, kind = excluded.kind,"
            " recorded_at = excluded.recorded_at"
            " RETURNING id",
            (
                indicators.as_of.isoformat(),
                indicators.period,
                indicators.fingerprint,
                kind,
                now.isoformat(),
            ),
        ).fetchone()[0]
        conn.execute("DELETE FROM indicator_value WHERE snapshot_id = ?", (snapshot_id,))
        conn.executemany(
            "INSERT INTO indicator_value VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            _value_rows(snapshot_id, indicators),
        )
        conn.execute(
            "INSERT OR REPLACE INTO snapshot_extra VALUES (?, ?, ?, ?, ?)",
            (
                snapshot_id,
                context_json(indicators.context),
                findings_json(findings),
                drawn_json(indicators),
                trends_json(trends or {}),
            ),
        )


def trend(
    state_dir: Path, indicator_id: str, up_to: date, kinds: tuple[str, ...] | None = None
) -> list[Point]:
    """Return the latest (as_of, value, status) per as-of date up to `up_to`, oldest first."""
    if not history_path(state_dir).exists():
        return []
    kind_filter = f" AND s.kind IN ({','.join('?' * len(kinds))})" if kinds else ""
    with _connect(state_dir) as conn:
        rows = conn.execute(
            "SELECT s.as_of, v.value, v.status FROM snapshot s"
            " JOIN indicator_value v ON v.snapshot_id = s.id"
            " WHERE v.indicator_id = ? AND s.as_of <= ?"
            + kind_filter
            + " ORDER BY s.as_of, s.recorded_at, s.id",
            (indicator_id, up_to.isoformat(), *(kinds or ())),
        ).fetchall()
    latest = {as_of: (value, status) for as_of, value, status in rows}  # later rows win
    return [(date.fromisoformat(d), v, Status(s)) for d, (v, s) in latest.items()]


def reported_trend(state_dir: Path, indicator_id: str, up_to: date) -> list[Point]:
    """The values of reported half-years up to `up_to`: the latest report per half-year, only."""
    points = trend(state_dir, indicator_id, up_to, REPORTED)
    return [p for p in points if period_of(p[0]) is not None]


def snapshot(
    state_dir: Path,
    as_of: date,
    fingerprint: str | None = None,
    kinds: tuple[str, ...] | None = None,
) -> Indicators | None:
    """Return the stored values of an as-of date (the latest, or the one of a fingerprint).

    `kinds` limits it to snapshots written by those runs (e.g. `REPORTED`).
    """
    found = stored(state_dir, as_of, fingerprint, kinds)
    return found.indicators if found is not None else None


def stored(
    state_dir: Path,
    as_of: date,
    fingerprint: str | None = None,
    kinds: tuple[str, ...] | None = None,
) -> Stored | None:
    """Return a stored snapshot with its findings and when it was recorded, or None."""
    if not history_path(state_dir).exists():
        return None
    kind_filter = f" AND kind IN ({','.join('?' * len(kinds))})" if kinds else ""
    with _connect(state_dir) as conn:
        found = conn.execute(
            "SELECT id, period, fingerprint, recorded_at FROM snapshot WHERE as_of = ?"
            " AND (? IS NULL OR fingerprint = ?)"
            + kind_filter
            + " ORDER BY recorded_at DESC, id DESC LIMIT 1",
            (as_of.isoformat(), fingerprint, fingerprint, *(kinds or ())),
        ).fetchone()
        if found is None:
            return None
        values = conn.execute(
            "SELECT indicator_id, value, status, target, numerator, denominator, extra"
            " FROM indicator_value WHERE snapshot_id = ? ORDER BY rowid",
            (found[0],),
        ).fetchall()
        extra = conn.execute(
            "SELECT context, findings, drawn, trends FROM snapshot_extra WHERE snapshot_id = ?",
            (found[0],),
        ).fetchone() or ("[]", "[]", "{}", "{}")
    results = {
        iid: IndicatorResult(
            iid,
            value,
            Status(status),
            target=target,
            numerator=num,
            denominator=den,
            detail=detail_from_json(json.loads(extra_json)),
        )
        for iid, value, status, target, num, den, extra_json in values
    }
    context = context_from_json(extra[0])
    indicators = with_drawn(
        Indicators(as_of, found[1], results, context, fingerprint=found[2]), extra[2]
    )
    recorded = datetime.fromisoformat(found[3])
    return Stored(indicators, findings_from_json(extra[1]), recorded, trends_from_json(extra[3]))
