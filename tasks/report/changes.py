"""What changed since the last report, for the block right under the headline.

The steering group reads first what moved since it last met: the goals whose status word
changed, the branches reached for the first time, how many engagements were completed since.
The last report is the stored snapshot of the latest reported half-year before this report's
as-of date (`tasks.history.previous_report`); without one the block says this is the first.
"""

from __future__ import annotations

from datetime import date

from schemas.catalogue import translate
from schemas.changes import Changes, StatusChange
from schemas.reference import branches
from schemas.results import Coverage, IndicatorId, IndicatorResult, Indicators
from tasks.report.i18n import category_names, status_key


def _status_changes(
    now: Indicators, before: Indicators, language: str, deadline: date
) -> tuple[StatusChange, ...]:
    """Goals whose status changed, each in the words of its own report (met or missed once the
    report is at or after the deadline)."""

    def word(result: IndicatorResult, as_of: date) -> str:
        return translate(language, status_key(result.status, result.id, as_of >= deadline))

    pairs = [(before.results.get(i), r) for i, r in now.results.items()]
    return tuple(
        StatusChange(r.id, b.status, word(b, before.as_of), r.status, word(r, now.as_of))
        for b, r in pairs
        if b is not None and b.status is not r.status
    )


def _new_branches(now: Indicators, before: Indicators, language: str) -> tuple[str, ...]:
    """Branches missing in the last report and reached now, by name in official order."""
    was = before.results.get(IndicatorId.BRANCHES_COVERED)
    is_ = now.results.get(IndicatorId.BRANCHES_COVERED)
    if not (was and is_ and isinstance(was.detail, Coverage) and isinstance(is_.detail, Coverage)):
        return ()
    reached = set(was.detail.missing) - set(is_.detail.missing)
    names = category_names(language)
    return tuple(names.get(b.code, b.code) for b in branches() if b.code in reached)


def _completed(now: Indicators, before: Indicators) -> tuple[int | None, int | None]:
    """Engagements completed since the last report, and in all now (None: not known)."""
    was = before.results.get(IndicatorId.ENGAGEMENTS_COMPLETED)
    is_ = now.results.get(IndicatorId.ENGAGEMENTS_COMPLETED)
    if is_ is None or is_.value is None:
        return None, None
    total = int(is_.value)
    if was is None or was.value is None:
        return None, total
    return total - int(was.value), total


def changes(
    now: Indicators, before: Indicators | None, language: str, deadline: date = date.max
) -> Changes:
    """Compare this report's figures with the last report's (None: there was none)."""
    if before is None or before.as_of >= now.as_of:
        return Changes()
    completed, completed_now = _completed(now, before)
    return Changes(
        since=before.as_of,
        statuses=_status_changes(now, before, language, deadline),
        new_branches=_new_branches(now, before, language),
        completed=completed,
        completed_now=completed_now,
    )
