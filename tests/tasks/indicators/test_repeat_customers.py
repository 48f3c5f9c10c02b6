"""Repeat customers: one rule (`spread.engagements_per_customer`), counted by hand (issue 20).

Contract: a customer's engagements are the reached ones (ongoing or completed, started by the
as-of date); the report's earlier column shows what each customer shown now had then, so a first
engagement reads 1, not 0; ties are in natural order ("Virasto 3" before "Virasto 10"); the
total line is "customers with more than one engagement / all customers".
"""

from __future__ import annotations

from datetime import date

import polars as pl

from schemas.settings import Settings
from tasks.indicators import compute_indicators
from tasks.indicators.spread import engagements_per_customer, natural_key
from tests.support import frames as F

H1 = date(2018, 6, 30)
VNK = "Valtioneuvoston kanslia"


def _register() -> F.Frames:
    return F.frames(
        [
            # started 6.3.2017 and completed: counts at 31.12.2017
            F.engagement(
                "D9-2017-002", start=date(2017, 3, 6), end=date(2017, 3, 20), customer=VNK
            ),
            F.engagement("D9-2018-001", status="käynnissä", start=date(2018, 2, 1), customer=VNK),
            F.engagement("V10a", status="käynnissä", start=date(2018, 1, 5), customer="Virasto 10"),
            F.engagement("V10b", status="käynnissä", start=date(2018, 1, 6), customer="Virasto 10"),
            F.engagement("V3a", status="käynnissä", start=date(2018, 1, 5), customer="Virasto 3"),
            F.engagement("V3b", status="käynnissä", start=date(2018, 1, 6), customer="Virasto 3"),
            F.engagement("V1a", status="käynnissä", start=date(2018, 1, 5), customer="Virasto 1"),
            F.engagement("V1b", status="käynnissä", start=date(2018, 1, 6), customer="virasto 1"),
            F.engagement("P", status="suunnitteilla", start=date(2018, 1, 6), customer="Virasto 3"),
            F.engagement("O", status="käynnissä", start=date(2018, 3, 1), customer="Kela"),
        ]
    )


def test_counts_by_hand_with_the_earlier_half_year() -> None:
    figure = compute_indicators(_register(), H1, Settings()).context["repeat_customers"]
    # reached by 30.6.2018: VNK 2, Virasto 10 2, Virasto 3 2 (P is planned), Virasto 1 1 +
    # "virasto 1" 1 (another spelling is another name), Kela 1: 3 repeat of 6 customers
    assert figure.counts == {VNK: 2, "Virasto 3": 2, "Virasto 10": 2}
    assert (figure.numerator, figure.denominator) == (3, 6)
    before = figure.previous
    assert before is not None and figure.previous_period == "2017H2"
    # at 31.12.2017 only D9-2017-002 existed: VNK had one engagement, the others none
    assert before.counts == {VNK: 1, "Virasto 3": 0, "Virasto 10": 0}
    assert (before.numerator, before.denominator) == (0, 1)


def test_natural_order_of_customers() -> None:
    names = ["Virasto 10", "Virasto 3", "virasto 1", "Kela"]
    assert sorted(names, key=natural_key) == ["Kela", "virasto 1", "Virasto 3", "Virasto 10"]
    frame = _register().engagements.filter(pl.col("status") != "suunnitteilla")
    assert list(engagements_per_customer(frame)) == [
        VNK,
        "Virasto 3",
        "Virasto 10",
        "Kela",
        "Virasto 1",  # equal but for case: upper case first, always
        "virasto 1",
    ]
