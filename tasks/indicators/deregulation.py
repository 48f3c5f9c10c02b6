"""The deregulation log: legislative obstacles to customer-centric service the team found.

Choices (the issue and DESIGN.md leave them open):

- Cumulative: every reached engagement (see `common.reached`) with `regulatory_obstacles` filled
  whose obstacle was found on or before as_of is listed, whether or not it is still active.
- Found on = `regulatory_found_on` (Sääntelyeste havaittu); when that cell or the whole column is
  blank, the engagement's start date is used and the row says so (`found_on_assumed`).
- New = found in the half-year containing as_of (on or after its first day).
- Passed on = `regulatory_passed_on` (Välitetty: to whom / when) filled; the rest are still to
  be passed on to the finance ministry.
- Rows are ordered by found-on date, then id; counts are by branch, only branches with obstacles.
  The rows carry `regulatory_obstacles`; no other figure's rows do (the report relies on that).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from schemas.periods import period_containing, period_start
from schemas.reference import branches
from schemas.results import ContextFigure
from tasks.indicators.common import appendix, filled

LOG_COLUMNS = (
    "engagement_id",
    "title",
    "customer",
    "branch",
    "status",
    "start_date",
    "end_date",
    "regulatory_obstacles",
    "found_on",
    "found_on_assumed",
    "new",
    "regulatory_passed_on",
    "passed_on",
)


def deregulation_log(base: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """The obstacles found by as_of among the reached engagements, with found-on, new, passed on."""
    first_day = period_start(period_containing(as_of))
    return (
        base.filter(filled("regulatory_obstacles"))
        .with_columns(
            pl.coalesce("regulatory_found_on", "start_date").alias("found_on"),
            pl.col("regulatory_found_on").is_null().alias("found_on_assumed"),
            filled("regulatory_passed_on").alias("passed_on"),
        )
        .filter(pl.col("found_on") <= as_of)
        .with_columns((pl.col("found_on") >= first_day).alias("new"))
        .sort("found_on", "engagement_id")
    )


def deregulation_figure(base: pl.DataFrame, as_of: date) -> ContextFigure:
    """The log as a context figure: counts by branch, numerator = obstacles listed."""
    log = deregulation_log(base, as_of)
    found = dict(log.group_by("branch").len().iter_rows())
    counts = {b.code: int(found[b.code]) for b in branches() if found.get(b.code)}
    return ContextFigure(
        "deregulation_opportunities",
        counts=counts,
        numerator=log.height,
        rows=appendix(log, LOG_COLUMNS),
    )
