"""Bring the state files of earlier versions into `state.sqlite`, once.

Earlier versions kept their state in several files of the state folder: `history.sqlite`,
`deliveries.sqlite` (the delivery ledger, schema 1 or 2), `findings.json`,
`engagement-ids.json` and `approvals/<run id>.json`. When the folder has any of them and no
`state.sqlite` yet, their content is copied into a new database (built aside, then renamed into
place, so a failure leaves nothing half-done) and each file is renamed `<name>.imported`.
The validation cache (`validation-cache.json`) is a cache: it is not carried over.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from schemas.errors import StateError

HISTORY, LEDGER, FINDINGS, SEEN, APPROVALS = (
    "history.sqlite",
    "deliveries.sqlite",
    "findings.json",
    "engagement-ids.json",
    "approvals",
)
_ALL = (HISTORY, LEDGER, FINDINGS, SEEN, APPROVALS)
IMPORTED = ".imported"


def found(folder: Path) -> bool:
    """Whether the folder holds state files of an earlier version not imported yet."""
    return any((folder / name).exists() for name in _ALL)


def import_files(folder: Path, path: Path, prepare: Callable[[Path], None]) -> None:
    """Build `path` from the folder's earlier state files (`prepare` makes an empty database)."""
    if not found(folder):
        return
    tmp = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        prepare(tmp)
        conn = sqlite3.connect(tmp)
        try:
            for name, copy in _COPIES:
                _copied(copy, conn, folder / name)
        finally:
            conn.close()
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    for name in _ALL:
        if (folder / name).exists():
            os.replace(folder / name, folder / f"{name}{IMPORTED}")


def _copied(
    copy: Callable[[sqlite3.Connection, Path], None], conn: sqlite3.Connection, file: Path
) -> None:
    """Copy one old file; a file that is not a database is one StateError naming it."""
    try:
        copy(conn, file)
    except sqlite3.DatabaseError as exc:
        raise StateError(f"state cannot be read ({exc})", file=str(file)) from None


def _attached(conn: sqlite3.Connection, file: Path) -> list[str]:
    """Attach an old database as `old`; return its table names."""
    conn.execute("ATTACH DATABASE ? AS old", (str(file),))
    rows = conn.execute("SELECT name FROM old.sqlite_master WHERE type = 'table'").fetchall()
    return [r[0] for r in rows]


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"PRAGMA old.table_info({table})")}


def _history(conn: sqlite3.Connection, file: Path) -> None:
    if not file.exists():
        return
    tables = _attached(conn, file)
    if "snapshot" in tables:
        conn.execute("INSERT INTO snapshot SELECT * FROM old.snapshot")
    if "indicator_value" in tables:
        position = "position" if "position" in _columns(conn, "indicator_value") else "NULL"
        conn.execute(
            "INSERT INTO indicator_value (snapshot_id, indicator_id, value, status, target, "
            "numerator, denominator, extra, position) SELECT snapshot_id, indicator_id, value, "
            f"status, target, numerator, denominator, extra, {position} FROM old.indicator_value"
        )
    if "snapshot_extra" in tables:
        conn.execute("INSERT INTO snapshot_extra SELECT * FROM old.snapshot_extra")
    conn.commit()
    conn.execute("DETACH DATABASE old")


def _ledger(conn: sqlite3.Connection, file: Path) -> None:
    if not file.exists():
        return
    tables = _attached(conn, file)
    if "delivery_claim" in tables:
        conn.execute(
            "INSERT INTO delivery_claim (kind, period, recipient, state, claimed_at, claimed_by, "
            "message_id, digest, sent_at) SELECT kind, period, recipient, state, claimed_at, "
            "claimed_by, message_id, digest, sent_at FROM old.delivery_claim"
        )
    elif "deliveries" in tables:  # schema 1: a row per delivery; the latest per recipient wins
        rows = conn.execute(
            "SELECT kind, period, recipient, message_id, digest, sent_at FROM old.deliveries "
            "ORDER BY id"
        ).fetchall()
        latest = {(k, p, r): (m, d, t) for k, p, r, m, d, t in rows}
        conn.executemany(
            "INSERT INTO delivery_claim (kind, period, recipient, state, claimed_at, claimed_by, "
            "message_id, digest, sent_at) VALUES (?, ?, ?, 'sent', ?, 'schema 1', ?, ?, ?)",
            [(k, p, r, t, m, d, t) for (k, p, r), (m, d, t) in latest.items()],
        )
    conn.commit()
    conn.execute("DETACH DATABASE old")


def _read_json(file: Path) -> object:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # unreadable: as if there were none (a nudge may go out once more)


def _stamp(file: Path) -> str:
    return datetime.fromtimestamp(file.stat().st_mtime, UTC).isoformat()


def _findings(conn: sqlite3.Connection, file: Path) -> None:
    data = _read_json(file) if file.exists() else None
    if isinstance(data, dict) and isinstance(data.get("findings"), list):
        conn.execute(
            "INSERT INTO findings_run (recorded_at, digest, findings) VALUES (?, ?, ?)",
            (_stamp(file), str(data.get("digest", "")), json.dumps(data["findings"])),
        )
        conn.commit()


def _seen(conn: sqlite3.Connection, file: Path) -> None:
    data = _read_json(file) if file.exists() else None
    if isinstance(data, list):
        conn.execute(
            "INSERT INTO seen_engagements (name, recorded_at, ids) VALUES ('register', ?, ?)",
            (_stamp(file), json.dumps(sorted(map(str, data)), ensure_ascii=False)),
        )
        conn.commit()


def _approvals(conn: sqlite3.Connection, folder: Path) -> None:
    for file in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        data = _read_json(file)
        if isinstance(data, dict) and "run_id" in data:
            conn.execute(
                "INSERT INTO approval (run_id, period, updated_at, record) VALUES (?, ?, ?, ?)",
                (data["run_id"], data.get("period", ""), _stamp(file), json.dumps(data)),
            )
    conn.commit()


_COPIES = (
    (HISTORY, _history),
    (LEDGER, _ledger),
    (FINDINGS, _findings),
    (SEEN, _seen),
    (APPROVALS, _approvals),
)
