"""Invariants of the indicators on random small registers (hypothesis).

Shares stay in [0, 1]; counts never fall as the as-of date moves later; every status agrees
with its value and the thresholds configured below (checked with plain integer arithmetic).
The thresholds are deliberately not the defaults: a status computed from a hard-coded or
default threshold instead of the configured one fails here.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.reference import branches
from schemas.results import IndicatorResult, Status
from schemas.settings import AgencySurvey, Threshold
from tasks.indicators import compute_indicators
from tests.support import frames as F

START, DEADLINE = date(2017, 1, 1), date(2017, 3, 1)  # 59 days
COMPLETED_TARGET, BRANCH_TARGET = 6, 4
SHARE_YELLOW = 0.75  # effects described, life path & ecosystem: yellow from 75 %
QUICK_GREEN, QUICK_YELLOW = 4.5, 3.0  # quick satisfaction mean
SURVEY_GREEN, SURVEY_YELLOW = 3.6, 3.2  # every agency survey metric
SETTINGS = F.settings(
    start=START,
    deadline=DEADLINE,
    completed_target=COMPLETED_TARGET,
    branches=BRANCH_TARGET,
    share_yellow=SHARE_YELLOW,
    quick_satisfaction=Threshold(green=QUICK_GREEN, yellow=QUICK_YELLOW),
).model_copy(
    update={
        "agency_survey": AgencySurvey(default=Threshold(green=SURVEY_GREEN, yellow=SURVEY_YELLOW))
    }
)
CODES = [b.code for b in branches()]
STATUSES = ["suunnitteilla", "käynnissä", "toteutettu", "peruttu"]
days = st.integers(min_value=-10, max_value=80).map(lambda n: START + timedelta(days=n))
text = st.sampled_from([None, "", "  ", "jotain"])


@st.composite
def engagement_records(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    for i in range(draw(st.integers(0, 12))):
        start = draw(days)
        length = draw(st.one_of(st.none(), st.integers(0, 40)))
        end = None if length is None else start + timedelta(days=length)
        out.append(
            F.engagement(
                f"E{i}",
                status=draw(st.sampled_from(STATUSES)),
                start=start,
                end=end,
                branch=draw(st.sampled_from(CODES[:6])),
                service_concept=draw(st.sampled_from(["Herätys", "Kokeilu", "Yhteistyö"])),
                life_path=draw(text),
                ecosystem=draw(text),
                method=draw(text),
                benefits=draw(text),
            )
        )
    return out


@st.composite
def feedback_records(draw: st.DrawFn) -> list[dict[str, Any]]:
    return [
        F.feedback(
            f"R{i}",
            f"E{draw(st.integers(0, 12))}",
            draw(days),
            draw(st.one_of(st.none(), st.integers(1, 5))),
        )
        for i in range(draw(st.integers(0, 8)))
    ]


@st.composite
def survey_records(draw: st.DrawFn) -> list[dict[str, Any]]:
    score = st.one_of(st.none(), st.sampled_from([1.0, 3.0, 3.5, 4.0, 5.0]))
    return [
        F.survey(
            f"S{i}",
            draw(st.sampled_from(["2016", "2017"])),
            draw(days),
            *(draw(score) for _ in range(4)),
        )
        for i in range(draw(st.integers(0, 6)))
    ]


def final(status: Status, as_of: date) -> Status:
    """At and after the deadline a goal is met or missed: no yellow (issue 20)."""
    return Status.RED if as_of >= DEADLINE and status == Status.YELLOW else status


def check_share(result: IndicatorResult, yellow: float, as_of: date) -> None:
    num, den = result.numerator, result.denominator
    assert num is not None and den is not None and 0 <= num <= den
    if den == 0:
        assert (result.value, result.status) == (None, Status.GREY)
        return
    assert result.value is not None and 0.0 <= result.value <= 1.0
    expected = Status.GREEN if num == den else Status.YELLOW if num / den >= yellow else Status.RED
    assert result.status == final(expected, as_of)


def check_progress(result: IndicatorResult, as_of: date, target: int, register_empty: bool) -> None:
    if register_empty:
        assert result.status == Status.GREY
        return
    elapsed = min(max((as_of - START).days, 0), (DEADLINE - START).days)
    value = int(result.value)  # type: ignore[arg-type]
    # yellow floor: value >= target x elapsed / total  <=>  value x total >= target x elapsed
    on_track = value * (DEADLINE - START).days >= target * elapsed
    assert result.status == final(
        Status.GREEN if value >= target else Status.YELLOW if on_track else Status.RED, as_of
    )


@settings(max_examples=50, deadline=None)
@given(engagement_records(), feedback_records(), survey_records(), days, days)
def test_indicator_invariants(
    engagements: list[dict[str, Any]],
    feedback: list[dict[str, Any]],
    survey: list[dict[str, Any]],
    day_a: date,
    day_b: date,
) -> None:
    frames = F.frames(engagements, feedback, survey)
    early, late = sorted((day_a, day_b))
    first = compute_indicators(frames, early, SETTINGS).results
    second = compute_indicators(frames, late, SETTINGS).results
    for as_of, results in ((early, first), (late, second)):
        check_share(results["effects_described_share"], SHARE_YELLOW, as_of)
        check_share(results["life_path_ecosystem_share"], SHARE_YELLOW, as_of)
        check_progress(results["engagements_completed"], as_of, COMPLETED_TARGET, not engagements)
        check_progress(results["branches_covered"], as_of, BRANCH_TARGET, not engagements)
        covered = results["branches_covered"]
        missing = covered.detail.missing  # type: ignore[union-attr]
        assert covered.value == 12 - len(missing)
        assert list(missing) == [c for c in CODES if c in missing]
        mean = results["quick_satisfaction_mean"]
        n = mean.detail.n  # type: ignore[union-attr]
        assert n <= sum(r["value_rating"] is not None for r in feedback)
        if mean.value is None:
            assert (mean.status, n) == (Status.GREY, 0)
        else:
            assert 1.0 <= mean.value <= 5.0
            assert mean.status == final(
                Status.GREEN
                if mean.value >= QUICK_GREEN
                else Status.YELLOW
                if mean.value >= QUICK_YELLOW
                else Status.RED,
                as_of,
            )
        survey_result = results["agency_survey_green_share"]
        survey_detail = survey_result.detail
        colours = list(survey_detail.colours.values())  # type: ignore[union-attr]
        for metric, mean_value in survey_detail.means.items():  # type: ignore[union-attr]
            assert survey_detail.colours[metric] == (  # type: ignore[union-attr]
                Status.GREY
                if mean_value is None
                else Status.GREEN
                if mean_value >= SURVEY_GREEN
                else Status.YELLOW
                if mean_value >= SURVEY_YELLOW
                else Status.RED
            )
        assert survey_result.numerator == colours.count("green")
        # every configured metric counts; one without answers is grey and not green
        assert survey_result.denominator == len(colours)
        answered = [c for c in colours if c != "grey"]
        assert survey_result.status == final(
            Status.GREY
            if not answered
            else Status.GREEN
            if set(colours) == {"green"}
            else Status.RED
            if "red" in colours
            else Status.YELLOW,
            as_of,
        )
        if answered:
            assert survey_result.value == colours.count("green") / len(colours)
    for iid in ("engagements_completed", "branches_covered"):
        assert int(first[iid].value or 0) <= int(second[iid].value or 0)
    still_missing = set(second["branches_covered"].detail.missing)  # type: ignore[union-attr]
    assert still_missing <= set(first["branches_covered"].detail.missing)  # type: ignore[union-attr]
