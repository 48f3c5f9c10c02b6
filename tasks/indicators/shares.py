"""The shares and means: effects described, life path and ecosystem, quick-engagement
satisfaction and the agency survey's green metrics."""

from __future__ import annotations

from datetime import date

import polars as pl

from schemas.datasets import QUICK_CONCEPTS
from schemas.results import IndicatorResult, Sample, Status, SurveyColours
from schemas.settings import Settings
from schemas.tables import Frames
from tasks.indicators.common import (
    ENGAGEMENT_COLUMNS,
    appendix,
    by_thresholds,
    filled,
    reached,
    share_status,
)
from tasks.indicators.progress import completed

EFFECTS = ("change_in_operations", "benefits", "method")


def _share(
    iid: str, base: pl.DataFrame, columns: tuple[str, ...], yellow: float
) -> IndicatorResult:
    flagged = base.with_columns(pl.all_horizontal(filled(c) for c in columns).alias("counted"))
    numerator, denominator = int(flagged["counted"].sum()), flagged.height
    return IndicatorResult(
        iid,
        numerator / denominator if denominator else None,
        share_status(numerator, denominator, yellow),
        target=1.0,
        numerator=numerator,
        denominator=denominator,
        rows=appendix(flagged, (*ENGAGEMENT_COLUMNS, *columns, "counted")),
    )


def effects_described_share(frames: Frames, as_of: date, settings: Settings) -> IndicatorResult:
    """Return the share of completed engagements with change, benefits and method all described."""
    return _share(
        "effects_described_share",
        completed(frames, as_of, settings),
        EFFECTS,
        settings.targets.share_yellow,
    )


def life_path_ecosystem_share(frames: Frames, as_of: date, settings: Settings) -> IndicatorResult:
    """Return the share of reached engagements with both life path and ecosystem filled."""
    return _share(
        "life_path_ecosystem_share",
        reached(frames.engagements, as_of, settings),
        ("life_path", "ecosystem"),
        settings.targets.share_yellow,
    )


def quick_satisfaction_mean(frames: Frames, as_of: date, settings: Settings) -> IndicatorResult:
    """Return the mean value rating of quick-engagement feedback answered by as_of, with n."""
    quick = frames.engagements.filter(pl.col("service_concept").is_in(QUICK_CONCEPTS))
    used = frames.feedback.filter(
        (pl.col("answered_on") <= as_of)
        & pl.col("value_rating").is_not_null()
        & pl.col("engagement_id").is_in(quick["engagement_id"].drop_nulls().implode())
    )
    mean = float(used["value_rating"].mean()) if used.height else None  # type: ignore[arg-type]
    floors = settings.targets.quick_satisfaction
    rows = appendix(used, ("response_id", "engagement_id", "answered_on", "value_rating"))
    status = by_thresholds(mean, floors.green, floors.yellow)
    return IndicatorResult(
        "quick_satisfaction_mean",
        mean,
        status,
        target=floors.green,
        detail=Sample(used.height),
        rows=rows,
    )


def _survey_round(frames: Frames, as_of: date) -> tuple[str | None, pl.DataFrame]:
    dated = frames.agency_survey.with_columns(
        pl.col("round").cast(pl.String).str.strip_chars()
    ).filter((pl.col("answered_on") <= as_of) & filled("round"))
    if dated.is_empty():
        return None, dated
    latest = (
        dated.group_by("round")
        .agg(pl.col("answered_on").max())
        .sort(["answered_on", "round"], descending=True)
        .item(0, "round")
    )
    return latest, dated.filter(pl.col("round") == latest)


def agency_survey_green_share(frames: Frames, as_of: date, settings: Settings) -> IndicatorResult:
    """Return the share of survey metrics green in the latest round answered by as_of."""
    metrics = [
        m
        for m in frames.survey_metrics or settings.sources.agency_survey.metrics
        if m in frames.agency_survey.columns
    ]
    rnd, answers = _survey_round(frames, as_of)
    row = (
        answers.select(pl.col(m).cast(pl.Float64).mean() for m in metrics).row(0, named=True)
        if metrics and answers.height
        else dict.fromkeys(metrics)
    )
    colours = {
        m: by_thresholds(
            row[m],
            settings.agency_survey.threshold(m).green,
            settings.agency_survey.threshold(m).yellow,
        )
        for m in metrics
    }
    counted = [c for c in colours.values() if c != Status.GREY]
    green = sum(c == Status.GREEN for c in counted)
    status = (
        Status.GREY
        if not counted
        else Status.GREEN
        if green == len(counted)
        else Status.RED
        if Status.RED in counted
        else Status.YELLOW
    )
    return IndicatorResult(
        "agency_survey_green_share",
        green / len(counted) if counted else None,
        status,
        target=1.0,
        numerator=green,
        denominator=len(counted),
        detail=SurveyColours(rnd, colours, row),
        rows=appendix(answers, ("response_id", "round", "answered_on", *metrics)),
    )
