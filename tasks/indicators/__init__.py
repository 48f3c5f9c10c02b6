"""Indicators: takes validated `Frames` and an as-of date, gives `Indicators` (schemas.results).

The seven indicators of DESIGN.md are pure functions `(frames, as_of, settings) ->
IndicatorResult` in `progress` (counts with a deadline), `shares` (shares and means) and
`principles`, each registered in `INDICATORS` with its spec (`schemas.results.SPECS`: how its
value reads, trajectory goal or not, its detail type, its target's settings key); `context`
computes the figures shown beside them; `common` holds what they share. README "Adding an
indicator" gives the recipe.

Choices where DESIGN.md leaves room (each tested in tests/tasks/test_indicators.py):

- At and after the deadline (as_of >= programme deadline) a goal is met or missed: every
  yellow becomes red (`common.at_deadline`, applied once here to every indicator).
- Ties at a threshold take the better colour (`>=`). A share is green only when every counted
  item qualifies (numerator == denominator); a share with denominator 0 is grey, value None.
- Counts (`engagements_completed`, `branches_covered`) are grey only when the register is empty;
  otherwise 0 is a real value. Their yellow rule is value >= target x elapsed share, computed
  exactly (a Fraction of days), so a value exactly on the trajectory is yellow.
- `engagements_completed` counts status toteutettu with programme start <= end_date <= as_of
  (cumulative from the programme start). Its detail is the `Trajectory`: `elapsed_share`,
  `required_per_month` (remaining / months left to the deadline; 0.0 when reached, None past the
  deadline), `current_per_month` (value / months since the start, mean months of 365.25/12
  days) and `projected_date` (as_of + ceil(remaining x elapsed days / value) days; the
  end_date of the target-th completion when already reached; None when the pace is 0).
- `branches_covered` and `life_path_ecosystem_share` use the reached engagements of
  `tasks.indicators.common.reached` (status käynnissä/toteutettu, start_date <= as_of); statuses are
  taken as they are now, so one completed after as_of still counts as reached.
- `quick_satisfaction_mean`: feedback with a rating (blank = no answer, not counted in n),
  answered_on <= as_of, whose engagement_id is a Herätys or Kokeilu engagement of the register.
- `agency_survey_green_share`: of the answers with answered_on <= as_of, the latest round (the
  one with the latest answer; ties: the greater round text; `schemas.survey.latest_round`). Per
  metric mean -> colour with `settings.agency_survey.threshold(metric)`; a configured metric
  without answers (or without a column) is grey and counts as not green. value = green metrics /
  configured metrics; green when all are green, yellow when none is red (so at best yellow with
  a grey one); grey, value None, when no metric has answers.
- The previous half-year's principle rows (behind the change arrows) are kept as evidence for
  the appendix (`Indicators.evidence["principles_previous"]`).
- `principles_assessed_share` uses the half-year containing as_of. Its key projects are those
  with a row in that half-year or in the previous one (a project left out of this half-year
  counts as nine cells not assessed and is named in `left_out`), each with all nine principles
  (a missing row is a blank cell);
  duplicate rows of a cell: the last non-blank one wins. Assessed = toteutuu / osittain /
  ei toteudu. Change per cell vs the previous half-year: None when the cell is not assessed
  now; `Change.NEW` when it was not assessed then (project absent, blank or ei arvioitavissa);
  otherwise better / worse / same on ei toteudu < osittain < toteutuu.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from schemas.periods import period_containing, period_of, previous_period
from schemas.results import SPECS, IndicatorId, IndicatorResult, Indicators, IndicatorSpec
from schemas.settings import Settings
from schemas.tables import Frames
from tasks.indicators.common import at_deadline
from tasks.indicators.context import context_figures
from tasks.indicators.principles import period_rows, principles_assessed_share
from tasks.indicators.progress import branches_covered, engagements_completed
from tasks.indicators.shares import (
    agency_survey_green_share,
    effects_described_share,
    life_path_ecosystem_share,
    quick_satisfaction_mean,
)

Compute = Callable[[Frames, date, Settings], IndicatorResult]


@dataclass(frozen=True)
class Indicator:
    """A registered indicator: its spec (`schemas.results.SPECS`) and the function computing it."""

    spec: IndicatorSpec
    compute: Compute

    @property
    def id(self) -> IndicatorId:
        return self.spec.id


def _register(*pairs: tuple[IndicatorId, Compute]) -> dict[str, Indicator]:
    return {iid: Indicator(SPECS[iid], compute) for iid, compute in pairs}


# The registry, in DESIGN.md order (the order of the JSON, the cards and the appendix).
INDICATORS: dict[str, Indicator] = _register(
    (IndicatorId.ENGAGEMENTS_COMPLETED, engagements_completed),
    (IndicatorId.EFFECTS_DESCRIBED_SHARE, effects_described_share),
    (IndicatorId.BRANCHES_COVERED, branches_covered),
    (IndicatorId.LIFE_PATH_ECOSYSTEM_SHARE, life_path_ecosystem_share),
    (IndicatorId.QUICK_SATISFACTION_MEAN, quick_satisfaction_mean),
    (IndicatorId.AGENCY_SURVEY_GREEN_SHARE, agency_survey_green_share),
    (IndicatorId.PRINCIPLES_ASSESSED_SHARE, principles_assessed_share),
)


def _final(result: IndicatorResult, as_of: date, settings: Settings) -> IndicatorResult:
    status = at_deadline(result.status, as_of, settings)
    return result if status is result.status else replace(result, status=status)


def compute_indicators(frames: Frames, as_of: date, settings: Settings) -> Indicators:
    """Compute every registered indicator (in order) and the context figures as of a date."""
    results = {
        iid: _final(i.compute(frames, as_of, settings), as_of, settings)
        for iid, i in INDICATORS.items()
    }
    before = previous_period(period_containing(as_of))
    return Indicators(
        as_of,
        period_of(as_of),
        results,
        context_figures(frames.engagements, as_of, settings, frames.unrecorded),
        frames.fingerprint(),
        evidence={"principles_previous": period_rows(frames.principles, before)},
        unrecorded=frames.unrecorded,
    )


__all__ = ["INDICATORS", "Compute", "Indicator", "compute_indicators"]
