"""What an indicator carries beside its value: its status and one small typed detail.

The details: the trajectory of a count with a deadline, the branches still missing, the number
of answers behind a mean, the survey's per-metric colours, the key project x principle matrix.
Each writes its JSON with `to_json()` (the DESIGN.md shape, stored in history without a type
tag) and reads it back with `from_json()`; which detail an indicator has is its spec's choice
(`schemas.results.IndicatorSpec.detail`), never guessed from the keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import cast

from schemas.jsontypes import Json, JsonValue


class Status(StrEnum):
    """A traffic light: the one colour type of figures, cards, tables and charts."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    GREY = "grey"  # no data


class Change(StrEnum):
    """How a principle's assessment moved since the previous half-year."""

    BETTER = "better"
    WORSE = "worse"
    SAME = "same"
    NEW = "new"  # not assessed then


@dataclass(frozen=True)
class Trajectory:
    """Where a count with a target by the deadline stands on its way there."""

    elapsed_share: float  # of programme time, clipped to [0, 1]
    current_per_month: float  # pace so far
    required_per_month: float | None  # pace still needed; None once reached or past the deadline
    projected_date: date | None  # when the target will be reached at the current pace (None:
    # never at this pace, already reached, or past the deadline: no forecast then)
    reached_on: date | None = None  # the day of the target-th completion, once reached

    def to_json(self) -> Json:
        out: Json = {
            "elapsed_share": self.elapsed_share,
            "required_per_month": self.required_per_month,
            "current_per_month": self.current_per_month,
            "projected_date": _iso(self.projected_date),
        }
        if self.reached_on is not None:  # only once reached: earlier snapshots keep their shape
            out["reached_on"] = _iso(self.reached_on)
        return out

    @classmethod
    def from_json(cls, data: Json) -> Trajectory:
        return cls(
            cast(float, data["elapsed_share"]),
            cast(float, data["current_per_month"]),
            cast(float | None, data["required_per_month"]),
            _day(data.get("projected_date")),
            _day(data.get("reached_on")),
        )


@dataclass(frozen=True)
class Coverage:
    """The branches not reached yet, in official order."""

    missing: tuple[str, ...]
    reached_on: date | None = None  # the start of the engagement that reached the last branch

    def to_json(self) -> Json:
        out: Json = {"missing": list(self.missing)}
        if self.reached_on is not None:
            out["reached_on"] = _iso(self.reached_on)
        return out

    @classmethod
    def from_json(cls, data: Json) -> Coverage:
        return cls(tuple(cast(list[str], data["missing"])), _day(data.get("reached_on")))


@dataclass(frozen=True)
class Sample:
    """How many answers a mean stands on."""

    n: int

    def to_json(self) -> Json:
        return {"n": self.n}

    @classmethod
    def from_json(cls, data: Json) -> Sample:
        return cls(int(cast(int, data["n"])))


@dataclass(frozen=True)
class SurveyColours:
    """The agency survey round used, and each configured metric's mean and colour."""

    round: str | None
    colours: Mapping[str, Status]
    means: Mapping[str, float | None]

    def to_json(self) -> Json:
        return {
            "round": self.round,
            "colours": {m: str(c) for m, c in self.colours.items()},
            "means": {m: v for m, v in self.means.items()},
        }

    @classmethod
    def from_json(cls, data: Json) -> SurveyColours:
        colours = cast(dict[str, str], data["colours"])
        means = cast(dict[str, float | None], data.get("means", {}))
        return cls(
            cast(str | None, data.get("round")), {m: Status(c) for m, c in colours.items()}, means
        )


Cells = Mapping[str, Mapping[str, str | None]]  # key project -> principle "1".."9" -> assessment
Changes = Mapping[str, Mapping[str, Change | None]]  # key project -> principle -> change


@dataclass(frozen=True)
class PrinciplesMatrix:
    """A half-year's key project x principle assessments, and each cell's change since the last."""

    period: str
    matrix: Cells  # assessment (None: not assessed)
    change: Changes  # None: not assessed now
    left_out: tuple[str, ...] = ()  # key projects of the previous half-year without rows now

    def to_json(self) -> Json:
        return {
            "period": self.period,
            "matrix": _nested(self.matrix),
            "change": _nested(self.change),
            "left_out": list(self.left_out),
        }

    @classmethod
    def from_json(cls, data: Json) -> PrinciplesMatrix:
        change = cast(dict[str, dict[str, str | None]], data.get("change", {}))
        return cls(
            cast(str, data["period"]),
            cast(dict[str, dict[str, str | None]], data["matrix"]),
            {k: {p: _change(c) for p, c in cells.items()} for k, cells in change.items()},
            tuple(cast(list[str], data.get("left_out", []))),
        )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(text: JsonValue) -> date | None:
    return date.fromisoformat(text) if isinstance(text, str) and text else None


def _nested(cells: Mapping[str, Mapping[str, str | None]]) -> dict[str, JsonValue]:
    return {
        k: {p: None if v is None else str(v) for p, v in row.items()} for k, row in cells.items()
    }


def _change(text: str | None) -> Change | None:
    return None if text is None else Change(text)


Detail = Trajectory | Coverage | Sample | SurveyColours | PrinciplesMatrix
