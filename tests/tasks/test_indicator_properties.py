"""Invariants of the indicators on random small registers (hypothesis).

Shares stay in [0, 1]; counts never fall as the as-of date moves later; every status agrees
with its value and the configured thresholds (checked here with plain integer arithmetic).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.reference import branches
from schemas.results import IndicatorResult, Status
from tasks.indicators import compute_indicators
from tests.support import frames as F

START, DEADLINE = date(2017, 1, 1), date(2017, 3, 1)  # 59 days
SETTINGS = F.settings(start=START, deadline=DEADLINE, completed_target=6, branches=4)
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


def check_share(result: IndicatorResult, yellow: float) -> None:
    num, den = result.numerator, result.denominator
    assert num is not None and den is not None and 0 <= num <= den
    if den == 0:
        assert (result.value, result.status) == (None, Status.GREY)
        return
    assert result.value is not None and 0.0 <= result.value <= 1.0
    expected = Status.GREEN if num == den else Status.YELLOW if num / den >= yellow else Status.RED
    assert result.status == expected


def check_progress(result: IndicatorResult, as_of: date, target: int, register_empty: bool) -> None:
    if register_empty:
        assert result.status == Status.GREY
        return
    elapsed = min(max((as_of - START).days, 0), (DEADLINE - START).days)
    value = int(result.value)  # type: ignore[arg-type]
    # yellow floor: value >= target x elapsed / total  <=>  value x total >= target x elapsed
    on_track = value * (DEADLINE - START).days >= target * elapsed
    assert result.status == (
        Status.GREEN if value >= target else Status.YELLOW if on_track else Status.RED
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
        check_share(results["effects_described_share"], 0.9)
        check_share(results["life_path_ecosystem_share"], 0.9)
        check_progress(results["engagements_completed"], as_of, 6, not engagements)
        check_progress(results["branches_covered"], as_of, 4, not engagements)
        covered = results["branches_covered"]
        assert covered.value == 12 - len(covered.extra["missing"])
        assert covered.extra["missing"] == [c for c in CODES if c in covered.extra["missing"]]
        mean = results["quick_satisfaction_mean"]
        assert mean.extra["n"] <= sum(r["value_rating"] is not None for r in feedback)
        if mean.value is None:
            assert (mean.status, mean.extra["n"]) == (Status.GREY, 0)
        else:
            assert 1.0 <= mean.value <= 5.0
            assert mean.status == (
                Status.GREEN
                if mean.value >= 4.0
                else Status.YELLOW
                if mean.value >= 3.5
                else Status.RED
            )
        survey_result = results["agency_survey_green_share"]
        colours = list(survey_result.extra["colours"].values())
        assert survey_result.numerator == colours.count("green")
        assert survey_result.denominator == len(colours) - colours.count("grey")
        counted = [c for c in colours if c != "grey"]
        assert survey_result.status == (
            Status.GREY
            if not counted
            else Status.GREEN
            if set(counted) == {"green"}
            else Status.RED
            if "red" in counted
            else Status.YELLOW
        )
        if counted:
            assert survey_result.value == counted.count("green") / len(counted)
    for iid in ("engagements_completed", "branches_covered"):
        assert int(first[iid].value or 0) <= int(second[iid].value or 0)
    still_missing = set(second["branches_covered"].extra["missing"])
    assert still_missing <= set(first["branches_covered"].extra["missing"])
