"""Checks that keep a figure from being silently wrong, beyond the per-column rules.

- Agency survey: a configured metric column not found in the sheet blocks ("column missing",
  naming the metric and the headers found); a configured metric without a single answer in the
  latest round is a warning (the indicator counts it as not green).
- Principles: a key project with rows in one half-year and none in the next counts as nine
  cells not assessed in the next: a warning naming its last row. The half-years checked are
  those with rows, plus the default report period (`schemas.periods.default_period`).
- Future dates (relative to `today`, a parameter): a completed engagement ending after today,
  feedback answered after today: a warning naming the row.
Sheet-wide findings (a missing or unanswered column) have row 0.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from schemas.datasets import AGENCY_SURVEY_FIXED
from schemas.findings import Finding, Severity
from schemas.periods import default_period, previous_period
from schemas.survey import latest_round, unanswered
from schemas.tables import ROW, SHEET, Inputs, LoadedTable
from tasks.validate.findings import Context, Spot, rule_finding, sheet_finding
from tasks.validate.rules import POS, Failure, Rule

_FIXED = {c.name for c in AGENCY_SURVEY_FIXED}
FUTURE_RULES = (
    Rule("engagements", "future", "end_date", "future_date", Severity.WARNING),
    Rule("feedback", "future", "answered_on", "future_date", Severity.WARNING),
)


def figure_findings(inputs: Inputs, ctx: Context, today: date) -> list[Finding]:
    """Every finding of this module's checks, in no particular order."""
    return [
        *survey_findings(inputs.agency_survey, ctx),
        *left_out_findings(inputs.principles, ctx, today),
        *future_findings(inputs, ctx, today),
    ]


def survey_findings(table: LoadedTable, ctx: Context) -> list[Finding]:
    """Configured metric columns missing (blocking) or unanswered in the latest round (warning)."""
    metrics = tuple(c.name for c in table.dataset.columns if c.name not in _FIXED)
    missing = table.missing(metrics)
    found = ", ".join(f"'{h}'" for h in table.found_headers) or "-"
    out = [
        sheet_finding(
            table, ctx, Spot(0, m), "column_missing", Severity.BLOCKING, metric=m, headers=found
        )
        for m in missing
    ]
    rnd, answers = latest_round(table.frame)
    if rnd is not None:
        silent = [m for m in unanswered(answers, metrics) if m not in missing]
        out += [
            sheet_finding(
                table, ctx, Spot(0, m, rnd), "metric_unanswered", Severity.WARNING, round=rnd
            )
            for m in silent
        ]
    return out


def _projects(principles: pl.DataFrame) -> pl.DataFrame:
    """One row per (half-year, key project): the project's last row in that half-year."""
    named = principles.with_columns(pl.col("key_project").str.strip_chars())
    named = named.filter(pl.col("period").is_not_null() & (pl.col("key_project") != ""))
    return named.group_by("period", "key_project", maintain_order=True).agg(
        pl.col(ROW).last(), pl.col(SHEET).last()
    )


def left_out_findings(table: LoadedTable, ctx: Context, today: date) -> list[Finding]:
    """Key projects assessed in a half-year and missing from the next one (warnings)."""
    projects = _projects(table.frame)
    due = default_period(today, ctx.settings.programme.deadline)[0]
    periods = sorted({*projects["period"].to_list(), due})
    out = []
    for period in periods:
        before = projects.filter(pl.col("period") == previous_period(period))
        now = projects.filter(pl.col("period") == period)["key_project"]
        for project, row, sheet in (
            before.filter(~pl.col("key_project").is_in(now.implode()))
            .select("key_project", ROW, SHEET)
            .iter_rows()
        ):
            out.append(
                sheet_finding(
                    table,
                    ctx,
                    Spot(row, "key_project", project, sheet),
                    "project_left_out",
                    Severity.WARNING,
                    before=previous_period(period),
                    period=period,
                )
            )
    return out


def future_findings(inputs: Inputs, ctx: Context, today: date) -> list[Finding]:
    """Completed engagements ending after today, feedback answered after today (warnings)."""
    out = []
    for rule in FUTURE_RULES:
        base = ctx.bases[rule.dataset].with_row_index(POS)
        late = pl.col(rule.column) > today
        if rule.dataset == "engagements":
            late = late & (pl.col("status") == "toteutettu")
        table = getattr(inputs, rule.dataset)
        for pos in base.filter(late)[POS].to_list():
            out.append(rule_finding(Failure(rule, pos), table, ctx))
    return out
