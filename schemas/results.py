"""Indicator results: the typed values every later stage (history, report, JSON) reads.

Each indicator has a stable id (`IndicatorId`, the JSON key) and a spec (`SPECS`): how its
value reads (a count, a share or a mean), whether it is a goal with a target by the deadline
(its yellow reads "on schedule"), which detail it carries beside its value and where its
target comes from in the settings. `tasks.indicators` binds each spec to the function that
computes it; `detail_from_json()` reads a stored detail back as its indicator's detail type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

import polars as pl

from schemas.details import (
    Change,
    Coverage,
    Detail,
    PrinciplesMatrix,
    Sample,
    Status,
    SurveyColours,
    Trajectory,
)
from schemas.jsontypes import Json


class IndicatorId(StrEnum):
    """The seven indicators of DESIGN.md, in its order."""

    ENGAGEMENTS_COMPLETED = "engagements_completed"
    EFFECTS_DESCRIBED_SHARE = "effects_described_share"
    BRANCHES_COVERED = "branches_covered"
    LIFE_PATH_ECOSYSTEM_SHARE = "life_path_ecosystem_share"
    QUICK_SATISFACTION_MEAN = "quick_satisfaction_mean"
    AGENCY_SURVEY_GREEN_SHARE = "agency_survey_green_share"
    PRINCIPLES_ASSESSED_SHARE = "principles_assessed_share"


class Reading(StrEnum):
    """How an indicator's value and target read: 38, 97 % or 3,96."""

    COUNT = "count"
    SHARE = "share"
    MEAN = "mean"


@dataclass(frozen=True)
class IndicatorSpec:
    """What an indicator is, as the report, the appendix and history need to know it."""

    id: IndicatorId
    reads: Reading
    detail: type[Detail] | None = None  # the detail its results carry (None: none)
    trajectory: bool = False  # a count with a target by the deadline: yellow is "on schedule"
    target_key: str | None = None  # dotted settings key of its target, e.g. "targets.branches"
    goals: tuple[int, ...] = ()  # the action plan's goals (1-5) this measure serves


# The action plan's five goals; which of them each measure serves is the plan's own mapping
# (DESIGN.md "Which goals each measure serves"), declared once here in `SPECS`.
GOALS = (1, 2, 3, 4, 5)


# Keyed by the id's text as well: an `IndicatorId` is a str, and history and JSON give plain text.
SPECS: dict[str, IndicatorSpec] = {
    spec.id: spec
    for spec in (
        IndicatorSpec(
            IndicatorId.ENGAGEMENTS_COMPLETED,
            Reading.COUNT,
            Trajectory,
            trajectory=True,
            target_key="targets.engagements_completed",
            goals=(1, 4),
        ),
        IndicatorSpec(IndicatorId.EFFECTS_DESCRIBED_SHARE, Reading.SHARE, goals=(1, 4)),
        IndicatorSpec(
            IndicatorId.BRANCHES_COVERED,
            Reading.COUNT,
            Coverage,
            trajectory=True,
            target_key="targets.branches",
            goals=(1, 2, 4),
        ),
        IndicatorSpec(IndicatorId.LIFE_PATH_ECOSYSTEM_SHARE, Reading.SHARE, goals=(1, 3, 4)),
        IndicatorSpec(
            IndicatorId.QUICK_SATISFACTION_MEAN,
            Reading.MEAN,
            Sample,
            target_key="targets.quick_satisfaction.green",
            goals=(1, 2, 3),
        ),
        IndicatorSpec(
            IndicatorId.AGENCY_SURVEY_GREEN_SHARE, Reading.SHARE, SurveyColours, goals=(1, 2, 3)
        ),
        IndicatorSpec(
            IndicatorId.PRINCIPLES_ASSESSED_SHARE, Reading.SHARE, PrinciplesMatrix, goals=(5,)
        ),
    )
}


def indicator_spec(indicator_id: str) -> IndicatorSpec:
    """Return the spec of a registered indicator (KeyError naming an unknown id)."""
    try:
        return SPECS[indicator_id]
    except KeyError:
        raise KeyError(f"indicator {indicator_id!r} is not registered in SPECS") from None


def detail_from_json(indicator_id: str, data: Json) -> Detail | None:
    """Read a stored detail back as its indicator's detail type; None for an empty object.

    History stores the detail's `to_json()` without a type tag: the indicator says what it is.
    An id no longer registered reads back without its detail.
    """
    spec = SPECS.get(indicator_id)
    if spec is None or spec.detail is None or not data:
        return None
    return spec.detail.from_json(data)


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator as of a date: value, target, status, its detail and the rows behind it."""

    id: IndicatorId
    value: float | int | None
    status: Status
    target: float | int | None = None
    numerator: int | None = None
    denominator: int | None = None
    detail: Detail | None = None
    rows: pl.DataFrame = field(default_factory=pl.DataFrame, compare=False, repr=False)

    def to_json(self) -> Json:
        """The DESIGN.md JSON object of this indicator."""
        out: Json = {"value": self.value, "status": str(self.status)}
        spec = SPECS.get(self.id)
        if spec is not None and spec.goals:  # the action plan's goals this measure serves
            out["goals"] = list(spec.goals)
        if self.target is not None:
            out["target"] = self.target
        if self.numerator is not None:
            out["numerator"] = self.numerator
            out["denominator"] = self.denominator
        if self.detail is not None:
            out.update(self.detail.to_json())
        return out


@dataclass(frozen=True)
class ContextFigure:
    """A figure shown beside the indicators, without a target (counts by category, shares)."""

    id: str
    counts: dict[str, int] = field(default_factory=dict)  # category -> count, report order
    value: float | None = None  # for shares
    numerator: int | None = None
    denominator: int | None = None
    rows: pl.DataFrame = field(default_factory=pl.DataFrame, compare=False, repr=False)
    previous: ContextFigure | None = None  # the same figure a half-year earlier (for its trend)
    previous_period: str | None = None  # the half-year `previous` is of, e.g. "2017H2"
    # The optional register columns it rests on that the sheet lacks: "not recorded", never 0.
    unrecorded: tuple[str, ...] = ()
    partial: tuple[str, ...] = ()  # optional columns it can do without, lacking (e.g. Välitetty)

    @property
    def recorded(self) -> bool:
        return not self.unrecorded

    def to_json(self) -> Json:
        """The figure as `d9 indicators --format json` writes it (null when not recorded)."""
        out: Json = {"value": self.value, "recorded": self.recorded}
        if self.numerator is not None:
            out["numerator"] = self.numerator
            out["denominator"] = self.denominator
        if self.counts:
            out["counts"] = dict(self.counts)
        if self.unrecorded:
            out["missing_columns"] = list(self.unrecorded)
        return out


# The optional register columns each context figure rests on (DESIGN.md "Not recorded is not
# zero"): when the register has none of them, the figure is not recorded. Strategic influence
# rests on the columns `assumptions.strategic_influence_from` names.
FIGURE_COLUMNS: dict[str, tuple[str, ...]] = {
    "by_priority": ("priority",),
    "by_support_area": ("support_areas",),
    "strategic_influence_share": ("strategic_choices", "influence_level"),
    "starting_phase_share": ("project_stage",),
    "cross_administrative_share": ("cross_administrative",),
    "investment_advice": ("investment_advice",),
    "deregulation_opportunities": ("regulatory_obstacles",),
}
# Every optional column a figure rests on; `d9 check` warns once for each the register lacks.
RECORDED_COLUMNS: tuple[str, ...] = (
    *dict.fromkeys(c for columns in FIGURE_COLUMNS.values() for c in columns),
    "regulatory_passed_on",  # without it nobody can tell which obstacles were passed on
)


@dataclass(frozen=True)
class Indicators:
    """Everything computed for one as-of date; `results` keyed by indicator id, in spec order."""

    as_of: date
    period: str | None  # "2018H1" when the as-of date is a half-year end
    results: dict[str, IndicatorResult]
    context: dict[str, ContextFigure] = field(default_factory=dict)
    fingerprint: str = ""  # hash of the input data
    # Rows behind parts of a figure that are not its own rows, for the appendix (not stored):
    # e.g. "principles_previous", the previous half-year's cells behind the change arrows.
    evidence: dict[str, pl.DataFrame] = field(default_factory=dict, compare=False, repr=False)
    unrecorded: tuple[str, ...] = ()  # optional register columns the sheet lacks (not stored)

    def to_json(self) -> Json:
        return {
            "as_of": self.as_of.isoformat(),
            "period": self.period,
            "indicators": {k: r.to_json() for k, r in self.results.items()},
            "context": {k: f.to_json() for k, f in self.context.items()},
        }


__all__ = [
    "GOALS",
    "SPECS",
    "Change",
    "FIGURE_COLUMNS",
    "RECORDED_COLUMNS",
    "ContextFigure",
    "Coverage",
    "Detail",
    "IndicatorId",
    "IndicatorResult",
    "IndicatorSpec",
    "Indicators",
    "PrinciplesMatrix",
    "Reading",
    "Sample",
    "Status",
    "SurveyColours",
    "Trajectory",
    "detail_from_json",
    "indicator_spec",
]
