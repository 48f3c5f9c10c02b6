"""History: takes the `Indicators` of a run, stores them; gives trends and stored snapshots back.

One SQLite file in the state folder (`store`), keyed by as-of date and data fingerprint.
"""

from tasks.history.store import history_path, record, snapshot, trend

__all__ = ["history_path", "record", "snapshot", "trend"]
