"""The one way the state stores reach their database, with SQLAlchemy Core.

A store (history, delivery ledger, findings) is handed a `Target`: either a state folder, where
it keeps its own SQLite file as before, or an `Engine` built from `[state] database_url` by the
`tasks.statedb` stage (PostgreSQL, shared by several workers). Tables are created on first use
together with a row in a small schema-version table, and every database or file-system failure
becomes a one-line `StateError` naming the file or the database (never its password).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    URL,
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    event,
    select,
)
from sqlalchemy import create_engine as _create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from schemas.errors import StateError

Target = Engine | Path
Migration = Callable[[Connection, int], None]

_VERSIONS = Table(
    "d9_schema_version",
    MetaData(),
    Column("store", String(40), primary_key=True),
    Column("version", Integer, nullable=False),
)
_LOCK_KEY = 911_2018  # PostgreSQL advisory lock around schema creation (two workers at once)
_ready: set[tuple[int, str]] = set()


def sqlite_engine(path: Path) -> Engine:
    """An engine on one SQLite file: write transactions start with BEGIN IMMEDIATE."""
    return _sqlite_engine(Path(path).resolve())


@cache
def _sqlite_engine(path: Path) -> Engine:
    engine = _create_engine(f"sqlite:///{path}", connect_args={"timeout": 30}, poolclass=NullPool)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN itself
    dbapi_connection.execute("PRAGMA foreign_keys = ON")


def where(target: Target | None) -> str:
    """Name a database for messages: the SQLite file, or the URL without its password."""
    if isinstance(target, Engine):
        if target.dialect.name == "sqlite":
            return str(target.url.database)
        u = target.url  # rebuilt without the password, whatever `set` makes of None
        shown = URL.create(u.get_backend_name(), u.username, None, u.host, u.port, u.database)
        return shown.render_as_string(hide_password=False)
    return str(target)


def engine_for(target: Target, file_name: str, *, create: bool = True) -> Engine | None:
    """The engine of a target; a folder gives its SQLite file (None if absent and not `create`)."""
    if isinstance(target, Engine):
        return target
    path = Path(target) / file_name
    if not create and not path.is_file():
        return None
    folder = path.parent
    if folder.exists() and not folder.is_dir():
        raise StateError("state cannot be written (the state folder is a file)", file=str(folder))
    with guarded(folder, "written"):
        folder.mkdir(parents=True, exist_ok=True)
    engine = sqlite_engine(path)
    if not path.exists():  # removed since its tables were made: make them again
        _ready.difference_update({key for key in _ready if key[0] == id(engine)})
    return engine


def ensure(
    engine: Engine, store: str, metadata: MetaData, version: int, migrate: Migration | None = None
) -> None:
    """Create a store's tables once per process, recording (or migrating to) its schema version."""
    if (id(engine), store) in _ready:
        return
    with guarded(engine, "read"), engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
        _VERSIONS.create(conn, checkfirst=True)
        found = conn.execute(select(_VERSIONS.c.version).where(_VERSIONS.c.store == store))
        stored = found.scalar()
        if stored is not None and stored > version:
            raise StateError(
                f"written by a newer d9 (schema {stored} of {store})", file=where(engine)
            )
        metadata.create_all(conn, checkfirst=True)
        if migrate is not None and stored != version:
            migrate(conn, stored or 0)
        if stored is None:
            conn.execute(_VERSIONS.insert().values(store=store, version=version))
        elif stored != version:
            conn.execute(
                _VERSIONS.update().where(_VERSIONS.c.store == store).values(version=version)
            )
    _ready.add((id(engine), store))


@contextmanager
def guarded(target: Target | None, action: str) -> Iterator[None]:
    """Turn database and file-system failures into one-line StateError naming the target."""
    try:
        yield
    except SQLAlchemyError as exc:
        reason = _reason(exc)
        secret = target.url.password if isinstance(target, Engine) else None
        if secret:  # a driver message should never quote it, but never is a strong word
            reason = reason.replace(str(secret), "***")
        raise StateError(f"state cannot be {action} ({reason})", file=where(target)) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise StateError(f"state cannot be {action} ({reason})", file=where(target)) from None


def _reason(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
