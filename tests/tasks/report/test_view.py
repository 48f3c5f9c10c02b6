"""The report view, built once for every channel.

Contract: `build_view` turns a `ReportContext` into a frozen, typed `ReportView` holding what the
report shows, in its order: the headline, a card per goal (with the pace of a count with a
deadline and the survey's metrics where they apply), the half-year, up to three earlier reports
beside today's, the missing branches, the principles matrix, the data-quality counts, the
context figures (those with a trend apart), the charts as PNG bytes with an alt text stating
their data and a caption (no `cid:`: that is the mail's business), the deregulation log and the
context trend. Expected values are those of the hand-built example (tests/support/indicators.py).
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from schemas.report import ReportContext
from schemas.results import Change, IndicatorId, Status, Trajectory
from schemas.view import (
    BranchPace,
    CategoryLine,
    MatrixCell,
    ReportView,
    RuleCount,
    ShareLine,
    SurveyRound,
    TotalLine,
    TrendValue,
)
from tasks.report.view import build_view
from tests.support.indicators import (
    GENERATED_AT,
    example_findings,
    example_indicators,
    example_trends,
)

H1, H2 = date(2017, 6, 30), date(2017, 12, 31)


@pytest.fixture(scope="module")
def view() -> ReportView:
    ctx = ReportContext(
        example_indicators(), GENERATED_AT, example_trends(), example_findings(), "fi"
    )
    return build_view(ctx)


def test_the_view_is_frozen(view: ReportView) -> None:
    with pytest.raises(FrozenInstanceError):
        view.period_label = "x"  # type: ignore[misc]
    assert (view.period, view.period_label, view.team) == ("2018H1", "1.1.–30.6.2018", "D9-tiimi")


def test_headline_counts_goals_by_what_their_status_means(view: ReportView) -> None:
    # Yellow: two counts with a deadline (on schedule), four levels (close); red: life path.
    assert view.headline.total == 7
    assert view.headline.parts == ("aikataulussa 2", "lähellä tavoitetta 4", "jäljessä 1")
    assert [b.name for b in view.headline.behind] == [
        "Toimeksiannot, joille on kirjattu elämänpolku ja ekosysteemi"
    ]
    assert view.headline.summary == "tavoitteessa 0, aikataulussa tai lähellä 6, jäljessä 1"


def test_a_card_per_goal_in_order_with_its_own_details(view: ReportView) -> None:
    assert [c.id for c in view.cards] == list(IndicatorId)
    done, survey = view.cards[0], view.cards[5]
    assert (done.value, done.status, done.word, done.symbol) == (
        38,
        Status.YELLOW,
        "aikataulussa",
        "◐",
    )
    assert isinstance(done.trajectory, Trajectory) and done.trajectory.required_per_month == 2.0
    assert survey.survey is not None and survey.survey.round == "2017"
    assert all(c.trajectory is None for c in view.cards[1:])
    assert [c.id for c in view.cards if c.survey] == [IndicatorId.AGENCY_SURVEY_GREEN_SHARE]
    assert view.cards[3].word == "jäljessä tavoitteesta"  # a share behind


def test_half_year(view: ReportView) -> None:
    h = view.half_year
    assert (h.first, h.started, h.completed, len(h.examples)) == (date(2018, 1, 1), 13, 10, 3)
    assert h.examples[0].engagement_id == "D9-038" and h.examples[0].branch == "Sisäministeriö"
    new = ("Opetus- ja kulttuuriministeriö", "Sisäministeriö")
    assert h.branches == BranchPace(10, 12, 2, new, 2, 6)
    assert h.survey == SurveyRound("pending", "2018", "2017")


def test_trend_table_of_earlier_reports(view: ReportView) -> None:
    assert view.trend.dates == (H1, H2)
    rows = {r.id: r for r in view.trend.rows}
    assert list(rows) == [
        IndicatorId.ENGAGEMENTS_COMPLETED,
        IndicatorId.BRANCHES_COVERED,
        IndicatorId.QUICK_SATISFACTION_MEAN,
        IndicatorId.PRINCIPLES_ASSESSED_SHARE,
    ]
    principles = rows[IndicatorId.PRINCIPLES_ASSESSED_SHARE]
    assert principles.cells == (None, TrendValue(0.7, Status.RED))  # not reported in 2017H1
    assert principles.now == TrendValue(22 / 27, Status.YELLOW)
    assert (principles.symbol, principles.word) == ("◐", "lähellä tavoitetta")


def test_matrix_cells_carry_assessment_change_and_colour(view: ReportView) -> None:
    matrix = view.matrix
    assert matrix is not None and matrix.total == 3 and matrix.numbers[0] == "1"
    first, _, aurora = matrix.rows
    assert first.project == "Asiakaskeskeinen palvelu"
    assert first.cells[2] == MatrixCell("osittain", Change.BETTER, Status.YELLOW)
    assert first.cells[4] == MatrixCell("ei toteudu", Change.WORSE, Status.RED)
    assert aurora.cells[1] == MatrixCell("none", Change.SAME, None)  # not assessed: no colour
    assert matrix.realisation.rows[0].realised == 2  # principle 1: two of three projects
    assert view.principle_names[8].number == 9


def test_lists_and_counts(view: ReportView) -> None:
    assert view.missing_branches == ("Puolustusministeriö", "Ympäristöministeriö")
    assert view.quality.total == 5 and view.quality.blocking == 0
    assert view.quality.by_rule == (
        RuleCount("engagements", "expected", 3),
        RuleCount("feedback", "reference", 2),
    )
    log = view.deregulation_log
    assert (log.total, log.new, log.not_passed, log.assumed, log.hidden) == (2, 1, 1, 1, 0)
    assert [i.engagement_id for i in log.items] == ["D9-007", "D9-031"]
    assert log.items[0].passed_on == "VM 5/2017" and log.items[1].passed_on is None


def test_context_figures_and_their_trend_apart(view: ReportView) -> None:
    assert [f.id for f in view.context] == ["by_service_concept", "by_priority"]
    trend = view.context_trend
    assert trend.before == "1.7.–31.12.2017"
    share, customers = trend.figures
    assert share.lines == (ShareLine(0.4, 0.45),)
    assert customers.lines == (
        CategoryLine("Kela", 2, 3),
        CategoryLine("Verohallinto", 0, 2),
        TotalLine(1, 2, 19, 25),
    )


def test_charts_are_png_bytes_with_alt_text_and_caption(view: ReportView) -> None:
    assert [c.id for c in view.charts] == ["engagements", "satisfaction"]
    for chart in view.charts:
        assert chart.png.startswith(b"\x89PNG\r\n\x1a\n")
        assert chart.alt and chart.caption and chart.alt != chart.caption
    assert view.charts[0].caption == "Toteutetut toimeksiannot kumulatiivisesti ja tavoiteura"
    assert "cid:" not in repr(view)
