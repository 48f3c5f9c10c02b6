"""State: takes the settings' `[state]`, gives the one `Store` of everything d9 remembers
between runs — indicator history, the delivery ledger, findings and validation results,
approvals waiting for the team lead, the engagements the nightly check saw — in `state.sqlite`
of the state folder, or in PostgreSQL with `[state] database_url`. Stages hold their queries;
the tables are declared in `tables`; `legacy` carries the files of earlier versions over.
"""

from __future__ import annotations

from functools import cache

from pydantic import SecretStr
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from schemas.settings import Settings
from tasks.statedb.migrate import refuse_unmigrated
from tasks.statedb.store import Store, guarded, sqlite_store, where

CONNECT_TIMEOUT_SECONDS = 10


def open_store(settings: Settings) -> Store:
    """The store of the settings: the database of `[state] database_url`, else the folder's file."""
    url = settings.state.database_url
    if not url:
        return sqlite_store(settings.state_dir)
    refuse_unmigrated(settings.state_dir, url)
    return Store(settings.state_dir, database_engine(url, settings.database_password()))


def database_engine(url: str, password: SecretStr | None) -> Engine:
    """An engine on a PostgreSQL URL (psycopg 3), the password added from outside the file."""
    return _engine(url, password.get_secret_value() if password else None)


@cache
def _engine(url: str, password: str | None) -> Engine:
    parsed = make_url(url).set(drivername="postgresql+psycopg")
    if password:
        parsed = parsed.set(password=password)
    return create_engine(
        parsed,
        pool_pre_ping=True,
        pool_size=2,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
        hide_parameters=True,
    )


__all__ = ["Store", "database_engine", "guarded", "open_store", "sqlite_store", "where"]
