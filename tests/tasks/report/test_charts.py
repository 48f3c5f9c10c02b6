"""Report charts.

Contract: every chart is a valid PNG 1200 px wide (shown at 600) and under 120 KB, and the
same input always gives the same bytes (no timestamps or software tags); `report_charts` draws
only the charts that have data, keyed by the content ids the HTML references. The cumulative
chart's x axis ends at the deadline, labelled with its date (never "2019" at 31.12.2018); its
target line, the as-of date, the value reached and its unit are written on it.
"""

from __future__ import annotations

import struct
from dataclasses import replace
from datetime import date

import polars as pl
import pytest

from schemas.report import ReportContext
from tasks.report.charts import (
    _date_axis,
    _figure,
    cumulative_chart,
    report_charts,
    satisfaction_chart,
)
from tests.support.indicators import (
    GENERATED_AT,
    example_indicators,
    example_trends,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LABELS = {
    "actual": "Toteutetut",
    "target": "tavoite 50",
    "target_value": "tavoite 4,0",
    "as_of": "tilanne 30.6.2018",
    "unit": "toimeksiantoja",
}
SPAN = (date(2016, 9, 8), date(2018, 6, 30), date(2018, 12, 31))


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_SIGNATURE
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _draw_all() -> dict[str, bytes]:
    points = [(date(2017, 1, 10), 3), (date(2017, 6, 1), 12), (date(2018, 5, 20), 38)]
    return {
        "cumulative": cumulative_chart(points, SPAN, 50, LABELS),
        "satisfaction": satisfaction_chart(
            [(date(2017, 6, 30), 4.1875), (date(2017, 12, 31), 4.05), (date(2018, 6, 30), 3.96)],
            4.0,
            ",",
            LABELS,
        ),
    }


@pytest.fixture(scope="module")
def charts() -> dict[str, bytes]:
    return _draw_all()


@pytest.mark.parametrize("name", ["cumulative", "satisfaction"])
def test_chart_is_drawn_at_twice_its_shown_size(charts: dict[str, bytes], name: str) -> None:
    width, height = _size(charts[name])
    assert width == 1200  # shown at 600 px: sharp on phones and retina screens
    assert 300 <= height <= 700
    assert len(charts[name]) < 120_000


def test_same_input_gives_same_bytes(charts: dict[str, bytes]) -> None:
    assert _draw_all() == charts


def test_different_input_gives_different_bytes(charts: dict[str, bytes]) -> None:
    points = [(date(2017, 1, 10), 3), (date(2017, 6, 1), 12), (date(2018, 5, 20), 39)]
    assert cumulative_chart(points, SPAN, 50, LABELS) != charts["cumulative"]


def test_the_time_axis_ends_at_the_deadline_with_its_date() -> None:
    with _figure(3.0) as fig:
        ax = fig.add_subplot()
        _date_axis(
            ax, date(2016, 9, 8), date(2018, 12, 31), lambda d: f"{d.day}.{d.month}.{d.year}"
        )
        labels = [t.get_text() for t in ax.get_xticklabels()]
        right = ax.get_xlim()[1]
        ticks = list(ax.get_xticks())
    assert labels == ["2017", "2018", "31.12.2018"]  # no "2019" at the deadline
    assert ticks[-1] == right  # the axis ends at the deadline
    with _figure(3.0) as fig:  # a deadline early in a year: no year tick crowding its label
        ax = fig.add_subplot()
        _date_axis(ax, date(2016, 9, 8), date(2019, 2, 28), lambda d: d.isoformat())
        assert [t.get_text() for t in ax.get_xticklabels()] == ["2017", "2018", "2019-02-28"]


def test_report_charts_draw_what_has_data() -> None:
    ind = example_indicators()
    ctx = ReportContext(ind, GENERATED_AT, example_trends())
    images = report_charts(ctx)
    assert list(images) == ["engagements", "satisfaction"]
    # Without earlier reports there is no satisfaction trend to draw.
    assert list(report_charts(replace(ctx, trends={}))) == ["engagements"]
    # The cumulative chart falls back to the trend when the rows carry no end dates.
    done = replace(
        ind.results["engagements_completed"], rows=pl.DataFrame({"engagement_id": ["x"]})
    )
    no_rows = replace(ind, results={**ind.results, "engagements_completed": done})
    fallback = report_charts(replace(ctx, indicators=no_rows))
    assert fallback["engagements"] != images["engagements"]
    assert _size(fallback["engagements"])[0] == 1200
