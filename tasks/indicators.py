"""The seven indicators of DESIGN.md: pure functions `(frames, as_of, settings) -> IndicatorResult`.

Choices where DESIGN.md leaves room (each tested in tests/tasks/test_indicators.py):

- Ties at a threshold take the better colour (`>=`). A share is green only when every counted
  item qualifies (numerator == denominator); a share with denominator 0 is grey, value None.
- Counts (`engagements_completed`, `branches_covered`) are grey only when the register is empty;
  otherwise 0 is a real value. Their yellow rule is value >= target x elapsed share, computed
  exactly (a Fraction of days), so a value exactly on the trajectory is yellow.
- `engagements_completed` counts status toteutettu with programme start <= end_date <= as_of
  (cumulative from the programme start). Its `extra` holds the trajectory: `elapsed_share`,
  `required_per_month` (remaining / months left to the deadline; 0.0 when reached, None past the
  deadline), `current_per_month` (value / months since the start, mean months of 365.25/12
  days) and `projected_date` (ISO; as_of + ceil(remaining x elapsed days / value) days; the
  end_date of the target-th completion when already reached; None when the pace is 0).
- `branches_covered` and `life_path_ecosystem_share` use the reached engagements of
  `tasks.context.reached` (status käynnissä/toteutettu, start_date <= as_of); statuses are
  taken as they are now, so one completed after as_of still counts as reached.
- `quick_satisfaction_mean`: feedback with a rating (blank = no answer, not counted in n),
  answered_on <= as_of, whose engagement_id is a Herätys or Kokeilu engagement of the register.
- `agency_survey_green_share`: of the answers with answered_on <= as_of, the latest round (the
  one with the latest answer; ties: the greater round text). Per metric mean -> colour with
  `settings.agency_survey.threshold(metric)`; a metric without answers is grey and not counted.
  value = green metrics / counted metrics; green when all are green, yellow when none is red.
- `principles_assessed_share` uses the half-year containing as_of. Its key projects are those
  with a row in that half-year, each with all nine principles (a missing row is a blank cell);
  duplicate rows of a cell: the last non-blank one wins. Assessed = toteutuu / osittain /
  ei toteudu. Change per cell vs the previous half-year: None when the cell is not assessed
  now; "new" when it was not assessed then (project absent, blank or ei arvioitavissa);
  otherwise better / worse / same on ei toteudu < osittain < toteutuu.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from datetime import date, timedelta
from fractions import Fraction

import polars as pl

from d9.settings import Settings
from schemas.reference import branches
from schemas.results import IndicatorResult, Indicators, Status
from schemas.tables import Frames
from tasks.context import (
    ENGAGEMENT_COLUMNS,
    appendix,
    by_thresholds,
    context_figures,
    filled,
    reached,
    share_status,
)
from tasks.periods import months_between, period_containing, period_of, previous_period

QUICK_CONCEPTS = ("Herätys", "Kokeilu")
EFFECTS = ("change_in_operations", "benefits", "method")
RANK = {"ei toteudu": 0, "osittain": 1, "toteutuu": 2}
PRINCIPLES = tuple(str(n) for n in range(1, 10))

Indicator = Callable[[Frames, date, Settings], IndicatorResult]


def _elapsed(as_of: date, settings: Settings) -> Fraction:
    start, deadline = settings.programme.start, settings.programme.deadline
    share = Fraction((as_of - start).days, (deadline - start).days)
    return min(Fraction(1), max(Fraction(0), share))


def _progress(value: int, target: int, as_of: date, settings: Settings) -> Status:
    if value >= target:
        return Status.GREEN
    return Status.YELLOW if value >= target * _elapsed(as_of, settings) else Status.RED


def _completed(frames: Frames, as_of: date, settings: Settings) -> pl.DataFrame:
    return frames.engagements.filter(
        (pl.col("status") == "toteutettu")
        & pl.col("end_date").is_between(settings.programme.start, as_of)
    ).sort("end_date", maintain_order=True)


def _trajectory(
    done: pl.DataFrame, target: int, as_of: date, settings: Settings
) -> dict[str, object]:
    value, start, deadline = done.height, settings.programme.start, settings.programme.deadline
    elapsed_days = (as_of - start).days
    current = value / months_between(start, as_of) if elapsed_days > 0 else 0.0
    if value >= target:
        required: float | None = 0.0
        projected: date | None = done["end_date"][target - 1]
    else:
        required = (target - value) / months_between(as_of, deadline) if as_of < deadline else None
        projected = (
            as_of + timedelta(days=math.ceil((target - value) * elapsed_days / value))
            if value and elapsed_days > 0
            else None
        )
    return {
        "elapsed_share": float(_elapsed(as_of, settings)),
        "required_per_month": required,
        "current_per_month": current,
        "projected_date": projected.isoformat() if projected else None,
    }


def engagements_completed(frames: Frames, as_of: date, settings: Settings) -> IndicatorResult:
    """Count engagements completed (toteutettu) from the programme start up to as_of."""
    done, target = _completed(frames, as_of, settings), settings.targets.engagements_completed
    status = (
        Status.GREY
        if frames.engagements.is_empty()
        else _progress(done.height, target, as_of, settings)
    )
    return IndicatorResult(
        "engagements_completed",
        done.height,
        status,
        target=target,
        extra=_trajectory(done, target, as_of, settings),
        rows=appendix(done, ENGAGEMENT_COLUMNS),
    )


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
        _completed(frames, as_of, settings),
        EFFECTS,
        settings.targets.share_yellow,
    )


def branches_covered(frames: Frames, as_of: date, settings: Settings) -> IndicatorResult:
    """Count the distinct branches reached by as_of; list the missing ones in official order."""
    base = reached(frames.engagements, as_of, settings)
    codes = tuple(b.code for b in branches())
    covered = set(base["branch"].drop_nulls().unique().to_list()) & set(codes)
    target = settings.targets.branches
    status = (
        Status.GREY
        if frames.engagements.is_empty()
        else _progress(len(covered), target, as_of, settings)
    )
    return IndicatorResult(
        "branches_covered",
        len(covered),
        status,
        target=target,
        extra={"missing": [c for c in codes if c not in covered]},
        rows=appendix(base, ENGAGEMENT_COLUMNS),
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
        extra={"n": used.height},
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
        extra={"round": rnd, "colours": {m: str(c) for m, c in colours.items()}, "means": row},
        rows=appendix(answers, ("response_id", "round", "answered_on", *metrics)),
    )


def _in_period(period: str) -> pl.Expr:
    return pl.col("period").str.strip_chars().str.to_uppercase() == period


def _cells(principles: pl.DataFrame, period: str) -> pl.DataFrame:
    """Return one row per (key project, principle) of a half-year, the last non-blank assessment."""
    return (
        principles.with_columns(pl.col("key_project").str.strip_chars())
        .filter(_in_period(period) & filled("key_project"))
        .group_by("key_project", "principle", maintain_order=True)
        .agg(pl.col("assessment").drop_nulls().last())
    )


def _matrix(cells: pl.DataFrame) -> dict[str, dict[str, str | None]]:
    triples = cells.select("key_project", "principle", "assessment").iter_rows()
    found = {(k, p): a for k, p, a in triples}
    projects = cells["key_project"].unique(maintain_order=True).to_list()
    return {k: {p: found.get((k, p)) for p in PRINCIPLES} for k in projects}


def _change(now: str | None, before: str | None) -> str | None:
    if now not in RANK:
        return None
    if before not in RANK:
        return "new"
    step = RANK[now] - RANK[before]  # type: ignore[index]
    return "better" if step > 0 else "worse" if step < 0 else "same"


def principles_assessed_share(frames: Frames, as_of: date, settings: Settings) -> IndicatorResult:
    """Return the share of key project x principle cells assessed in the half-year of as_of."""
    period = period_containing(as_of)
    matrix = _matrix(_cells(frames.principles, period))
    before = _matrix(_cells(frames.principles, previous_period(period)))
    change = {
        k: {p: _change(a, before.get(k, {}).get(p)) for p, a in cells.items()}
        for k, cells in matrix.items()
    }
    numerator = sum(a in RANK for cells in matrix.values() for a in cells.values())
    denominator = len(matrix) * len(PRINCIPLES)
    in_period = frames.principles.filter(_in_period(period))
    rows = appendix(
        in_period, ("period", "key_project", "principle", "assessment", "notes", "_cell")
    )
    return IndicatorResult(
        "principles_assessed_share",
        numerator / denominator if denominator else None,
        share_status(numerator, denominator, settings.targets.principles_yellow),
        target=1.0,
        numerator=numerator,
        denominator=denominator,
        extra={"period": period, "matrix": matrix, "change": change},
        rows=rows,
    )


INDICATORS: dict[str, Indicator] = {
    "engagements_completed": engagements_completed,
    "effects_described_share": effects_described_share,
    "branches_covered": branches_covered,
    "life_path_ecosystem_share": life_path_ecosystem_share,
    "quick_satisfaction_mean": quick_satisfaction_mean,
    "agency_survey_green_share": agency_survey_green_share,
    "principles_assessed_share": principles_assessed_share,
}


def fingerprint(frames: Frames) -> str:
    """Return a hash of the input data: same frames, same text (stable within a Polars version)."""
    digest = hashlib.sha256(repr(frames.survey_metrics).encode())
    for frame in (frames.engagements, frames.feedback, frames.agency_survey, frames.principles):
        digest.update(repr(sorted(frame.schema.items())).encode())
        if frame.width and frame.height:
            ordered = frame.select(sorted(frame.columns))
            digest.update(ordered.hash_rows(seed=0).to_numpy().tobytes())
    return digest.hexdigest()[:32]


def compute_indicators(frames: Frames, as_of: date, settings: Settings) -> Indicators:
    """Compute every indicator (DESIGN.md order) and the context figures as of a date."""
    results = {iid: fn(frames, as_of, settings) for iid, fn in INDICATORS.items()}
    return Indicators(
        as_of,
        period_of(as_of),
        results,
        context_figures(frames.engagements, as_of, settings),
        fingerprint(frames),
    )
