"""The two counts with a target by the deadline: engagements completed and branches covered."""

from __future__ import annotations

import math
from datetime import date, timedelta
from fractions import Fraction

import polars as pl

from schemas.periods import elapsed_share, months_between
from schemas.reference import branches
from schemas.results import SPECS, Coverage, IndicatorId, IndicatorResult, Status, Trajectory
from schemas.settings import Settings
from schemas.tables import Frames
from tasks.indicators.common import ENGAGEMENT_COLUMNS, appendix, reached, target_of


def _elapsed(as_of: date, settings: Settings) -> Fraction:
    return elapsed_share(as_of, settings.programme.start, settings.programme.deadline)


def _progress(value: int, target: int, as_of: date, settings: Settings) -> Status:
    """Green once reached; else yellow while on the assumed trajectory (`targets.trajectory`)."""
    if value >= target:
        return Status.GREEN
    if settings.assumptions.trajectory == "none":
        return Status.RED
    return Status.YELLOW if value >= target * _elapsed(as_of, settings) else Status.RED


def completed(frames: Frames, as_of: date, settings: Settings) -> pl.DataFrame:
    """Return the engagements completed from the programme start up to as_of, by end date."""
    return frames.engagements.filter(
        (pl.col("status") == "toteutettu")
        & pl.col("end_date").is_between(settings.programme.start, as_of)
    ).sort("end_date", maintain_order=True)


def _trajectory(done: pl.DataFrame, target: int, as_of: date, settings: Settings) -> Trajectory:
    value, start, deadline = done.height, settings.programme.start, settings.programme.deadline
    elapsed_days = (as_of - start).days
    current = value / months_between(start, as_of) if elapsed_days > 0 else 0.0
    elapsed = float(_elapsed(as_of, settings))
    if value >= target:  # reached: when, in the past tense; no pace still needed, no forecast
        return Trajectory(elapsed, current, None, None, done["end_date"][target - 1])
    if as_of >= deadline:  # missed: nothing left to forecast
        return Trajectory(elapsed, current, None, None)
    required = (target - value) / months_between(as_of, deadline)
    projected = (
        as_of + timedelta(days=math.ceil((target - value) * elapsed_days / value))
        if value and elapsed_days > 0
        else None
    )
    return Trajectory(elapsed, current, required, projected)


def engagements_completed(frames: Frames, as_of: date, settings: Settings) -> IndicatorResult:
    """Count engagements completed (toteutettu) from the programme start up to as_of."""
    iid = IndicatorId.ENGAGEMENTS_COMPLETED
    done, target = completed(frames, as_of, settings), int(target_of(SPECS[iid], settings))
    status = (
        Status.GREY
        if frames.engagements.is_empty()
        else _progress(done.height, target, as_of, settings)
    )
    return IndicatorResult(
        iid,
        done.height,
        status,
        target=target,
        detail=_trajectory(done, target, as_of, settings),
        rows=appendix(done, ENGAGEMENT_COLUMNS),
    )


def branches_covered(frames: Frames, as_of: date, settings: Settings) -> IndicatorResult:
    """Count the distinct branches reached by as_of; list the missing ones in official order."""
    base = reached(frames.engagements, as_of, settings)
    codes = tuple(b.code for b in branches())
    covered = set(base["branch"].drop_nulls().unique().to_list()) & set(codes)
    target = int(target_of(SPECS[IndicatorId.BRANCHES_COVERED], settings))
    status = (
        Status.GREY
        if frames.engagements.is_empty()
        else _progress(len(covered), target, as_of, settings)
    )
    return IndicatorResult(
        IndicatorId.BRANCHES_COVERED,
        len(covered),
        status,
        target=target,
        detail=Coverage(tuple(c for c in codes if c not in covered), _reached_on(base, target)),
        rows=appendix(base, ENGAGEMENT_COLUMNS),
    )


def _reached_on(base: pl.DataFrame, target: int) -> date | None:
    """The day the target-th branch was first reached (its first engagement's start), if it was."""
    firsts = (
        base.filter(pl.col("branch").is_in([b.code for b in branches()]))
        .group_by("branch")
        .agg(pl.col("start_date").min())
        .sort("start_date")["start_date"]
    )
    return firsts[target - 1] if firsts.len() >= target else None
