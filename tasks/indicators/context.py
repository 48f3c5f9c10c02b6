"""Context figures shown beside the indicators: counts by category and shares, no target.

Choices (DESIGN.md leaves them open):

- The engagements behind the context figures are the *reached* ones, the same set as
  `branches_covered`: status käynnissä or toteutettu, start_date <= as_of, and not completed
  before the programme start (end_date < programme start). Planned and cancelled ones never count.
- Counts list every category of the vocabulary in its official order, zeros included (branches:
  all twelve, `schemas.reference.branches()` order); values outside it follow, sorted; blanks are
  not counted. A cross-administrative engagement is counted once, under its own `branch`.
- Support areas: the list column is exploded, so one engagement counts once per area it names.
- Not recorded is not zero: a figure whose optional columns (`schemas.results.FIGURE_COLUMNS`)
  the sheet lacks is "not recorded": no counts, value None, no rows, `unrecorded` naming them.
- `strategic_influence_share`: strategic_choices is true OR influence_level is strateginen or
  molemmat (the columns of `assumptions.strategic_influence_from`); `starting_phase_share`:
  project_stage is alkava. Both over all reached engagements
  (a blank counts as "no"); value None when there are none.
- `investment_advice`: counts of toteuta / muuta / älä toteuta; value = (muuta + älä toteuta) /
  engagements with any advice; rows = every engagement with advice, `counted` marking those
  advised to change or not to invest.
- `cross_administrative_share`: reached engagements marked Poikkihallinnollinen (a blank counts
  as no); each is still counted once, under its own `branch`, in the other figures.
- `deregulation_opportunities`: the cumulative deregulation log of `deregulation` (found by
  as_of, new in the half-year, passed on or not). Its rows carry the `regulatory_obstacles`
  column; no other figure's rows do (the report relies on that).
- `repeat_customers`, `repeat_branches`, `concept_progression`: practices spreading (`spread`).
- Trend: the figures of `TRENDED` also carry `previous`, the same figure computed from the same
  data as of the end of the half-year before the one containing as_of (`previous_period`).
- Rows for the XLSX appendix keep `_row` and `_sheet`; list columns are joined with "; ";
  `owner` and feedback `comment` (personal data) are never included.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import polars as pl

from schemas.periods import parse_period, period_containing, previous_period
from schemas.reference import branches, vocabulary
from schemas.results import FIGURE_COLUMNS, ContextFigure
from schemas.settings import Settings
from tasks.indicators.common import ENGAGEMENT_COLUMNS, appendix, reached
from tasks.indicators.deregulation import deregulation_figure
from tasks.indicators.spread import (
    concept_progression,
    engagements_per_branch,
    engagements_per_customer,
    repeat_branches,
    repeat_customers,
    with_earlier_counts,
)


def _counts(frame: pl.DataFrame, column: str, categories: tuple[str, ...]) -> dict[str, int]:
    """Count non-blank values of a column: the categories in order (zeros too), then others."""
    found = dict(frame.drop_nulls(column).group_by(column).len().iter_rows())
    others = sorted(k for k in found if k not in categories)
    return {k: int(found.get(k, 0)) for k in (*categories, *others)}


def _count_figure(
    fid: str, base: pl.DataFrame, column: str, categories: tuple[str, ...]
) -> ContextFigure:
    return ContextFigure(
        fid,
        counts=_counts(base, column, categories),
        rows=appendix(base, (*ENGAGEMENT_COLUMNS, column)),
    )


def _share_figure(
    fid: str, base: pl.DataFrame, condition: pl.Expr, columns: tuple[str, ...]
) -> ContextFigure:
    flagged = base.with_columns(condition.fill_null(False).alias("counted"))
    numerator = int(flagged["counted"].sum())
    value = numerator / base.height if base.height else None
    rows = appendix(flagged, (*ENGAGEMENT_COLUMNS, *columns, "counted"))
    return ContextFigure(fid, value=value, numerator=numerator, denominator=base.height, rows=rows)


def _investment(base: pl.DataFrame) -> ContextFigure:
    counts = _counts(base, "investment_advice", vocabulary("investment_advice")[0])
    advised = sum(counts.values())
    changing = pl.col("investment_advice").is_in(("muuta", "älä toteuta")).alias("counted")
    rows = base.filter(pl.col("investment_advice").is_not_null()).with_columns(changing)
    changed = int(rows["counted"].sum())
    return ContextFigure(
        "investment_advice",
        counts=counts,
        value=changed / advised if advised else None,
        numerator=changed,
        denominator=advised,
        rows=appendix(rows, (*ENGAGEMENT_COLUMNS, "investment_advice", "counted")),
    )


# The figures shown with the previous half-year beside them.
TRENDED = (
    "strategic_influence_share",
    "starting_phase_share",
    "cross_administrative_share",
    "investment_advice",
    "repeat_customers",
    "repeat_branches",
    "concept_progression",
)


def context_figures(
    engagements: pl.DataFrame, as_of: date, settings: Settings, unrecorded: tuple[str, ...] = ()
) -> dict[str, ContextFigure]:
    """Compute the context figures, the trended ones with the previous half-year's beside them.

    `unrecorded`: the optional register columns the sheet lacks; a figure resting only on
    such columns is "not recorded" (no counts, no value, no rows), never zero.
    """
    now = _recorded(_figures(engagements, as_of, settings), unrecorded, settings)
    before = previous_period(period_containing(as_of))
    earlier = _recorded(_figures(engagements, parse_period(before), settings), unrecorded, settings)
    then = reached(engagements, parse_period(before), settings)
    for fid, sizes in (
        ("repeat_customers", engagements_per_customer(then)),
        ("repeat_branches", engagements_per_branch(then)),
    ):
        earlier[fid] = with_earlier_counts(earlier[fid], sizes, now[fid].counts)
    return {
        k: replace(f, previous=replace(earlier[k], rows=pl.DataFrame()), previous_period=before)
        if k in TRENDED and k in earlier
        else f
        for k, f in now.items()
    }


def rests_on(figure_id: str, settings: Settings) -> tuple[str, ...]:
    """The optional register columns a context figure rests on (none: it always is recorded)."""
    if figure_id == "strategic_influence_share":
        return settings.assumptions.strategic_influence_from
    return FIGURE_COLUMNS.get(figure_id, ())


def _recorded(
    figures: dict[str, ContextFigure], unrecorded: tuple[str, ...], settings: Settings
) -> dict[str, ContextFigure]:
    """Each figure whose columns are all missing from the sheet, made "not recorded"."""
    out = {}
    for fid, figure in figures.items():
        columns = rests_on(fid, settings)
        missing = tuple(c for c in columns if c in unrecorded)
        out[fid] = (
            ContextFigure(fid, unrecorded=missing) if columns and missing == columns else figure
        )
    log = out.get("deregulation_opportunities")
    if log is not None and log.recorded and "regulatory_passed_on" in unrecorded:
        out[log.id] = replace(log, partial=("regulatory_passed_on",))  # nobody can tell
    return out


_STRATEGIC = {
    "strategic_choices": pl.col("strategic_choices").fill_null(False),
    "influence_level": pl.col("influence_level")
    .is_in(("strateginen", "molemmat"))
    .fill_null(False),
}


def _figures(
    engagements: pl.DataFrame, as_of: date, settings: Settings
) -> dict[str, ContextFigure]:
    """Compute the context figures of DESIGN.md over the engagements reached by as_of."""
    base = reached(engagements, as_of, settings)
    # Strategic influence: any of the assumed columns says so; a blank counts as no.
    strategic = pl.any_horizontal(
        _STRATEGIC[c] for c in settings.assumptions.strategic_influence_from
    )
    figures = [
        _count_figure(
            "by_service_concept", base, "service_concept", vocabulary("service_concept")[0]
        ),
        _count_figure("by_priority", base, "priority", vocabulary("priority")[0]),
        _count_figure("by_branch", base, "branch", tuple(b.code for b in branches())),
        _count_figure(
            "by_support_area",
            base.explode("support_areas"),
            "support_areas",
            vocabulary("support_areas")[0],
        ),
        _share_figure(
            "strategic_influence_share", base, strategic, ("influence_level", "strategic_choices")
        ),
        _share_figure(
            "starting_phase_share", base, pl.col("project_stage") == "alkava", ("project_stage",)
        ),
        _share_figure(
            "cross_administrative_share",
            base,
            pl.col("cross_administrative"),
            ("cross_administrative",),
        ),
        _investment(base),
        deregulation_figure(base, as_of),
        repeat_customers(base),
        repeat_branches(base),
        concept_progression(base),
    ]
    return {f.id: f for f in figures}
