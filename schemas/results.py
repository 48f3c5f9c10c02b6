"""Indicator results: the typed values every later stage (history, report, JSON) reads.

Each indicator may carry one small typed detail beside its value: the trajectory of a count
with a deadline, the branches still missing, the number of answers behind a mean, the survey's
per-metric colours, the key project x principle matrix. `to_json()` gives the DESIGN.md shape;
`detail_from_json()` reads a stored detail back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

import polars as pl


class IndicatorId(StrEnum):
    """The stable ids of DESIGN.md's indicators (JSON keys, history, catalogue keys)."""

    ENGAGEMENTS_COMPLETED = "engagements_completed"
    EFFECTS_DESCRIBED_SHARE = "effects_described_share"
    BRANCHES_COVERED = "branches_covered"
    LIFE_PATH_ECOSYSTEM_SHARE = "life_path_ecosystem_share"
    QUICK_SATISFACTION_MEAN = "quick_satisfaction_mean"
    AGENCY_SURVEY_GREEN_SHARE = "agency_survey_green_share"
    PRINCIPLES_ASSESSED_SHARE = "principles_assessed_share"


class Status(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    GREY = "grey"  # no data


@dataclass(frozen=True)
class Trajectory:
    """Where a count with a target by the deadline stands on its way there."""

    elapsed_share: float  # of programme time, clipped to [0, 1]
    current_per_month: float  # pace so far
    required_per_month: float | None  # pace still needed; 0.0 when reached, None past the deadline
    projected_date: date | None  # when the target is (or was) reached at the current pace

    def to_json(self) -> dict[str, Any]:
        projected = self.projected_date.isoformat() if self.projected_date else None
        return {
            "elapsed_share": self.elapsed_share,
            "required_per_month": self.required_per_month,
            "current_per_month": self.current_per_month,
            "projected_date": projected,
        }


@dataclass(frozen=True)
class Coverage:
    """The branches not reached yet, in official order."""

    missing: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"missing": list(self.missing)}


@dataclass(frozen=True)
class Sample:
    """How many answers a mean stands on."""

    n: int

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n}


@dataclass(frozen=True)
class SurveyColours:
    """The agency survey round used, and each configured metric's mean and colour."""

    round: str | None
    colours: Mapping[str, Status]
    means: Mapping[str, float | None]

    def to_json(self) -> dict[str, Any]:
        colours = {m: str(c) for m, c in self.colours.items()}
        return {"round": self.round, "colours": colours, "means": dict(self.means)}


Cells = Mapping[str, Mapping[str, str | None]]  # key project -> principle "1".."9" -> value


@dataclass(frozen=True)
class PrinciplesMatrix:
    """A half-year's key project x principle assessments, and each cell's change since the last."""

    period: str
    matrix: Cells  # assessment (None: not assessed)
    change: Cells  # "better" / "worse" / "same" / "new" (None: not assessed now)
    left_out: tuple[str, ...] = ()  # key projects of the previous half-year without rows now

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "matrix": self.matrix,
            "change": self.change,
            "left_out": list(self.left_out),
        }


Detail = Trajectory | Coverage | Sample | SurveyColours | PrinciplesMatrix


def detail_from_json(data: Mapping[str, Any]) -> Detail | None:
    """Read a detail back from its JSON (as stored in history); None for an empty object."""
    if "elapsed_share" in data:
        projected = data.get("projected_date")
        return Trajectory(
            data["elapsed_share"],
            data["current_per_month"],
            data["required_per_month"],
            date.fromisoformat(projected) if projected else None,
        )
    if "missing" in data:
        return Coverage(tuple(data["missing"]))
    if "n" in data:
        return Sample(int(data["n"]))
    if "colours" in data:
        colours = {m: Status(c) for m, c in data["colours"].items()}
        return SurveyColours(data.get("round"), colours, data.get("means", {}))
    if "matrix" in data:
        left_out = tuple(data.get("left_out", ()))
        return PrinciplesMatrix(data["period"], data["matrix"], data.get("change", {}), left_out)
    return None


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator as of a date: value, target, status, its detail and the rows behind it."""

    id: str
    value: float | int | None
    status: Status
    target: float | int | None = None
    numerator: int | None = None
    denominator: int | None = None
    detail: Detail | None = None
    rows: pl.DataFrame = field(default_factory=pl.DataFrame, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The DESIGN.md JSON object of this indicator."""
        out: dict[str, Any] = {"value": self.value, "status": str(self.status)}
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


@dataclass(frozen=True)
class Indicators:
    """Everything computed for one as-of date."""

    as_of: date
    period: str | None  # "2018H1" when the as-of date is a half-year end
    results: dict[str, IndicatorResult]
    context: dict[str, ContextFigure] = field(default_factory=dict)
    fingerprint: str = ""  # hash of the input data
    # Rows behind parts of a figure that are not its own rows, for the appendix (not stored):
    # e.g. "principles_previous", the previous half-year's cells behind the change arrows.
    evidence: dict[str, pl.DataFrame] = field(default_factory=dict, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "period": self.period,
            "indicators": {k: r.to_json() for k, r in self.results.items()},
        }
