"""Small, deterministic PNG charts for the report email (matplotlib, Agg, imported lazily).

Every chart is drawn at twice the size it is shown (1200 px wide, shown at 600 px), with fonts
large enough to read on a phone where the image shrinks to ~360 px, and carries no timestamp or
software tag, so the same input gives the same bytes. Labels come from the caller (the message
catalogue); time axes name years, never "1/2018" (which could read as a month or a half-year).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from schemas.catalogue import translate
from schemas.report import ReportContext
from schemas.results import IndicatorId, Status
from tasks.report.i18n import STATUS_COLOURS, format_date

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DPI = 200
WIDTH_IN = 6.0  # 1200 px at 200 dpi, shown at 600 px
_RC = {
    "svg.hashsalt": "d9",
    "font.size": 17,  # ~47 px in the image: ~14 px when a phone shows it 360 px wide
    "legend.fontsize": 16,
    "font.family": "DejaVu Sans",
    "axes.spines.top": False,
    "axes.spines.right": False,
}
GREEN, GREY, BLUE = STATUS_COLOURS[Status.GREEN], STATUS_COLOURS[Status.GREY], "#1565c0"


@contextmanager
def _figure(height_in: float) -> Iterator[Figure]:
    """Yield a fresh Agg figure (no pyplot state) under the chart style."""
    import matplotlib  # about a second to import: only when a chart is drawn

    with matplotlib.rc_context(_RC):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        yield fig


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _date_axis(ax: Any, start: date, deadline: date, day: Callable[[date], str]) -> None:
    """Years at their first day, the axis ending at the deadline with the deadline's date.

    Matplotlib's own year ticks put "2019" at 31.12.2018; a reader takes that for a year late.
    """
    years = [date(y, 1, 1) for y in range(start.year + 1, deadline.year + 1)]
    # A year tick too close to the deadline's label would overlap it: the label, right-aligned
    # at the deadline, takes about a month of the axis per character at this size.
    label = day(deadline)
    years = [y for y in years if (deadline - y).days > 30 * len(label)]
    ax.set_xlim(start, deadline)
    ax.set_xticks([*years, deadline], [*(str(y.year) for y in years), label])
    ax.get_xticklabels()[-1].set_horizontalalignment("right")  # inside the figure


def _decimal_axis(ax: Any, decimal: str) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:.1f}".replace(".", decimal)))


def cumulative_chart(
    points: Sequence[tuple[date, int]],
    span: tuple[date, date, date],
    target: int,
    labels: Mapping[str, str],
    day: Callable[[date], str] = date.isoformat,
) -> bytes:
    """Draw cumulative completed engagements as a step line against the straight target line.

    `span` is (programme start, as-of date, deadline). The target line is labelled at its end,
    the as-of date is marked, the value reached is written at the line's end, the y axis says
    what it counts, and the x axis ends at the deadline.
    """
    start, as_of, deadline = span
    with _figure(3.4) as fig:
        ax = fig.add_subplot()
        ax.plot([start, deadline], [0, target], color=GREY, linestyle="--", linewidth=2)
        ax.annotate(
            labels["target"],
            (deadline, target),
            textcoords="offset points",
            xytext=(0, 6),
            ha="right",
            va="bottom",
            color="#424242",
            fontsize=15,
            linespacing=1.1,
        )
        xs = [start, *(d for d, _ in points if d <= as_of), as_of]
        ys = [0, *(n for d, n in points if d <= as_of)]
        ys.append(ys[-1])
        ax.step(xs, ys, where="post", color=BLUE, linewidth=2.5)
        ax.annotate(
            str(ys[-1]),
            (as_of, ys[-1]),
            textcoords="offset points",
            xytext=(6, -4),
            ha="left",
            va="top",
            color=BLUE,
            fontweight="bold",
        )
        ax.axvline(as_of, color="#616161", linestyle=":", linewidth=1.5)
        ax.annotate(
            labels["as_of"],
            (as_of, 0),
            textcoords="offset points",
            xytext=(-4, 4),
            ha="right",
            va="bottom",
            color="#424242",
        )
        ax.set_ylim(0, max(target, *ys) * 1.3)
        ax.set_title(labels["unit"], loc="left", fontsize=15, color="#424242")
        ax.grid(axis="y", color="#e0e0e0")
        _date_axis(ax, start, deadline, day)
        return _png(fig)


def satisfaction_chart(
    points: Sequence[tuple[date, float]],
    target: float,
    decimal: str,
    labels: Mapping[str, str],
    day: Callable[[date], str] = date.isoformat,
) -> bytes:
    """Draw the mean rating per report on a 1-5 scale with the target line, labelled."""
    with _figure(3.0) as fig:
        ax = fig.add_subplot()
        ax.axhline(target, color=GREY, linestyle="--", linewidth=2, label=labels["target"])
        ax.annotate(
            labels["target_value"],
            (1.0, target),
            xycoords=("axes fraction", "data"),
            textcoords="offset points",
            xytext=(0, -6),
            ha="right",
            va="top",
            color="#424242",
        )
        ax.plot(
            [d for d, _ in points],
            [v for _, v in points],
            color=BLUE,
            marker="o",
            linewidth=2.5,
            label=labels["actual"],
        )
        for d, v in points:
            ax.annotate(
                f"{v:.2f}".replace(".", decimal),
                (d, v),
                textcoords="offset points",
                xytext=(0, 8),
                ha="center",
            )
        ax.set_ylim(1, 5.4)
        ax.set_title(labels["unit"], loc="left", fontsize=15, color="#424242")
        ax.grid(axis="y", color="#e0e0e0")
        ax.legend(loc="lower left", frameon=False)
        ax.set_xticks([d for d, _ in points], [day(d) for d, _ in points])  # one per report
        ax.margins(x=0.12)
        _decimal_axis(ax, decimal)
        return _png(fig)


def _completion_points(ctx: ReportContext) -> list[tuple[date, int]]:
    """Cumulative counts from the completed rows' end dates, else from earlier reports."""
    result = ctx.indicators.results[IndicatorId.ENGAGEMENTS_COMPLETED]
    if "end_date" in result.rows.columns:
        ends = sorted(d for d in result.rows["end_date"].to_list() if d is not None)
        return [(d, i + 1) for i, d in enumerate(ends)]
    trend = ctx.trends.get(IndicatorId.ENGAGEMENTS_COMPLETED, ())
    earlier = [(d, int(v)) for d, v, _ in trend if v is not None and d < ctx.indicators.as_of]
    return [*earlier, (ctx.indicators.as_of, int(result.value or 0))]


def _labels(ctx: ReportContext, **keys: str) -> dict[str, str]:
    return {name: translate(ctx.language, f"chart.{key}") for name, key in keys.items()}


def _engagements(ctx: ReportContext) -> bytes | None:
    done = ctx.indicators.results.get(IndicatorId.ENGAGEMENTS_COMPLETED)
    if done is None or not done.target:
        return None
    lang, as_of, target = ctx.language, ctx.indicators.as_of, int(done.target)
    deadline = ctx.programme_deadline

    def day(d: date) -> str:
        return format_date(d, lang)

    labels = {
        "target": translate(lang, "chart_marks.target", target=target, deadline=day(deadline)),
        "as_of": translate(lang, "chart_marks.as_of", date=day(as_of)),
        "unit": translate(lang, "chart_marks.engagements_unit"),
    }
    span = (ctx.programme_start, min(as_of, deadline), deadline)
    return cumulative_chart(_completion_points(ctx), span, target, labels, day)


def _satisfaction(ctx: ReportContext) -> bytes | None:
    quick, as_of = (
        ctx.indicators.results.get(IndicatorId.QUICK_SATISFACTION_MEAN),
        ctx.indicators.as_of,
    )
    trend = ctx.trends.get(IndicatorId.QUICK_SATISFACTION_MEAN, ())
    points = [(d, float(v)) for d, v, _ in trend if v is not None and d < as_of]
    if quick is None or quick.value is None or not points:
        return None
    labels = _labels(ctx, actual="satisfaction_actual", target="satisfaction_target")
    decimal = "," if ctx.language == "fi" else "."
    target = float(quick.target or 4.0)
    labels["unit"] = translate(ctx.language, "chart_marks.satisfaction_unit")
    shown = f"{target:.1f}".replace(".", decimal)
    labels["target_value"] = translate(ctx.language, "chart_marks.target_value", target=shown)
    points = [*points, (as_of, float(quick.value))]
    return satisfaction_chart(
        points, target, decimal, labels, lambda d: format_date(d, ctx.language)
    )


_CHARTS: dict[str, Callable[[ReportContext], bytes | None]] = {
    "engagements": _engagements,
    "satisfaction": _satisfaction,
}


def report_charts(ctx: ReportContext) -> dict[str, bytes]:
    """Draw the report's charts that have data, keyed by chart id, in report order."""
    drawn = {cid: draw(ctx) for cid, draw in _CHARTS.items()}
    return {cid: png for cid, png in drawn.items() if png is not None}
