"""The one Jinja environment (autoescape, StrictUndefined, fi/en filters) and the report itself.

Texts live in `templates/` and the message catalogues; `tasks.report.view` decides what the
templates show, `tasks.report.i18n` how numbers and dates read, `tasks.report.charts` draws.
"""

from __future__ import annotations

from functools import cache

import jinja2

from schemas.catalogue import translate
from schemas.report import RenderedReport, ReportContext
from schemas.resources import templates_dir
from tasks.report.charts import report_charts
from tasks.report.i18n import (
    STATUS_COLOURS,
    STATUS_SYMBOLS,
    category_names,
    format_date,
    format_number,
    format_percent,
    format_time,
    format_value,
    status_key,
)
from tasks.report.view import build_view


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _category(language: str, value: str) -> str:
    """A category's name: the catalogue's label where one is given, else the vocabulary's."""
    name = _upper_first(category_names(language).get(value, value))
    return translate(language, f"category.{value}", name)


def _status_key(status: str, indicator_id: str) -> str:
    return status_key(str(status), indicator_id) if indicator_id else f"status.{status}"


def _lang(ctx: jinja2.runtime.Context) -> str:
    return str(ctx["lang"])


@cache
def environment() -> jinja2.Environment:
    """Build the one Jinja environment: autoescape on, StrictUndefined, format filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
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
        status=p(lambda c, s, indicator_id="": translate(_lang(c), _status_key(s, indicator_id))),
        symbol=lambda s: STATUS_SYMBOLS.get(str(s), ""),
        colour_name=p(lambda c, s: translate(_lang(c), f"colour.{s}")),
        category=p(lambda c, v: _category(_lang(c), str(v))),
        bg=lambda s: STATUS_COLOURS.get(str(s), "#ffffff"),
        humanize=lambda s: str(s).replace("_", " ").capitalize(),
    )
    env.globals["t"] = p(lambda c, key, default=None, **kw: translate(_lang(c), key, default, **kw))
    return env


def render_report(ctx: ReportContext) -> RenderedReport:
    """Render the report's subject, HTML and text bodies and its chart images."""
    view = build_view(ctx)
    images = report_charts(ctx)
    variables = {**view, "lang": ctx.language, "charts": list(images)}
    env = environment()
    return RenderedReport(
        subject=translate(
            ctx.language,
            "subject",
            period=view["period_label"],
            summary=view["headline"]["summary"],
        ),
        html=env.get_template("report.html.j2").render(variables),
        text=env.get_template("report.txt.j2").render(variables),
        images=images,
    )
