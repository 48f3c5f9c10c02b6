"""Read the state store of a test project as a person would with `sqlite3`: the approval records,
the night's findings, the engagement ids seen (the JSON each row keeps)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

FILE = "state.sqlite"


def _rows(state: Path, query: str) -> list[tuple[Any, ...]]:
    if not (state / FILE).exists():
        return []
    with sqlite3.connect(state / FILE) as conn:
        rows = conn.execute(query).fetchall()
    conn.close()
    return rows


def approvals(state: Path) -> dict[str, Any]:
    """Each approval record by run id, as JSON."""
    return {run: json.loads(r) for run, r in _rows(state, "SELECT run_id, record FROM approval")}


def last_findings(state: Path) -> list[dict[str, Any]]:
    """The findings the nightly check kept last, as JSON."""
    rows = _rows(state, "SELECT findings FROM findings_run ORDER BY id DESC LIMIT 1")
    return json.loads(rows[0][0]) if rows else []


def seen_ids(state: Path) -> list[str]:
    """The engagement ids the nightly check saw last."""
    rows = _rows(state, "SELECT ids FROM seen_engagements")
    return json.loads(rows[0][0]) if rows else []
