"""History: takes the `Indicators` of a run, stores them; gives trends and stored snapshots back.

One SQLite file in the state folder (`store`), keyed by as-of date and data fingerprint; beside
the values, the context figures and the findings a report counted (`extras`). `reported_trend`
gives only reported half-years; `stored` gives a report's snapshot back to render it again.
"""

from tasks.history.extras import Stored
from tasks.history.store import (
    REPORTED,
    history_path,
    record,
    reported_trend,
    snapshot,
    stored,
    trend,
)

__all__ = [
    "REPORTED",
    "Stored",
    "history_path",
    "record",
    "reported_trend",
    "snapshot",
    "stored",
    "trend",
]
