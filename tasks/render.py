"""Render the situation report: one Jinja environment, fi/en filters, HTML, text and charts.

Texts live in `templates/` and the message catalogues `templates/messages/<lang>.toml`; this
module only prepares plain data for the templates and formats numbers and dates.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from schemas.findings import Finding, Severity
from schemas.reference import branches, principles, vocabulary
from schemas.results import IndicatorResult, Indicators, Status

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
LANGUAGES = ("fi", "en")
NBSP = "\u00a0"
TrendPoint = tuple[date, float | int | None, Status]

STATUS_COLOURS = {"green": "#66bb6a", "yellow": "#ffd54f", "red": "#ef5350", "grey": "#bdbdbd"}
ASSESSMENT_STATUS = {
    "toteutuu": "green",
    "osittain": "yellow",
    "ei toteudu": "red",
    "ei arvioitavissa": "grey",
}
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_VOCABULARY_FIELDS = (
    "service_concept",
    "status",
    "influence_level",
    "project_stage",
    "priority",
    "support_areas",
    "investment_advice",
    "assessment",
)


@dataclass(frozen=True)
class ReportContext:
    """Everything one report shows; `generated_at` is a parameter so output is reproducible."""

    indicators: Indicators
    generated_at: datetime
    trends: Mapping[str, Sequence[TrendPoint]] = field(default_factory=dict)
    warnings: Sequence[Finding] = ()
    language: str = "fi"
    programme_start: date = date(2016, 9, 8)
    programme_deadline: date = date(2018, 12, 31)
    team: str = ""  # "" = the catalogue's default team name


@dataclass(frozen=True)
class RenderedReport:
    """The email's parts: subject, HTML and text bodies, inline images by content id."""

    subject: str
    html: str
    text: str
    images: dict[str, bytes]


# --- message catalogue -------------------------------------------------------------------------


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = str(value)
    return out


@cache
def messages(language: str) -> dict[str, str]:
    """Return the message catalogue of `language` as dotted key -> text."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r} (use one of {', '.join(LANGUAGES)})")
    with (TEMPLATES_DIR / "messages" / f"{language}.toml").open("rb") as handle:
        return _flatten(tomllib.load(handle))


def translate(language: str, key: str, default: str | None = None, **values: object) -> str:
    """Look up `key` in the catalogue and fill its {placeholders}; unknown keys need a default."""
    text = messages(language).get(key, default)
    if text is None:
        raise KeyError(f"message {key!r} missing from the {language} catalogue")
    return text.format(**values) if values else text


# --- formatting ----------------------------------------------------------------------------------


def format_number(value: float | int | None, language: str, digits: int = 0) -> str:
    """Format 1234.5 as '1 234,50' (fi, no-break spaces) or '1,234.50' (en); None as '–'."""
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    if language == "fi":
        text = text.replace(",", NBSP).replace(".", ",").replace("-", "−")
    return text


def format_percent(value: float | None, language: str, digits: int = 0) -> str:
    """Format a share 0.96 as '96 %' (fi) or '96%' (en)."""
    if value is None:
        return "–"
    number = format_number(value * 100, language, digits)
    return f"{number}{NBSP}%" if language == "fi" else f"{number}%"


def format_date(value: date | str | None, language: str) -> str:
    """Format a date (or ISO string) as '30.6.2018' (fi) or '30 June 2018' (en)."""
    if value is None:
        return "–"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    if language == "fi":
        return f"{day.day}.{day.month}.{day.year}"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def format_time(value: datetime, language: str) -> str:
    """Format a time of day as '8.15' (fi) or '08:15' (en)."""
    return f"{value.hour}.{value.minute:02d}" if language == "fi" else f"{value:%H:%M}"


def indicator_kind(indicator_id: str) -> str:
    """Return how an indicator's values read: 'share', 'mean' or 'count' (by its id's suffix)."""
    if indicator_id.endswith("_share"):
        return "share"
    return "mean" if indicator_id.endswith("_mean") else "count"


def format_value(indicator_id: str, value: float | int | None, language: str) -> str:
    """Format an indicator's value or target the way its kind reads."""
    kind = indicator_kind(indicator_id)
    if kind == "share":
        return format_percent(value, language)
    return format_number(value, language, 2 if kind == "mean" else 0)


@cache
def category_names(language: str) -> dict[str, str]:
    """Map branch codes and vocabulary values to the names a reader knows."""
    out = {b.code: b.name_fi if language == "fi" else b.name_en for b in branches()}
    if language == "en":
        for name in _VOCABULARY_FIELDS:
            out.update(vocabulary(name)[2])
    return out


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lang(ctx: jinja2.runtime.Context) -> str:
    return str(ctx["lang"])


@cache
def environment() -> jinja2.Environment:
    """Build the one Jinja environment: autoescape on, StrictUndefined, format filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(["html", "html.j2"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    p = jinja2.pass_context
    env.filters.update(
        num=p(lambda c, v, digits=0: format_number(v, _lang(c), digits)),
        pct=p(lambda c, v, digits=0: format_percent(v, _lang(c), digits)),
        fdate=p(lambda c, v: format_date(v, _lang(c))),
        ftime=p(lambda c, v: format_time(v, _lang(c))),
        ivalue=p(lambda c, v, indicator_id: format_value(indicator_id, v, _lang(c))),
        status=p(lambda c, s: translate(_lang(c), f"status.{s}")),
        colour_name=p(lambda c, s: translate(_lang(c), f"colour.{s}")),
        category=p(lambda c, v: _upper_first(category_names(_lang(c)).get(str(v), str(v)))),
        bg=lambda s: STATUS_COLOURS.get(str(s), "#ffffff"),
        humanize=lambda s: str(s).replace("_", " ").capitalize(),
    )
    env.globals["t"] = p(lambda c, key, default=None, **kw: translate(_lang(c), key, default, **kw))
    return env


# --- the report ----------------------------------------------------------------------------------


def period_label(indicators: Indicators, language: str) -> str:
    """Return '1/2018' (fi) / 'H1 2018' (en) for a half-year, else the as-of date."""
    period = indicators.period
    if period and len(period) == 6 and period[4] == "H":
        return translate(language, "period_half", half=period[5], year=period[:4])
    return format_date(indicators.as_of, language)


def _trend(ctx: ReportContext) -> dict[str, Any]:
    """Tabulate up to three earlier reports' values beside today's, one row per indicator."""
    as_of, results = ctx.indicators.as_of, ctx.indicators.results
    earlier = {i: {d: (v, str(s)) for d, v, s in pts if d < as_of} for i, pts in ctx.trends.items()}
    dates = sorted({d for points in earlier.values() for d in points})[-3:]
    rows = [
        {"id": i, "cells": [earlier[i].get(d) for d in dates], "now": (r.value, str(r.status))}
        for i, r in results.items()
        if earlier.get(i)
    ]
    return {"dates": dates, "rows": rows}


def _matrix(result: IndicatorResult | None) -> dict[str, Any] | None:
    """Return the key project x principle cells with colour and change, or None without data."""
    if result is None or not result.extra.get("matrix"):
        return None
    numbers = [str(p.number) for p in principles()]
    change = result.extra.get("change", {})
    rows = [
        {
            "project": project,
            "cells": [
                {
                    "assessment": cells.get(n) or "none",
                    "change": change.get(project, {}).get(n) or "same",
                    "colour": ASSESSMENT_STATUS.get(cells.get(n) or "", "none"),
                }
                for n in numbers
            ],
        }
        for project, cells in result.extra["matrix"].items()
    ]
    return {"period": result.extra.get("period"), "numbers": numbers, "rows": rows}


def _quality(warnings: Sequence[Finding]) -> dict[str, Any]:
    """Count findings per dataset and rule and per owner (never their free text)."""
    open_ = [w for w in warnings if w.severity == Severity.WARNING]
    by_rule = Counter((w.dataset, w.rule) for w in open_)
    by_owner = Counter(w.owner for w in open_)
    return {
        "total": len(open_),
        "blocking": sum(w.severity == Severity.BLOCKING for w in warnings),
        "by_rule": [(d, r, n) for (d, r), n in sorted(by_rule.items())],
        "by_owner": sorted(by_owner.items(), key=lambda item: (item[0] == "", item[0])),
    }


def _deregulation(ctx: ReportContext) -> list[dict[str, Any]]:
    """List the regulatory obstacles found, by engagement, from any figure whose rows carry them."""
    out: list[dict[str, Any]] = []
    for figure in ctx.indicators.context.values():
        if "regulatory_obstacles" in figure.rows.columns:
            out.extend(r for r in figure.rows.to_dicts() if r["regulatory_obstacles"])
    return out


def _missing_branches(result: IndicatorResult | None, language: str) -> list[str] | None:
    if result is None:
        return None
    missing = set(result.extra.get("missing", []))
    return [category_names(language)[b.code] for b in branches() if b.code in missing]


def build_view(ctx: ReportContext) -> dict[str, Any]:
    """Prepare the plain data the templates show."""
    ind, lang = ctx.indicators, ctx.language
    return {
        "period_label": period_label(ind, lang),
        "as_of": ind.as_of,
        "team": ctx.team or translate(lang, "team_default"),
        "programme_start": ctx.programme_start,
        "programme_deadline": ctx.programme_deadline,
        "generated_at": ctx.generated_at,
        "results": list(ind.results.values()),
        "trend": _trend(ctx),
        "missing_branches": _missing_branches(ind.results.get("branches_covered"), lang),
        "matrix": _matrix(ind.results.get("principles_assessed_share")),
        "principle_names": [
            (p.number, p.name_fi if lang == "fi" else p.name_en) for p in principles()
        ],
        "quality": _quality(ctx.warnings),
        "context": [
            f for f in ind.context.values() if "regulatory_obstacles" not in f.rows.columns
        ],
        "deregulation": _deregulation(ctx),
    }


def render_report(ctx: ReportContext) -> RenderedReport:
    """Render the report's subject, HTML and text bodies and its chart images."""
    from tasks.charts import report_charts  # matplotlib is slow to import: only when rendering

    view = build_view(ctx)
    images = report_charts(ctx)
    variables = {**view, "lang": ctx.language, "charts": list(images)}
    env = environment()
    return RenderedReport(
        subject=translate(ctx.language, "subject", period=view["period_label"]),
        html=env.get_template("report.html.j2").render(variables),
        text=env.get_template("report.txt.j2").render(variables),
        images=images,
    )
