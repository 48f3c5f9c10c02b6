"""Indicator ids, specs and details.

Contract: the seven DESIGN.md ids are an `IndicatorId` enum, each with a spec saying how its
value reads, whether it is a goal with a target by the deadline, which detail it carries and
which settings key holds its target; the registry of `tasks.indicators` binds every spec, in
the same order, to its function. A detail stored in history (its `to_json()`, no type tag) reads
back as the detail type of its indicator: the JSON below is written out by hand as the code
before the enum stored it.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from schemas.results import (
    SPECS,
    Change,
    Coverage,
    IndicatorId,
    IndicatorResult,
    PrinciplesMatrix,
    Reading,
    Sample,
    Status,
    SurveyColours,
    Trajectory,
    detail_from_json,
    indicator_spec,
)
from schemas.settings import Settings
from tasks.indicators import INDICATORS
from tasks.indicators.common import target_of
from tests.support.design import INDICATOR_IDS

STORED = {
    "engagements_completed": (
        '{"elapsed_share": 0.8, "required_per_month": 2.0, "current_per_month": 1.76, '
        '"projected_date": "2019-05-31"}',
        Trajectory(0.8, 1.76, 2.0, date(2019, 5, 31)),
    ),
    "branches_covered": ('{"missing": ["PLM", "YM"]}', Coverage(("PLM", "YM"))),
    "quick_satisfaction_mean": ('{"n": 16}', Sample(16)),
    "agency_survey_green_share": (
        '{"round": "2017", "colours": {"Asiantuntemus": "green", "Hyödyllisyys": "grey"}, '
        '"means": {"Asiantuntemus": 4.5, "Hyödyllisyys": null}}',
        SurveyColours(
            "2017",
            {"Asiantuntemus": Status.GREEN, "Hyödyllisyys": Status.GREY},
            {"Asiantuntemus": 4.5, "Hyödyllisyys": None},
        ),
    ),
    "principles_assessed_share": (
        '{"period": "2018H1", "matrix": {"A": {"1": "toteutuu", "2": null}}, '
        '"change": {"A": {"1": "better", "2": null}}, "left_out": ["B"]}',
        PrinciplesMatrix(
            "2018H1",
            {"A": {"1": "toteutuu", "2": None}},
            {"A": {"1": Change.BETTER, "2": None}},
            ("B",),
        ),
    ),
}


def test_ids_are_the_design_ids_in_order_and_each_has_a_spec() -> None:
    assert [str(i) for i in IndicatorId] == INDICATOR_IDS
    assert list(SPECS) == INDICATOR_IDS
    assert all(SPECS[i].id is i for i in IndicatorId)


def test_the_registry_binds_every_spec_in_order() -> None:
    assert list(INDICATORS) == list(SPECS)
    assert all(INDICATORS[i].spec is SPECS[i] for i in SPECS)


def test_how_values_read_and_which_goals_have_a_trajectory() -> None:
    reads = {i: SPECS[i].reads for i in IndicatorId}
    assert reads[IndicatorId.ENGAGEMENTS_COMPLETED] is Reading.COUNT
    assert reads[IndicatorId.BRANCHES_COVERED] is Reading.COUNT
    assert reads[IndicatorId.QUICK_SATISFACTION_MEAN] is Reading.MEAN
    assert [i for i in IndicatorId if reads[i] is Reading.SHARE] == [
        IndicatorId.EFFECTS_DESCRIBED_SHARE,
        IndicatorId.LIFE_PATH_ECOSYSTEM_SHARE,
        IndicatorId.AGENCY_SURVEY_GREEN_SHARE,
        IndicatorId.PRINCIPLES_ASSESSED_SHARE,
    ]
    assert [i for i in IndicatorId if SPECS[i].trajectory] == [
        IndicatorId.ENGAGEMENTS_COMPLETED,
        IndicatorId.BRANCHES_COVERED,
    ]


def test_target_keys_name_the_default_targets() -> None:
    targets = {i: target_of(s, Settings()) for i, s in SPECS.items() if s.target_key}
    assert targets == {
        "engagements_completed": 50,
        "branches_covered": 12,
        "quick_satisfaction_mean": 4.0,
    }


@pytest.mark.parametrize("indicator_id", list(STORED))
def test_stored_details_read_back_as_their_indicators_type(indicator_id: str) -> None:
    text, expected = STORED[indicator_id]
    detail = detail_from_json(indicator_id, json.loads(text))
    assert detail == expected and type(detail) is type(expected)
    assert json.loads(json.dumps(expected.to_json())) == json.loads(text)  # and writes the same


def test_the_indicator_not_the_keys_decides_the_type() -> None:
    # A mean's detail with an "n" is a Sample; the same object under a share without a detail,
    # or under an id nobody registered, is no detail at all.
    assert detail_from_json("quick_satisfaction_mean", {"n": 3}) == Sample(3)
    assert detail_from_json("effects_described_share", {"n": 3}) is None
    assert detail_from_json("retired_indicator", {"n": 3}) is None
    assert detail_from_json("branches_covered", {}) is None


def test_principle_changes_are_an_enum_and_write_plain_words() -> None:
    matrix = PrinciplesMatrix("2018H1", {"A": {"1": "osittain"}}, {"A": {"1": Change.WORSE}})
    result = IndicatorResult(
        IndicatorId.PRINCIPLES_ASSESSED_SHARE, 1.0, Status.GREEN, detail=matrix
    )
    assert json.dumps(result.to_json()["change"]) == '{"A": {"1": "worse"}}'


def test_an_unknown_id_is_named() -> None:
    assert indicator_spec("branches_covered") is SPECS[IndicatorId.BRANCHES_COVERED]
    with pytest.raises(KeyError, match="nope"):
        indicator_spec("nope")
