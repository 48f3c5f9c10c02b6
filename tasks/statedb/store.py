"""The one state store: every table of d9 in one database, reached the same way by every stage.

Without `[state] database_url` the database is `state.sqlite` in the state folder; with
`postgresql://user@host:port/db` it is that database, shared by every worker (password from
`D9_DATABASE_PASSWORD` or a Prefect Secret block, never shown). The state folder itself then
holds only files meant for people: the outbox, previews and Data Docs.

Each store's tables are created on first use with a row in `d9_schema_version` (or migrated up
to it), once per process; every database or file-system failure becomes a one-line `StateError`
naming the file or the database (never its password).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from schemas.errors import StateError
from tasks.statedb import legacy
from tasks.statedb.tables import STORES, VERSIONS

FILE_NAME = "state.sqlite"
_LOCK_KEY = 911_2018  # PostgreSQL advisory lock around schema creation (two workers at once)
_ready: set[tuple[int, str]] = set()


@dataclass(frozen=True)
class Store:
    """Where d9 keeps its state: a database (`engine`, or the SQLite file of `folder`) and
    the folder of files meant for people (outbox, previews, Data Docs)."""

    folder: Path
    engine: Engine | None = None  # a shared database (PostgreSQL); None = SQLite in `folder`

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a shared database."""
        return None if self.engine is not None else self.folder / FILE_NAME

    @property
    def shared(self) -> bool:
        return self.engine is not None

    def where(self) -> str:
        """Name the database for messages: the SQLite file, or the URL without its password."""
        return where(self.engine) if self.engine is not None else str(self.path)

    def database(self, store: str, *, create: bool = True) -> Engine | None:
        """The engine with the tables of `store` ready (None: nothing stored yet, not `create`)."""
        engine = self.engine or self._sqlite(create)
        if engine is not None:
            _ensure(engine, store, self.where())
        return engine

    def _sqlite(self, create: bool) -> Engine | None:
        path = self.folder / FILE_NAME
        if not path.exists():
            if self.folder.exists() and not self.folder.is_dir():
                raise StateError(
                    "state cannot be written (the state folder is a file)", file=str(self.folder)
                )
            if not create and not legacy.found(self.folder):
                return None
            with guarded(None, "written", where_=str(self.folder)):
                self.folder.mkdir(parents=True, exist_ok=True)
                legacy.import_files(self.folder, path, _empty_database)
        engine = sqlite_engine(path)
        if not path.exists():  # removed since its tables were made: make them again
            _ready.difference_update({key for key in _ready if key[0] == id(engine)})
        return engine


def sqlite_store(folder: Path) -> Store:
    """The store of a state folder: its SQLite file."""
    return Store(Path(folder))


def sqlite_engine(path: Path) -> Engine:
    """An engine on one SQLite file: write transactions start with BEGIN IMMEDIATE."""
    return _sqlite_engine(Path(path).resolve())


@cache
def _sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 30}, poolclass=NullPool)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN itself
    dbapi_connection.execute("PRAGMA foreign_keys = ON")


def where(engine: Engine) -> str:
    """Name a database for messages: the SQLite file, or the URL without its password."""
    if engine.dialect.name == "sqlite":
        return str(engine.url.database)
    u = engine.url  # rebuilt without the password, whatever `set` makes of None
    shown = URL.create(u.get_backend_name(), u.username, None, u.host, u.port, u.database)
    return shown.render_as_string(hide_password=False)


def _empty_database(path: Path) -> None:
    """Create every store's tables in a new SQLite file (to import earlier files into)."""
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    try:
        for store in STORES:
            _create(engine, store, str(path))
    finally:
        engine.dispose()


def _ensure(engine: Engine, store: str, place: str) -> None:
    """Create a store's tables once per process, recording (or migrating to) its version."""
    if (id(engine), store) not in _ready:  # engines are cached for the process: ids stay valid
        _create(engine, store, place)
        _ready.add((id(engine), store))


def _create(engine: Engine, store: str, place: str) -> None:
    schema = STORES[store]
    with guarded(engine, "read"), engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
        VERSIONS.create(conn, checkfirst=True)
        found = conn.execute(select(VERSIONS.c.version).where(VERSIONS.c.store == store))
        stored = found.scalar()
        if stored is not None and stored > schema.version:
            raise StateError(f"written by a newer d9 (schema {stored} of {store})", file=place)
        for table in schema.tables:
            table.create(conn, checkfirst=True)
        if schema.migrate is not None and stored not in (None, schema.version):
            schema.migrate(conn, stored)
        if stored is None:
            conn.execute(VERSIONS.insert().values(store=store, version=schema.version))
        elif stored != schema.version:
            conn.execute(
                VERSIONS.update().where(VERSIONS.c.store == store).values(version=schema.version)
            )


@contextmanager
def guarded(engine: Engine | None, action: str, *, where_: str = "") -> Iterator[None]:
    """Turn database and file-system failures into one-line StateError naming the place."""
    place = where_ or (where(engine) if engine is not None else "")
    try:
        yield
    except SQLAlchemyError as exc:
        reason = _reason(exc)
        secret = engine.url.password if engine is not None else None
        if secret:  # a driver message should never quote it, but never is a strong word
            reason = reason.replace(str(secret), "***")
        raise StateError(f"state cannot be {action} ({reason})", file=place) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise StateError(f"state cannot be {action} ({reason})", file=place) from None


def _reason(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
