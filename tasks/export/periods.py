"""The half-years an export covers."""

from __future__ import annotations

from datetime import date

from schemas.periods import parse_period, period_containing, previous_period


def export_periods(start: date, deadline: date, today: date) -> list[str]:
    """From the half-year containing the programme start to the last one ended before `today`,
    at most the deadline's half-year; oldest first (empty before the first half-year ends)."""
    last = period_containing(deadline)
    if parse_period(period_containing(today)) > parse_period(last):
        newest = last
    else:
        newest = previous_period(period_containing(today))
    first = period_containing(start)
    out: list[str] = []
    period = newest
    while parse_period(period) >= parse_period(first):
        out.append(period)
        period = previous_period(period)
    return out[::-1]
