"""What changed since the last report: the part of the report view the group reads first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from schemas.results import IndicatorId, Status


@dataclass(frozen=True)
class StatusChange:
    """A goal whose status word changed since the last report."""

    id: IndicatorId
    before: Status
    before_word: str
    now: Status
    now_word: str


@dataclass(frozen=True)
class Changes:
    """What changed since the last report: goals' statuses, branches reached, completions.

    `since` is the last report's as-of date; None when there is no earlier report.
    """

    since: date | None = None
    statuses: tuple[StatusChange, ...] = ()
    new_branches: tuple[str, ...] = ()  # names, in official order
    completed: int | None = None  # engagements completed since (None: not comparable)
    completed_now: int | None = None
