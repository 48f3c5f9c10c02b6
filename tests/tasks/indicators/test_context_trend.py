"""The deregulation log, practices spreading and the previous half-year beside the context
figures (tasks/indicators/deregulation.py, spread.py, context.py); numbers worked out by hand."""

from __future__ import annotations

from datetime import date

import polars as pl

from schemas.settings import Settings
from tasks.indicators import compute_indicators
from tasks.indicators.deregulation import deregulation_log
from tasks.indicators.spread import concept_progression, repeat_branches, repeat_customers
from tests.support import frames as F

H1 = date(2018, 6, 30)


def _register(*records: dict[str, object]) -> pl.DataFrame:
    from schemas.datasets import ENGAGEMENTS

    return F.table(ENGAGEMENTS, list(records))


def test_deregulation_log_is_cumulative_marks_new_and_not_passed_on() -> None:
    base = _register(
        F.engagement(
            "A",
            start=date(2017, 2, 1),
            regulatory_obstacles="Paperi",
            regulatory_found_on=date(2017, 3, 1),
            regulatory_passed_on="VM 4/2017",
        ),
        F.engagement("B", start=date(2017, 9, 1), regulatory_obstacles="Allekirjoitus"),
        F.engagement(
            "C",
            start=date(2017, 5, 1),
            regulatory_obstacles="Laki",
            regulatory_found_on=date(2018, 2, 1),
        ),
        F.engagement(
            "D",
            start=date(2018, 1, 5),
            regulatory_obstacles="Myöhemmin",
            regulatory_found_on=date(2018, 7, 2),
        ),  # found after as_of
        F.engagement("E", start=date(2018, 3, 1), regulatory_obstacles=" "),  # blank: none
    )
    log = deregulation_log(base, H1)
    assert log["engagement_id"].to_list() == ["A", "B", "C"]  # by found-on date
    assert log["found_on"].to_list() == [date(2017, 3, 1), date(2017, 9, 1), date(2018, 2, 1)]
    assert log["found_on_assumed"].to_list() == [False, True, False]  # B: its start date
    assert log["new"].to_list() == [False, False, True]  # only C was found in 2018H1
    assert log["passed_on"].to_list() == [True, False, False]


def test_repeat_customers_split_named_organisations_and_count_repeat_branches() -> None:
    base = _register(
        F.engagement("A", customer="Kela", branch="STM"),
        F.engagement("B", customer="Kela, Valvira", branch="STM"),
        F.engagement("C", customer="Valvira; THL", branch="STM"),
        F.engagement("D", customer="Verohallinto", branch="VM"),
        F.engagement("E", customer="Kela", branch="OKM"),
    )
    customers = repeat_customers(base)
    assert customers.counts == {"Kela": 3, "Valvira": 2}
    assert (customers.numerator, customers.denominator) == (2, 4)  # of Kela, Valvira, THL, Vero
    branches = repeat_branches(base)
    assert branches.counts == {"STM": 3}
    assert (branches.numerator, branches.denominator) == (1, 3)


def test_customers_moving_up_the_service_concepts() -> None:
    base = _register(
        F.engagement("A1", customer="Kela", service_concept="Herätys", start=date(2017, 1, 1)),
        F.engagement("A2", customer="Kela", service_concept="Kokeilu", start=date(2017, 6, 1)),
        F.engagement("A3", customer="Kela", service_concept="Yhteistyö", start=date(2018, 1, 1)),
        F.engagement("B1", customer="THL", service_concept="Herätys", start=date(2017, 1, 1)),
        F.engagement("B2", customer="THL", service_concept="Kokeilu", start=date(2017, 2, 1)),
        F.engagement("C1", customer="Vero", service_concept="Kokeilu", start=date(2017, 1, 1)),
        F.engagement("C2", customer="Vero", service_concept="Herätys", start=date(2017, 2, 1)),
        F.engagement("D1", customer="PRH", service_concept="Herätys", start=date(2017, 1, 1)),
        F.engagement("D2", customer="PRH", service_concept="Herätys", start=date(2017, 3, 1)),
    )
    moved = concept_progression(base)
    assert moved.counts == {"Herätys → Kokeilu": 1, "Herätys → Kokeilu → Yhteistyö": 1}
    assert (moved.numerator, moved.denominator) == (2, 4)  # Vero went down, PRH stayed
    assert set(moved.rows["organisation"].to_list()) == {"Kela", "THL"}


def test_trended_figures_carry_the_previous_half_year() -> None:
    engagements = [
        F.engagement(
            "A", status="käynnissä", start=date(2017, 8, 1), project_stage="alkava", customer="Kela"
        ),
        F.engagement(
            "B", status="käynnissä", start=date(2018, 2, 1), strategic_choices=True, customer="Kela"
        ),
        F.engagement(
            "C",
            status="käynnissä",
            start=date(2018, 3, 1),
            project_stage="alkava",
            investment_advice="muuta",
            customer="THL",
        ),
    ]
    frames = F.frames(engagements, [], [], [])
    ctx = compute_indicators(frames, H1, Settings()).context
    starting = ctx["starting_phase_share"]
    assert (starting.numerator, starting.denominator) == (2, 3)  # A, C of A, B, C
    assert starting.previous_period == "2017H2"
    assert starting.previous is not None
    assert (starting.previous.numerator, starting.previous.denominator) == (1, 1)  # A only
    assert ctx["strategic_influence_share"].previous.value == 0.0
    assert ctx["repeat_customers"].counts == {"Kela": 2}
    # Kela had one engagement (A) at the end of 2017H2: 1, not 0 (issue 20)
    assert ctx["repeat_customers"].previous.counts == {"Kela": 1}
    assert ctx["investment_advice"].previous.counts == {"toteuta": 0, "muuta": 0, "älä toteuta": 0}
    assert ctx["by_branch"].previous is None  # counts by category are not trended


def test_cross_administrative_share_with_its_previous_half_year() -> None:
    engagements = [
        F.engagement("A", status="käynnissä", start=date(2017, 8, 1), cross_administrative=True),
        F.engagement("B", status="käynnissä", start=date(2018, 2, 1)),
        F.engagement("C", status="käynnissä", start=date(2018, 3, 1), cross_administrative=None),
    ]
    ctx = compute_indicators(F.frames(engagements, [], [], []), H1, Settings()).context
    cross = ctx["cross_administrative_share"]
    assert (cross.numerator, cross.denominator, cross.value) == (1, 3, 1 / 3)  # blank = no
    assert (cross.previous.numerator, cross.previous.denominator) == (1, 1)  # A only in 2017H2


def test_history_keeps_the_previous_half_year_of_a_figure() -> None:
    from tasks.history.codec import context_from_json, context_json

    engagements = [
        F.engagement("A", status="käynnissä", start=date(2017, 8, 1), project_stage="alkava"),
        F.engagement("B", status="käynnissä", start=date(2018, 2, 1), regulatory_obstacles="Laki"),
    ]
    ctx = compute_indicators(F.frames(engagements, [], [], []), H1, Settings()).context
    back = context_from_json(context_json(ctx))
    starting = back["starting_phase_share"]
    assert (starting.value, starting.previous_period) == (0.5, "2017H2")
    assert starting.previous is not None and starting.previous.value == 1.0
    assert back["deregulation_opportunities"].rows["new"].to_list() == [True]
