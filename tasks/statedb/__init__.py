"""State: takes the settings, gives where the stores keep their tables (`Target`, tasks/_db.py).

With `[state] database_url` empty: the state folder, where history and the delivery ledger keep
their SQLite files as before. With `postgresql://user@host:port/db`: one SQLAlchemy engine on
that database, shared by every worker, its password from `D9_DATABASE_PASSWORD` (or the Prefect
Secret block named in `[state] password_block`), never shown in a message or a log.
"""

from __future__ import annotations

from tasks.statedb.database import database_engine, state_target

__all__ = ["database_engine", "state_target"]
