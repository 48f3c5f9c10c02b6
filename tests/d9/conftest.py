"""Servers the `d9` process tests share: a real Prefect server per module, one PostgreSQL."""

from tests.support.postgres import postgres
from tests.support.prefect_server import prefect_env

__all__ = ["postgres", "prefect_env"]
