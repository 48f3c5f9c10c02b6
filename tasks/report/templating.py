"""The one Jinja environment (autoescape, StrictUndefined, fi/en filters) the channels share.

Texts live in `templates/` and the message catalogues; `tasks.report.view` decides what the
templates show, `tasks.report.i18n` how numbers and dates read. Each channel fills its own
templates with `variables(view)`: the view's sections by name, plus `lang` for the filters.
"""

from __future__ import annotations

import base64
import re
from dataclasses import fields
from functools import cache

import jinja2
from markupsafe import Markup, escape

from schemas.catalogue import plural, translate
from schemas.resources import templates_dir
from schemas.results import Status
from schemas.view import ReportView
from tasks.report.commentary import markdown_html
from tasks.report.i18n import (
    STATUS_SYMBOLS,
    category_names,
    format_date,
    format_number,
    format_percent,
    format_time,
    format_value,
    register_headers,
    soft_hyphens,
    status_colour,
    status_key,
)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _category(language: str, value: str) -> str:
    """A category's name: the catalogue's label where one is given, else the vocabulary's."""
    name = _upper_first(category_names(language).get(value, value))
    return translate(language, f"category.{value}", name)


def _status_key(status: str, indicator_id: str) -> str:
    return status_key(str(status), indicator_id) if indicator_id else f"status.{status}"


def _symbol(status: str) -> str:
    try:
        return STATUS_SYMBOLS[Status(status)]
    except ValueError:
        return ""


def _data_uri(png: bytes) -> str:
    """A PNG as a data: URI, for a document that carries its images inside it."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _hyphenated(value: object, language: str, shortest: int) -> Markup:
    """Text with hyphenation hints in its long words; markup passes as it is."""
    if isinstance(value, Markup):
        return value
    return Markup(soft_hyphens(str(escape(value)), language, shortest))  # noqa: S704 - escaped first


_DATE_BREAKS = re.compile(r"(–|\d\.(?=\d{4}\b))")


def _breakable(value: object) -> Markup:
    """Dates and periods that may break after a dash or a day's and month's dot in a narrow
    column ("1.7.–<wbr>31.12.<wbr>2017")."""
    return Markup(_DATE_BREAKS.sub(r"\1<wbr>", str(escape(value))))  # noqa: S704 - escaped first


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
        symbol=_symbol,
        colour_name=p(lambda c, s: translate(_lang(c), f"colour.{s}")),
        category=p(lambda c, v: _category(_lang(c), str(v))),
        bg=status_colour,
        humanize=lambda s: str(s).replace("_", " ").capitalize(),
        data_uri=_data_uri,
        headers=p(lambda c, columns: register_headers(columns, _lang(c))),
        markdown=markdown_html,
        hyph=p(lambda c, v, shortest=8: _hyphenated(v, _lang(c), shortest)),
        breakable=_breakable,
    )
    env.globals["t"] = p(lambda c, key, default=None, **kw: translate(_lang(c), key, default, **kw))
    # A counted text in the form its count takes: tn("quality.remaining", n, n=(n|num)).
    env.globals["tn"] = p(lambda c, key, count, **kw: plural(_lang(c), key, int(count), **kw))
    return env


def variables(view: ReportView) -> dict[str, object]:
    """The template variables of a view: its sections by name, and `lang` for the filters."""
    return {f.name: getattr(view, f.name) for f in fields(view)} | {"lang": view.language}
