"""Render the situation report: one Jinja environment, fi/en filters, HTML, text and charts.

Texts live in `templates/` and the message catalogues `templates/messages/<lang>.toml`; this
module formats numbers and dates for the templates, and `tasks.report_view` prepares the plain
data they show.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from schemas.findings import Finding
from schemas.reference import branches, vocabulary
from schemas.results import Indicators, Status

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


def render_report(ctx: ReportContext) -> RenderedReport:
    """Render the report's subject, HTML and text bodies and its chart images."""
    from tasks.charts import report_charts  # matplotlib is slow to import: only when rendering
    from tasks.report_view import build_view  # imports this module's formatting and catalogue

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
