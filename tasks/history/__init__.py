"""History: takes the `Indicators` of a run, stores them in the state store; gives trends and
stored snapshots back.

`snapshots` holds the queries (keyed by as-of date and data fingerprint); `codec` how the
context figures, the findings a report counted and the trend it showed are kept beside the
values. `reported_trend` gives only reported half-years; `stored` gives a report's snapshot
back to render it again; `previous_report` the last report before a date, to say what changed.
"""

from tasks.history.codec import Stored
from tasks.history.snapshots import (
    previous_report,
    record,
    reported_trend,
    reported_trends,
    stored,
    trend,
)

__all__ = [
    "Stored",
    "previous_report",
    "record",
    "reported_trend",
    "reported_trends",
    "stored",
    "trend",
]
