"""Checks that keep a figure from being silently wrong, beyond the per-column rules.

- Agency survey: a configured metric column not found in the sheet blocks ("column missing",
  naming the metric and the headers found); a configured metric without a single answer in the
  latest round is a warning (the indicator counts it as not green).
- Principles: a key project with rows in one half-year and none in the next counts as nine
  cells not assessed in the next: a warning naming its last row. The half-years checked are
  those with rows, plus the default report period (`schemas.periods.default_period`).
- Future dates (relative to `today`, a parameter): a completed engagement ending after today,
  feedback answered after today: a warning naming the row.
- Not recorded: each optional register column a figure rests on (`RECORDED_COLUMNS`) that the
  sheet has no header for is one warning naming the header (row 0).
- A Kokeilu lasting (end - start + 1 days) longer than `assumptions.kokeilu_max_days`: a warning.
Sheet-wide findings (a missing or unanswered column) have row 0.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import polars as pl

from schemas.catalogue import translate
from schemas.datasets import AGENCY_SURVEY_FIXED
from schemas.findings import Finding, Severity
from schemas.periods import default_period, previous_period
from schemas.results import RECORDED_COLUMNS
from schemas.survey import latest_round, unanswered
from schemas.tables import ROW, SHEET, Inputs, LoadedTable
from tasks.validate.findings import Context, Spot, rule_finding, sheet_finding
from tasks.validate.rules import POS, Failure, Rule

_FIXED = {c.name for c in AGENCY_SURVEY_FIXED}
KOKEILU_RULE = Rule("engagements", "kokeilu", "end_date", "kokeilu_long", Severity.WARNING)
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
        *unrecorded_findings(inputs.engagements, ctx),
        *long_kokeilu_findings(inputs.engagements, ctx),
    ]


def unrecorded_findings(table: LoadedTable, ctx: Context) -> list[Finding]:
    """One warning per optional column a figure rests on that the register has no header for:
    the report shows its figure as "not recorded", never as zero."""
    return [
        sheet_finding(
            table,
            ctx,
            Spot(0, table.dataset.column(name).header_fi),
            "column_unrecorded",
            Severity.WARNING,
            header=table.dataset.column(name).header_fi,
        )
        for name in table.missing(RECORDED_COLUMNS)
    ]


def long_kokeilu_findings(table: LoadedTable, ctx: Context) -> list[Finding]:
    """A Kokeilu lasting longer than `assumptions.kokeilu_max_days` (the plan: about 1-5 days)."""
    limit = ctx.settings.assumptions.kokeilu_max_days
    days = (pl.col("end_date") - pl.col("start_date")).dt.total_days() + 1
    frame = ctx.bases[table.dataset.name].with_row_index(POS).with_columns(days.alias("_days"))
    long = frame.filter((pl.col("service_concept") == "Kokeilu") & (pl.col("_days") > limit))
    out = []
    for pos, n in long.select(POS, "_days").iter_rows():
        found = rule_finding(Failure(KOKEILU_RULE, pos), table, ctx)  # the row's owner is told
        detail = translate(ctx.language, "figure_check.kokeilu_long", days=n, limit=limit)
        out.append(replace(found, message=f"{found.message}: {detail}"))
    return out


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
