"""The shares and means: effects described, life path and ecosystem, quick-engagement
satisfaction and the agency survey's green metrics."""

from __future__ import annotations

from datetime import date

import polars as pl

from schemas.datasets import QUICK_CONCEPTS
from schemas.results import SPECS, IndicatorId, IndicatorResult, Sample, Status, SurveyColours
from schemas.settings import Settings
from schemas.survey import latest_round
from schemas.tables import Frames
from tasks.indicators.common import (
    ENGAGEMENT_COLUMNS,
    appendix,
    by_thresholds,
    filled,
    reached,
    share_status,
    target_of,
)
from tasks.indicators.progress import completed

EFFECTS = ("change_in_operations", "benefits", "method")


def _share(
    iid: IndicatorId, base: pl.DataFrame, columns: tuple[str, ...], yellow: float
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
        IndicatorId.EFFECTS_DESCRIBED_SHARE,
        completed(frames, as_of, settings),
        EFFECTS,
        settings.targets.share_yellow,
    )


def life_path_ecosystem_share(frames: Frames, as_of: date, settings: Settings) -> IndicatorResult:
    """Return the share of reached engagements with both life path and ecosystem filled."""
    return _share(
        IndicatorId.LIFE_PATH_ECOSYSTEM_SHARE,
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
    iid = IndicatorId.QUICK_SATISFACTION_MEAN
    green = float(target_of(SPECS[iid], settings))
    rows = appendix(used, ("response_id", "engagement_id", "answered_on", "value_rating"))
    status = by_thresholds(mean, green, settings.targets.quick_satisfaction.yellow)
    return IndicatorResult(
        iid,
        mean,
        status,
        target=green,
        detail=Sample(used.height),
        rows=rows,
    )


def _survey_status(colours: list[Status]) -> Status:
    """Green when every metric is green, yellow when none is red; grey when none has answers."""
    if all(c == Status.GREY for c in colours):
        return Status.GREY
    if all(c == Status.GREEN for c in colours):
        return Status.GREEN
    return Status.RED if Status.RED in colours else Status.YELLOW


def agency_survey_green_share(frames: Frames, as_of: date, settings: Settings) -> IndicatorResult:
    """Return the share of the configured survey metrics green in the latest round by as_of."""
    metrics = tuple(frames.survey_metrics or settings.sources.agency_survey.metrics)
    rnd, answers = latest_round(frames.agency_survey, as_of)
    present = [m for m in metrics if m in answers.columns]
    means = answers.select(pl.col(m).cast(pl.Float64).mean() for m in present)
    row = means.row(0, named=True) if present and answers.height else {}
    thresholds = {m: settings.agency_survey.threshold(m) for m in metrics}
    colours = {
        m: by_thresholds(row.get(m), thresholds[m].green, thresholds[m].yellow) for m in metrics
    }
    status = _survey_status(list(colours.values()))
    green = sum(c == Status.GREEN for c in colours.values())
    return IndicatorResult(
        IndicatorId.AGENCY_SURVEY_GREEN_SHARE,
        None if status == Status.GREY else green / len(metrics),
        status,
        target=1.0,
        numerator=green,
        denominator=len(metrics),
        detail=SurveyColours(rnd, colours, {m: row.get(m) for m in metrics}),
        rows=appendix(answers, ("response_id", "round", "answered_on", *present)),
    )
