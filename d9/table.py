"""The `d9 indicators` table: values, targets and statuses in words (coloured on a terminal)."""

from __future__ import annotations

from schemas.results import Coverage, IndicatorResult, Indicators, Sample, SurveyColours

_COLOURS = {"green": "\033[32m", "yellow": "\033[33m", "red": "\033[31m", "grey": "\033[90m"}


def format_table(result: Indicators, *, colour: bool) -> str:
    """Tabulate values, targets and statuses (status in words, coloured on a TTY)."""
    period = f" ({result.period})" if result.period else ""
    lines = [f"Indicators as of {result.as_of.isoformat()}{period}"]
    width = max(len(k) for k in result.results)
    lines.append(f"{'indicator':<{width}}  {'value':>10}  {'target':>8}  status")
    for key, r in result.results.items():
        value = _fmt(r.value)
        target = _fmt(r.target)
        status = str(r.status)
        shown = f"{_COLOURS[status]}{status}\033[0m" if colour else status
        extra = _note(r)
        lines.append(f"{key:<{width}}  {value:>10}  {target:>8}  {shown}{extra}")
    return "\n".join(lines)


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.1f}"
    return str(value)


def _note(r: IndicatorResult) -> str:
    detail, notes = r.detail, []
    if isinstance(detail, Coverage) and detail.missing:
        notes.append("missing: " + ", ".join(detail.missing))
    if isinstance(detail, Sample):
        notes.append(f"n={detail.n}")
    if isinstance(detail, SurveyColours) and detail.round:
        notes.append(f"round {detail.round}")
    return f"  ({'; '.join(notes)})" if notes else ""
