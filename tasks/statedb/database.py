"""The state database's engine, built once per URL and password."""

from __future__ import annotations

from functools import cache

from pydantic import SecretStr
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from schemas.settings import Settings
from tasks import _db

CONNECT_TIMEOUT_SECONDS = 10


def state_target(settings: Settings) -> _db.Target:
    """Where the state lives: the database of `[state] database_url`, else the state folder."""
    url = settings.state.database_url
    if not url:
        return settings.state_dir
    return database_engine(url, settings.database_password())


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
