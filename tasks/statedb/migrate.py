"""Move the state from the SQLite file of the state folder into PostgreSQL, once and safely.

`d9 state migrate --to URL` copies every table of `state.sqlite` (after carrying the files of
earlier versions into it) into the database, in one transaction per run: history snapshots are
matched by their natural key (as-of date and fingerprint) and get the database's own ids, every
other row by its primary key; rows already there are kept. So the copy can be run again (it adds
nothing twice), and a worker that already wrote to the database loses nothing. Afterwards the
SQLite file is renamed `state.sqlite.migrated`, which lets the runs with `database_url` start:
until then they refuse, so that a report already sent is never sent again from an empty ledger.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, select

from schemas.errors import StateError
from tasks.statedb import legacy
from tasks.statedb.store import FILE_NAME, Store, guarded, sqlite_store, where
from tasks.statedb.tables import (
    APPROVAL,
    CLAIMS,
    EXTRA,
    FINDINGS_RUN,
    SEEN,
    SNAPSHOT,
    STORES,
    VALIDATION_RESULT,
    VALUE,
    insert,
)

MIGRATED = ".migrated"
_KEYED = (CLAIMS, VALIDATION_RESULT, APPROVAL, SEEN)  # tables with a natural primary key


@dataclass(frozen=True)
class Migration:
    """What one run of the copy did: rows found in the file and rows new in the database."""

    source: str
    target: str
    found: dict[str, int]
    added: dict[str, int]


def pending(folder: Path) -> bool:
    """Whether the state folder holds SQLite state (or older files) not yet copied anywhere."""
    return (folder / FILE_NAME).exists() or legacy.found(folder)


def refuse_unmigrated(folder: Path, url: str) -> None:
    """Stop a run on the database while the folder's SQLite state was never copied into it."""
    if pending(folder):
        raise StateError(
            f"holds SQLite state not yet in the database {url}: copy it first with "
            f"d9 state migrate --to {url} (a report already sent would go out again otherwise)",
            file=str(folder),
        )


def migrate(folder: Path, target: Store) -> Migration:
    """Copy the SQLite state of `folder` into the database of `target`; rename the file."""
    source = sqlite_store(folder)
    engine = source.database("ledger", create=False)  # imports the older files, if any
    if engine is None:
        raise StateError("no SQLite state to copy (nothing was ever stored here)", file=str(folder))
    for store in STORES:
        source.database(store)
        target.database(store)
    assert target.engine is not None
    found, added = _copy(engine, target.engine)
    engine.dispose()
    path = folder / FILE_NAME
    with guarded(None, "written", where_=str(path)):
        os.replace(path, path.with_name(FILE_NAME + MIGRATED))
    return Migration(str(path), where(target.engine), found, added)


def _copy(source: Engine, target: Engine) -> tuple[dict[str, int], dict[str, int]]:
    found: dict[str, int] = {}
    added: dict[str, int] = {}
    with (
        guarded(source, "read"),
        source.connect() as read,
        guarded(target, "written"),
        target.begin() as write,
    ):
        for table in (*_KEYED, FINDINGS_RUN):
            rows = [dict(r._mapping) for r in read.execute(select(table))]
            found[table.name] = len(rows)
            added[table.name] = _put(write, table, rows)
        found[SNAPSHOT.name], added[SNAPSHOT.name] = _snapshots(read, write)
    return found, added


def _put(conn: Connection, table: Table, rows: list[dict[str, object]]) -> int:
    """Insert the rows the database lacks (by primary key; findings runs by time and digest)."""
    if table is FINDINGS_RUN:
        have = {(r.recorded_at, r.digest) for r in conn.execute(select(FINDINGS_RUN))}
        rows = [
            {k: v for k, v in r.items() if k != "id"}
            for r in rows
            if (r["recorded_at"], r["digest"]) not in have
        ]
        for row in rows:
            conn.execute(FINDINGS_RUN.insert().values(row))
        return len(rows)
    count, key = 0, next(iter(table.primary_key.columns))
    for row in rows:
        statement = insert(conn, table).values(row).on_conflict_do_nothing().returning(key)
        count += conn.execute(statement).first() is not None
    return count


def _snapshots(read: Connection, write: Connection) -> tuple[int, int]:
    """Copy history: each snapshot under the database's own id, with its values and extras."""
    snapshots = [dict(r._mapping) for r in read.execute(select(SNAPSHOT))]
    added = 0
    for snap in snapshots:
        key = (SNAPSHOT.c.as_of == snap["as_of"], SNAPSHOT.c.fingerprint == snap["fingerprint"])
        if write.execute(select(SNAPSHOT.c.id).where(*key)).first() is not None:
            continue
        row = {k: v for k, v in snap.items() if k != "id"}
        new_id = write.execute(SNAPSHOT.insert().values(row).returning(SNAPSHOT.c.id)).scalar_one()
        for table in (VALUE, EXTRA):
            query = select(table).where(table.c.snapshot_id == snap["id"])
            for child in read.execute(query):
                write.execute(table.insert().values({**child._mapping, "snapshot_id": new_id}))
        added += 1
    return len(snapshots), added
