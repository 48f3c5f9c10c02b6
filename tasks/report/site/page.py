"""The site channel: the report view, the figures as reported and the tables as one static
folder — `index.html`, its stylesheet and script, `data.js` with the tables the page opens
with (and the rows behind the figures at the team's scale), and `rows/<indicator>.js` for a
figure with more rows than that, loaded when first asked for.

Data travels as script files (a `<script>` tag works from file://, where fetch does not); nothing
is requested from outside the folder. `publish` replaces the folder whole.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from schemas.catalogue import translate
from schemas.errors import ConfigError
from schemas.findings import Finding, Severity
from schemas.jsontypes import Json
from schemas.periods import period_of
from schemas.reference import branches
from schemas.resources import templates_dir
from schemas.results import IndicatorId, Indicators, PrinciplesMatrix
from schemas.site import PAGE, SiteContext, owner_anchor
from tasks._files import replace_folder
from tasks.report.site.figures import PeriodFigures, Trend, period_figures, trend
from tasks.report.site.tables import (
    Table,
    deregulation_table,
    findings_table,
    register_table,
    rows_table,
)
from tasks.report.templating import environment, variables

MARKER = ".d9-site"  # says the folder is a site d9 wrote (and may replace)
ASSETS = ("site.css", "site.js")
PAGE_ROWS = 25  # rows per page of every table
INLINE_ROWS = 2_000  # rows behind a figure kept in data.js; more load when first asked for
MATRIX_PROJECTS = 60  # key projects drawn in the matrix; the rows behind the figure have all


@dataclass(frozen=True)
class OwnerBlock:
    """One data owner's open findings."""

    owner: str
    anchor: str
    blocking: int
    table: Table


@dataclass(frozen=True)
class BranchOption:
    code: str
    name: str


def owner_blocks(
    findings: Sequence[Finding], fallback: str, language: str, written_in: str = "fi"
) -> tuple[OwnerBlock, ...]:
    """One block per data owner (rows without one are the fallback's, as in the nudges)."""
    by_owner: dict[str, list[Finding]] = {}
    for f in findings:
        by_owner.setdefault(f.owner or fallback, []).append(f)
    return tuple(
        OwnerBlock(
            owner,
            owner_anchor(owner),
            sum(f.severity is Severity.BLOCKING for f in items),
            findings_table(owner_anchor(owner), items, language, written_in),
        )
        for owner, items in sorted(by_owner.items())
    )


def _periods(ctx: SiteContext) -> tuple[PeriodFigures, ...]:
    """Each reported half-year as reported, then the figures now (the page opens on these)."""
    lang, now, end = ctx.view.language, ctx.indicators, ctx.view.programme_deadline
    reported = tuple(period_figures(r, lang, reported=True, deadline=end) for r in ctx.reported)
    # Now is its half-year ("2018H1") unless that half-year is also among the reported ones
    # (or the date ends none): then its date, so that each option names one set of figures.
    key = period_of(now.as_of)
    if key is None or key in {p.key for p in reported}:
        key = now.as_of.isoformat()
    return (*reported, period_figures(now, lang, reported=False, key=key, deadline=end))


def _trends(ctx: SiteContext) -> dict[str, Trend]:
    series = [r for r in ctx.reported if r.as_of < ctx.indicators.as_of]
    return {
        key: trend(key, [*series, ctx.indicators], ctx.view.language)
        for key in ctx.indicators.results
    }


def _projects(indicators: Indicators) -> tuple[tuple[str, Mapping[str, str | None]], ...]:
    """The key projects of the principles matrix drawn on the page (the first ones)."""
    result = indicators.results.get(IndicatorId.PRINCIPLES_ASSESSED_SHARE)
    detail = result.detail if result is not None else None
    if not isinstance(detail, PrinciplesMatrix):
        return ()
    return tuple(detail.matrix.items())[:MATRIX_PROJECTS]


def _script(name: str, payload: Json) -> bytes:
    """A data file as a script: it adds `payload` to `window.D9` under `name`."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    # A JSON text in a string literal: browsers parse JSON.parse("…") faster than a literal of
    # the same data (megabytes at 100k engagements). "</" escaped keeps the file inlinable.
    literal = json.dumps(text, ensure_ascii=False).replace("</", "<\\/")
    literal = literal.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    target = f"window.D9[{json.dumps(name)}]"
    return f"window.D9=window.D9||{{}};{target}=JSON.parse({literal});\n".encode()


def _texts(language: str) -> Json:
    keys = ("prev", "next", "showing", "none", "loading", "as_reported", "rows_now", "show", "hide")
    return {k: translate(language, f"site.js_{k}") for k in keys}


def render_site(ctx: SiteContext) -> dict[str, bytes]:
    """The site's files by relative path: the page, its assets and its data."""
    lang, ind = ctx.view.language, ctx.indicators
    register = register_table(ctx.register, ind.as_of, lang)
    drills = {key: rows_table(result, lang) for key, result in ind.results.items()}
    deregulation = deregulation_table(ind.context.get("deregulation_opportunities"), lang)
    owners = owner_blocks(ctx.findings, ctx.fallback_owner, lang, ctx.findings_language)
    periods = _periods(ctx)
    # Small tables of rows travel in data.js (a click shows them at once); large ones load
    # from rows/<id>.js when first asked for, so the page opens fast at 100k engagements.
    inline = [t for t in drills.values() if t.count <= INLINE_ROWS]
    lazy = {key: t for key, t in drills.items() if t.count > INLINE_ROWS}
    tables = [
        register,
        *(o.table for o in owners),
        *([deregulation] if deregulation else []),
        *inline,
    ]
    data: Json = {
        "page": PAGE_ROWS,
        "current": periods[-1].key,
        "texts": _texts(lang),
        "periods": {p.key: p.to_json() for p in periods},
        "tables": {t.key: t.to_json() for t in tables},
        "lazy": {t.key: f"rows/{key}.js" for key, t in lazy.items()},
    }
    values = variables(ctx.view) | {
        "periods": periods,
        "now": periods[-1],
        "trends": _trends(ctx),
        "register": register,
        "drills": drills,
        "deregulation": deregulation,
        "owners": owners,
        "branch_options": tuple(
            BranchOption(b.code, b.name_fi if lang == "fi" else b.name_en) for b in branches()
        ),
        "detail": ind.results,
        "projects": _projects(ind),
    }
    html = environment().get_template("site/index.html.j2").render(values)
    files = {
        PAGE: html.encode("utf-8"),
        "data.js": _script("data", data),
        MARKER: b"Written by d9 site; the whole folder is replaced on each run.\n",
        **{f"rows/{key}.js": _script(f"rows-{key}", t.to_json()) for key, t in lazy.items()},
    }
    for asset in ASSETS:
        files[asset] = (templates_dir() / "site" / asset).read_bytes()
    return files


def publish(folder: Path, files: Mapping[str, bytes]) -> Path:
    """Replace `folder` with the site, whole; refuse a folder of other files (never lost)."""
    if folder.is_file() or (
        folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).exists()
    ):
        raise ConfigError(
            f"{folder}: not an empty folder nor a site d9 wrote; choose a new or empty folder "
            "(the site replaces the whole folder)"
        )
    return replace_folder(folder, files)
